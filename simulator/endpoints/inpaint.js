// Remove Objects: POST /api/tasks/visual/inpaint (FAMILY.md §2.11): exactly one of `mask_url`,
// `mask_file` (white = remove; scaled to the image when its size differs) or `rectangles` (JSON, up to
// 50 {x,y,width,height}). Each area is filled with the mean colour of the pixels around it. The result
// keeps the input's format (PNG stays PNG, else JPG).
const images = require('../images');
const ops = require('../imageops');
const { fail } = require('../fields');
const { MiB } = require('../engine');

function parseRectangles(text) {
	let list;
	try {
		list = JSON.parse(text);
	} catch {
		fail('Invalid rectangles: not JSON (use [{"x":0,"y":0,"width":100,"height":100}])');
	}
	if (!Array.isArray(list) || list.length === 0) fail('Invalid rectangles: a JSON array of {x,y,width,height} is required');
	if (list.length > 50) fail(`Invalid rectangles: ${list.length} rectangles, at most 50`);
	list.forEach((rect, index) => {
		const ok = rect && typeof rect === 'object' && ['x', 'y', 'width', 'height'].every((key) => Number.isFinite(rect[key]) && rect[key] >= 0) && rect.width > 0 && rect.height > 0;
		if (!ok) fail(`Invalid rectangles[${index}]: needs numbers x, y ≥ 0 and width, height > 0`);
	});
	return list;
}

/** Fills the region (1 byte per pixel) with the mean colour of a ring of `ring` pixels around it. */
function fillAround(picture, region, box, ring = 3) {
	const { width, height } = picture;
	const inRing = (index) => {
		if (region[index]) return false;
		const x = index % width;
		const y = Math.floor(index / width);
		return x >= box.left - ring && x < box.left + box.width + ring && y >= box.top - ring && y < box.top + box.height + ring;
	};
	return ops.fill(picture, region, ops.meanColor(picture, inRing));
}

module.exports = {
	path: 'visual/inpaint',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	returnTypes: [1, 2],
	resultFields: ['image'],
	parse(v, common, files) {
		const hasMaskFile = Boolean(files.mask_file && files.mask_file.bytes.length);
		const given = [v.has('mask_url') && 'mask_url', hasMaskFile && 'mask_file', v.has('rectangles') && 'rectangles'].filter(Boolean);
		if (given.length === 0) fail('mask_url, mask_file or rectangles is required (the area to remove)');
		if (given.length > 1) fail(`Send one of mask_url, mask_file, rectangles, not ${given.join(' and ')}`);
		if (v.has('mask_url') && !/^https?:\/\/\S+$/i.test(v.raw('mask_url'))) fail('Invalid mask_url: use an http(s) URL');
		if (hasMaskFile && !['png', 'jpg'].includes(images.sniff(files.mask_file.bytes))) fail('Invalid mask_file: a PNG or JPG picture is required');
		return {
			maskUrl: v.has('mask_url') ? v.raw('mask_url') : undefined,
			maskBytes: hasMaskFile ? files.mask_file.bytes : undefined,
			rectangles: v.has('rectangles') ? parseRectangles(v.raw('rectangles')) : undefined,
		};
	},
	echo: (params) => ({ return_type: params.returnType }),
	async make(input, params, context) {
		let picture = input.picture();
		const { width, height } = picture;
		if (params.rectangles) {
			for (const rect of params.rectangles) {
				const box = { left: Math.floor(rect.x), top: Math.floor(rect.y), width: Math.ceil(rect.width), height: Math.ceil(rect.height) };
				const region = Buffer.alloc(width * height);
				for (let y = Math.max(0, box.top); y < Math.min(height, box.top + box.height); y++) {
					for (let x = Math.max(0, box.left); x < Math.min(width, box.left + box.width); x++) region[y * width + x] = 1;
				}
				picture = fillAround(picture, region, box);
			}
		} else {
			const maskBytes = params.maskBytes ?? (await context.fetch(params.maskUrl));
			let mask;
			try {
				mask = images.decode(maskBytes);
			} catch {
				throw new context.TaskFailure(-7, 'the mask is not a picture');
			}
			if (mask.width !== width || mask.height !== height) mask = ops.resize(mask, width, height);
			const region = Buffer.alloc(width * height);
			for (let index = 0; index < region.length; index++) {
				const at = index * 4;
				region[index] = (mask.data[at] + mask.data[at + 1] + mask.data[at + 2]) / 3 > 127 && mask.data[at + 3] > 127 ? 1 : 0;
			}
			picture = fillAround(picture, region, images.boundingBox(region, width, height));
		}
		return { image: ops.encode(picture, input.kind === 'png' ? 'png' : 'jpg', 90) };
	},
	parseRectangles,
};
