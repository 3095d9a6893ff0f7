// Background removal: POST /api/tasks/visual/segmentation (FAMILY.md §2.1).
const images = require('../images');
const { fail } = require('../fields');
const { MiB } = require('../engine');

module.exports = {
	path: 'visual/segmentation',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	returnTypes: [1, 2, 3],
	resultFields: ['image', 'mask'],
	parse(v, common) {
		const type = v.raw('type') || '';
		if (!['', 'person', 'object', 'stamp'].includes(type)) fail('Invalid task type');
		const outputType = v.choice('output_type', [1, 2, 3], 2);
		const crop = v.choice('crop', [0, 1], 0);
		const format = v.oneOf('format', ['png', 'jpg'], 'png');
		const bgColor = v.hexColor('bg_color');
		if (bgColor && format !== 'jpg') fail('bg_color needs format=jpg');
		if (common.returnType === 3 && outputType === 1) fail('return_type 3 returns one image: use output_type 2 or 3');
		return { type, outputType, crop: crop === 1, format, bgColor };
	},
	echo: (params) => ({ output_type: params.outputType, return_type: params.returnType, type: params.type || 'auto' }),
	make(input, params) {
		return images.removeBackground(input.picture(), {
			format: params.format,
			bgColor: params.bgColor,
			crop: params.crop,
			want: { image: params.outputType !== 3, mask: params.outputType !== 2 },
		});
	},
	raw: (files, params) => (params.outputType === 3 ? files.mask : files.image),
};
