// Clothing Segmentation: POST /api/tasks/visual/clothing-segmentation (FAMILY.md §2.15). `detail_mode`
// 1/2, `output_type` 1 class masks (default) / 2 a ZIP of the sub-masks / 3 both, `quality` 1/2,
// `class_type` 1 clothing parts / 2 adds bag and shoes. `class_masks` is { part: link } of black/white
// PNG masks of the input's size; `clothes_masks` a link to a ZIP of <part>.png. Always links (the
// endpoint documents no return_type). The simulator finds the subject by colour and splits its
// bounding box into bands: tops (upper half), bottoms (lower half), dress (middle), clothes (all);
// shoes (lowest tenth), bag (a block on the right).
const images = require('../images');
const ops = require('../imageops');
const { zip } = require('../documents');
const { MiB } = require('../engine');

const PARTS = {
	clothes: () => true,
	tops: (fx, fy) => fy < 0.5,
	bottoms: (fx, fy) => fy >= 0.5 && fy < 0.9,
	dress: (fx, fy) => fy >= 0.15 && fy < 0.85,
	bag: (fx, fy) => fx >= 0.75 && fy >= 0.3 && fy < 0.7,
	shoes: (fx, fy) => fy >= 0.9,
};

function masks(picture, classType) {
	const { width, height } = picture;
	const alpha = images.segment(picture);
	const box = images.boundingBox(alpha, width, height);
	const names = classType === 2 ? ['clothes', 'tops', 'bottoms', 'dress', 'bag', 'shoes'] : ['clothes', 'tops', 'bottoms', 'dress'];
	const result = {};
	for (const name of names) {
		const mask = ops.blank(width, height, [0, 0, 0, 255]);
		for (let y = 0; y < height; y++) {
			for (let x = 0; x < width; x++) {
				const index = y * width + x;
				if (alpha[index] < 128) continue;
				if (PARTS[name]((x - box.left) / box.width, (y - box.top) / box.height)) mask.data.set([255, 255, 255, 255], index * 4);
			}
		}
		result[name] = ops.pngFile(mask, { rgb: true });
	}
	return result;
}

module.exports = {
	path: 'visual/clothing-segmentation',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 4096,
	returnTypes: undefined,
	resultFields: ['class_masks', 'clothes_masks'],
	parse(v) {
		return {
			detailMode: v.choice('detail_mode', [1, 2], 1),
			outputType: v.choice('output_type', [1, 2, 3], 1),
			quality: v.choice('quality', [1, 2], 1),
			classType: v.choice('class_type', [1, 2], 1),
		};
	},
	echo: (params) => ({ output_type: params.outputType, class_type: params.classType }),
	make(input, params) {
		const parts = masks(input.picture(), params.classType);
		const result = {};
		if (params.outputType !== 2) result.class_masks = parts;
		if (params.outputType !== 1) {
			result.clothes_masks = { bytes: zip(Object.entries(parts).map(([name, file]) => ({ name: `${name}.png`, data: file.bytes }))), contentType: 'application/zip', ext: 'zip' };
		}
		return result;
	},
};
