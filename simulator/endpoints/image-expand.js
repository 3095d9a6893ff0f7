// Expand Image: POST /api/tasks/visual/advanced-image-expand (FAMILY.md §2.14). JPG/PNG only, ≤ 5 MB,
// 64×64 to 4096×4096, image_url ≤ 512 characters. Four-side mode: `top`, `bottom`, `left`, `right`
// ratios in (0, 1], default 0.1 each: the canvas grows by those fractions of the image's size and the
// new border is filled (the edge pixels stretched outwards, fading to the border's mean colour).
// Canvas mode: `mask_url` / `mask_file` of the image's size (else 400, or state −7 for a mask URL):
// its white area is filled the same way, the size stays (side ratios are then ignored).
const images = require('../images');
const ops = require('../imageops');
const { fail } = require('../fields');
const { MiB } = require('../engine');

const SIDES = ['top', 'bottom', 'left', 'right'];

function expand(picture, ratios) {
	const { width, height, data } = picture;
	const left = Math.round(width * ratios.left);
	const right = Math.round(width * ratios.right);
	const top = Math.round(height * ratios.top);
	const bottom = Math.round(height * ratios.bottom);
	const outWidth = width + left + right;
	const outHeight = height + top + bottom;
	const mean = ops.meanColor(picture, (index) => {
		const x = index % width;
		const y = Math.floor(index / width);
		return x === 0 || y === 0 || x === width - 1 || y === height - 1;
	});
	const out = Buffer.alloc(outWidth * outHeight * 4);
	for (let y = 0; y < outHeight; y++) {
		const sy = Math.min(height - 1, Math.max(0, y - top));
		const dy = y < top ? top - y : Math.max(0, y - top - height + 1);
		for (let x = 0; x < outWidth; x++) {
			const sx = Math.min(width - 1, Math.max(0, x - left));
			const dx = x < left ? left - x : Math.max(0, x - left - width + 1);
			const from = (sy * width + sx) * 4;
			const at = (y * outWidth + x) * 4;
			const fade = Math.min(1, Math.hypot(dx, dy) / Math.max(8, Math.min(width, height) * 0.25));
			for (let channel = 0; channel < 3; channel++) out[at + channel] = Math.round(data[from + channel] * (1 - fade) + mean[channel] * fade);
			out[at + 3] = 255;
		}
	}
	return { width: outWidth, height: outHeight, data: out };
}

module.exports = {
	path: 'visual/advanced-image-expand',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 5 * MiB,
	minSide: 64,
	maxSide: 4096,
	urlMaxLength: 512,
	returnTypes: [1, 2],
	resultFields: ['image'],
	parse(v, common, files) {
		const hasMaskFile = Boolean(files.mask_file && files.mask_file.bytes.length);
		if (hasMaskFile && v.has('mask_url')) fail('Send mask_file or mask_url, not both');
		if (v.has('mask_url') && !/^https?:\/\/\S+$/i.test(v.raw('mask_url'))) fail('Invalid mask_url: use an http(s) URL');
		if (hasMaskFile && !['png', 'jpg'].includes(images.sniff(files.mask_file.bytes))) fail('Invalid mask_file: a PNG or JPG picture is required');
		const ratios = Object.fromEntries(SIDES.map((side) => [side, v.number(side, 0, 1, 0.1, { exclusiveMin: true })]));
		return { ratios, maskUrl: v.has('mask_url') ? v.raw('mask_url') : undefined, maskBytes: hasMaskFile ? files.mask_file.bytes : undefined };
	},
	checkUpload(upload, dims, params) {
		if (!['jpg', 'png'].includes(images.sniff(upload.bytes))) fail('Invalid image_file: JPG or PNG only');
		if (params.maskBytes && dims) {
			const mask = images.dimensions(params.maskBytes);
			if (!mask || mask.width !== dims.width || mask.height !== dims.height) {
				fail(`mask_file must have the image's size (${dims.width}x${dims.height}), not ${mask ? `${mask.width}x${mask.height}` : 'an unreadable size'}`);
			}
		}
	},
	echo: (params) => ({ return_type: params.returnType }),
	async make(input, params, context) {
		if (!['jpg', 'png'].includes(input.kind)) throw new context.TaskFailure(-7, 'JPG or PNG only');
		const picture = input.picture();
		const format = input.kind === 'png' ? 'png' : 'jpg';
		if (!params.maskUrl && !params.maskBytes) return { image: ops.encode(expand(picture, params.ratios), format, 90) };
		const maskBytes = params.maskBytes ?? (await context.fetch(params.maskUrl));
		let mask;
		try {
			mask = images.decode(maskBytes);
		} catch {
			throw new context.TaskFailure(-7, 'the mask is not a picture');
		}
		if (mask.width !== picture.width || mask.height !== picture.height) throw new context.TaskFailure(-7, 'the mask does not have the image\'s size');
		const region = Buffer.alloc(picture.width * picture.height);
		for (let index = 0; index < region.length; index++) region[index] = mask.data[index * 4] > 127 ? 1 : 0;
		const colour = ops.meanColor(picture, (index) => !region[index]);
		return { image: ops.encode(ops.fill(picture, region, colour), format, 90) };
	},
	expand,
};
