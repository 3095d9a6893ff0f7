// Remove Watermark: POST /api/tasks/visual/external/watermark-remove (FAMILY.md §2.12). Its fields
// are `url` / `file` (image_url / image_file are not read: "url or file is required"), `sync` defaults
// to 0, there is no return_type, and the result is `data.file`, a link. The simulator smooths the
// picture (a 3×3 box blur) and keeps its format (PNG stays PNG, else JPG).
const ops = require('../imageops');
const { MiB } = require('../engine');

function blur(picture) {
	const { width, height, data } = picture;
	const out = Buffer.from(data);
	for (let y = 1; y < height - 1; y++) {
		for (let x = 1; x < width - 1; x++) {
			for (let channel = 0; channel < 3; channel++) {
				let sum = 0;
				for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += data[((y + dy) * width + x + dx) * 4 + channel];
				out[(y * width + x) * 4 + channel] = Math.round(sum / 9);
			}
		}
	}
	return { width, height, data: out };
}

module.exports = {
	path: 'visual/external/watermark-remove',
	input: { file: 'file', url: 'url', missing: 'url or file is required' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	syncDefault: 0,
	returnTypes: undefined,
	resultFields: ['file'],
	parse: () => ({}),
	make: (input) => ({ file: ops.encode(blur(input.picture()), input.kind === 'png' ? 'png' : 'jpg', 90) }),
};
