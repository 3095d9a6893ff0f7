// ID Photo (basic): POST /api/tasks/visual/idphoto (FAMILY.md §2.6): `size` {w}x{h} (100–2000 each,
// default the input's size), png (transparent) or jpg on `bg_color`. The result has exactly that size:
// the input scaled to cover it, centred, its background removed.
const images = require('../images');
const ops = require('../imageops');
const { fail } = require('../fields');
const { MiB } = require('../engine');

module.exports = {
	path: 'visual/idphoto',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	returnTypes: [1, 2],
	resultFields: ['image'],
	parse(v) {
		let size;
		if (v.has('size')) {
			const match = /^(\d+)x(\d+)$/.exec(v.raw('size'));
			if (!match) fail(`Invalid size: ${v.raw('size')} (use {width}x{height} with a lowercase x, e.g. 295x413)`);
			size = { width: Number(match[1]), height: Number(match[2]) };
			if ([size.width, size.height].some((side) => side < 100 || side > 2000)) fail(`Invalid size: ${v.raw('size')} (each side from 100 to 2000 pixels)`);
		}
		const format = v.oneOf('format', ['png', 'jpg'], 'png');
		const bgColor = v.hexColor('bg_color');
		if (bgColor && format !== 'jpg') fail('bg_color needs format=jpg');
		return { size, format, bgColor };
	},
	echo: (params) => ({ return_type: params.returnType }),
	make(input, params) {
		const picture = input.picture();
		const size = params.size ?? { width: picture.width, height: picture.height };
		const framed = ops.cover(picture, size.width, size.height);
		return images.removeBackground(framed, { format: params.format, bgColor: params.bgColor, crop: false, want: { image: true, mask: false } });
	},
};
