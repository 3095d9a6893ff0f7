// Smart Crop & Correction: POST /api/tasks/visual/correction (FAMILY.md §2.10): `type` 0 document
// crop + straighten, 1 text enhancement (default), 2 both, 3 product crop + straighten, 4 product crop
// plus background removal. The simulator trims the margins around the subject (0, 2, 3, 4), raises
// the contrast (1, 2) and, for 4, makes the background transparent (PNG). Other results keep the
// input's format (PNG stays PNG, else JPG).
const images = require('../images');
const ops = require('../imageops');
const { MiB } = require('../engine');

module.exports = {
	path: 'visual/correction',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	returnTypes: [1, 2, 3],
	resultFields: ['image'],
	parse: (v) => ({ type: v.choice('type', [0, 1, 2, 3, 4], 1) }),
	echo: (params) => ({ return_type: params.returnType, type: params.type }),
	make(input, params) {
		let picture = input.picture();
		if (params.type === 4) return images.removeBackground(picture, { format: 'png', crop: true, want: { image: true, mask: false } });
		if (params.type !== 1) {
			const alpha = images.segment(picture);
			const box = images.boundingBox(alpha, picture.width, picture.height);
			const margin = Math.round(Math.min(box.width, box.height) * 0.03);
			const left = Math.max(0, box.left - margin);
			const top = Math.max(0, box.top - margin);
			picture = ops.crop(picture, {
				left,
				top,
				width: Math.min(picture.width, box.left + box.width + margin) - left,
				height: Math.min(picture.height, box.top + box.height + margin) - top,
			});
		}
		if (params.type === 1 || params.type === 2) picture = ops.contrast(picture);
		return { image: ops.encode(picture, input.kind === 'png' ? 'png' : 'jpg', 90) };
	},
};
