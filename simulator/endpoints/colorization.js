// Colorize: POST /api/tasks/visual/colorization (FAMILY.md §2.5). The result is the input in sepia
// tones. `format` webp cannot be encoded here: webp requests get a PNG.
const ops = require('../imageops');
const { MiB } = require('../engine');

module.exports = {
	path: 'visual/colorization',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	returnTypes: [1, 2, 3],
	resultFields: ['image'],
	parse: (v) => ({ format: v.oneOf('format', ['jpeg', 'jpg', 'png', 'webp'], 'jpg') }),
	echo: (params) => ({ return_type: params.returnType }),
	make(input, params) {
		const format = params.format === 'png' || params.format === 'webp' ? 'png' : 'jpg';
		return { image: ops.encode(ops.sepia(input.picture()), format, 90) };
	},
};
