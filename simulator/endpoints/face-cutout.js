// Face Cut-Out: POST /api/tasks/visual/self-face-cutout (FAMILY.md §2.2). Note `output_format`.
// The simulator cuts out the subject (it finds no faces): transparent PNG or JPG on white.
const images = require('../images');
const { MiB } = require('../engine');

module.exports = {
	path: 'visual/self-face-cutout',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	returnTypes: [1, 2, 3],
	resultFields: ['image'],
	parse(v) {
		return {
			crop: v.choice('crop', [0, 1], 0) === 1,
			outputFormat: v.oneOf('output_format', ['png', 'jpg'], 'png'),
		};
	},
	echo: (params) => ({ return_type: params.returnType }),
	make(input, params) {
		return images.removeBackground(input.picture(), { format: params.outputFormat, crop: params.crop, want: { image: true, mask: false } });
	},
};
