// Advanced Enhance: POST /api/tasks/visual/scale-pro (FAMILY.md §2.4): type 0 Ultra HD / 1 HD,
// return_type 1/2 only, 30 MB, 4096², image_url ≤ 512 characters. The result is 2× (long side ≤ 4096).
const { MiB } = require('../engine');
const { upscale } = require('./scale');

module.exports = {
	path: 'visual/scale-pro',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 30 * MiB,
	maxSide: 4096,
	urlMaxLength: 512,
	returnTypes: [1, 2],
	resultFields: ['image'],
	parse: (v) => ({ type: v.choice('type', [0, 1], 0) }),
	echo: (params) => ({ return_type: params.returnType, type: params.type }),
	make: (input) => ({ image: upscale(input, 2) }),
};
