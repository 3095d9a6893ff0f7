// Compress / resize: POST /api/tasks/visual/imgcompress (FAMILY.md §2.8): `quality` 1–100 XOR
// `kbyte` 0–51200 (not with PNG), `width`/`height` 0–8000 (0 or absent: proportional), `format`
// jpg/png/webp (default: keep jpg/png; other inputs become jpg). webp cannot be encoded here: webp
// requests get a JPG. JPG: re-encoded at the quality (default 60), or at the highest quality that
// fits kbyte (downscaled when even quality 5 does not); PNG: fewer colour levels, no alpha channel
// when opaque, maximum deflate.
const ops = require('../imageops');
const images = require('../images');
const { fail } = require('../fields');
const { MiB } = require('../engine');

function targetSize(picture, width, height) {
	if (width && height) return { width, height };
	if (width) return { width, height: Math.max(1, Math.round((picture.height * width) / picture.width)) };
	if (height) return { width: Math.max(1, Math.round((picture.width * height) / picture.height)), height };
	return { width: picture.width, height: picture.height };
}

function compressJpg(picture, { quality, kbyte }) {
	if (!kbyte) return ops.jpgFile(picture, quality ?? 60);
	const limit = kbyte * 1024;
	let current = picture;
	for (let round = 0; round < 8; round++) {
		for (const q of [85, 70, 55, 40, 25, 10, 5]) {
			const file = ops.jpgFile(current, q);
			if (file.bytes.length <= limit) return file;
		}
		current = ops.resize(current, current.width * 0.7, current.height * 0.7);
	}
	return ops.jpgFile(current, 5);
}

function compressPng(picture, quality) {
	const levels = Math.max(4, Math.min(64, Math.round(((quality ?? 60) / 100) * 64)));
	return ops.pngFile(ops.posterize(picture, levels), { rgb: !ops.alphaOf(picture), deflateLevel: 9 });
}

module.exports = {
	path: 'visual/imgcompress',
	input: { file: 'image_file', url: 'image_url' },
	maxBytes: 15 * MiB,
	maxSide: 8000,
	returnTypes: [1, 2],
	resultFields: ['image'],
	parse(v) {
		const format = v.oneOf('format', ['jpg', 'png', 'webp'], undefined);
		const quality = v.number('quality', 1, 100, undefined, { integer: true });
		const kbyte = v.number('kbyte', 0, 51200, undefined, { integer: true });
		if (quality !== undefined && kbyte !== undefined) fail('quality and kbyte are mutually exclusive: send one of them');
		if (kbyte !== undefined && format === 'png') fail('kbyte cannot be used with format=png: PNG cannot target a file size');
		const width = v.number('width', 0, 8000, 0, { integer: true });
		const height = v.number('height', 0, 8000, 0, { integer: true });
		return { format, quality, kbyte, width, height };
	},
	checkUpload(upload, dims, params) {
		if (params.kbyte !== undefined && !params.format && images.sniff(upload.bytes) === 'png') {
			fail('kbyte cannot be used with a PNG kept as PNG: send format=jpg, or quality instead of kbyte');
		}
	},
	echo: (params) => ({ return_type: params.returnType }),
	make(input, params) {
		const picture = input.picture();
		const size = targetSize(picture, params.width, params.height);
		const resized = ops.resize(picture, size.width, size.height);
		const format = params.format === 'png' || (!params.format && input.kind === 'png' && !params.kbyte) ? 'png' : 'jpg';
		return { image: format === 'png' ? compressPng(resized, params.quality) : compressJpg(resized, params) };
	},
};
