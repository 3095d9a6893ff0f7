// Enhance / upscale: POST /api/tasks/visual/scale (FAMILY.md §2.3). The result is the input resized
// by the factor (auto: short side ≤ 512 → 4×, ≤ 1024 → 2×, else 1×), its long side capped at 4096,
// in the input's format (PNG stays PNG, everything else becomes JPG).
const ops = require('../imageops');
const { MiB } = require('../engine');

const CAP = 4096;

function autoFactor(width, height) {
	const short = Math.min(width, height);
	return short <= 512 ? 4 : short <= 1024 ? 2 : 1;
}

/** width × height by factor, the long side at most CAP. */
function scaled(width, height, factor) {
	const cap = Math.min(1, CAP / (Math.max(width, height) * factor));
	return { width: Math.max(1, Math.round(width * factor * cap)), height: Math.max(1, Math.round(height * factor * cap)) };
}

function upscale(input, factor) {
	const picture = input.picture();
	const size = scaled(picture.width, picture.height, factor);
	return ops.encode(ops.resize(picture, size.width, size.height), input.kind === 'png' ? 'png' : 'jpg', 92);
}

module.exports = {
	path: 'visual/scale',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	returnTypes: [1, 2, 3],
	resultFields: ['image'],
	parse(v) {
		return { type: v.oneOf('type', ['clean', 'face'], 'clean'), scaleFactor: v.choice('scale_factor', [1, 2, 4], undefined) };
	},
	echo: (params) => ({ return_type: params.returnType, type: params.type }),
	make(input, params) {
		const picture = input.picture();
		return { image: upscale(input, params.scaleFactor ?? autoFactor(picture.width, picture.height)) };
	},
	upscale,
	autoFactor,
	scaled,
};
