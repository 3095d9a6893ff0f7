// Pictures for the README: images side by side on one PNG, transparent parts on a checkerboard.
const fs = require('node:fs');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

/** A PNG or JPG (bytes or a file) as RGBA pixels. */
function decode(source) {
	const bytes = Buffer.isBuffer(source) ? source : fs.readFileSync(source);
	if (bytes[0] === 0x89) return PNG.sync.read(bytes);
	return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
}

/**
 * Writes `images` (decoded, or bytes/files) side by side to `target`, each scaled to `height` px
 * (0 = as they are), with `gap` px of white between them.
 */
function strip(images, target, { height = 0, gap = 16 } = {}) {
	const decoded = images.map((image) => (image.data && image.width ? image : decode(image)));
	const rows = height || Math.max(...decoded.map((image) => image.height));
	const widths = decoded.map((image) => Math.round((image.width * rows) / image.height));
	const width = widths.reduce((sum, value) => sum + value, 0) + gap * (decoded.length - 1);
	const out = new PNG({ width, height: rows });
	out.data.fill(255);
	let offsetX = 0;
	decoded.forEach((image, index) => {
		const scale = image.height / rows;
		for (let y = 0; y < rows; y++) {
			for (let x = 0; x < widths[index]; x++) {
				const from = (Math.min(image.height - 1, Math.floor(y * scale)) * image.width + Math.min(image.width - 1, Math.floor(x * scale))) * 4;
				const to = (y * width + x + offsetX) * 4;
				const alpha = image.data[from + 3] / 255;
				const back = ((x >> 4) + (y >> 4)) % 2 === 0 ? 204 : 255;
				for (let c = 0; c < 3; c++) out.data[to + c] = Math.round(image.data[from + c] * alpha + back * (1 - alpha));
				out.data[to + 3] = 255;
			}
		}
		offsetX += widths[index] + gap;
	});
	fs.writeFileSync(target, PNG.sync.write(out));
}

module.exports = { decode, strip };
