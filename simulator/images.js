// Image work for the simulator: header sniffing, decoding (PNG, JPEG), a real background removal
// (background colour from the border, foreground = pixels far from it), masks, crop and encoding.
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

function sniff(bytes) {
	const text = (start, end) => (bytes.length >= end ? bytes.toString('latin1', start, end) : '');
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
	if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) return 'png';
	if (text(0, 4) === 'RIFF' && text(8, 12) === 'WEBP') return 'webp';
	if (text(0, 2) === 'BM') return 'bmp';
	if (text(0, 4) === 'II*\0' || text(0, 4) === 'MM\0*') return 'tiff';
	if (text(0, 4) === 'GIF8') return 'gif';
	return undefined;
}

/** Width and height from the header, without decoding; undefined when unreadable. */
function dimensions(bytes) {
	try {
		switch (sniff(bytes)) {
			case 'png':
				return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
			case 'gif':
				return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
			case 'bmp':
				return { width: Math.abs(bytes.readInt32LE(18)), height: Math.abs(bytes.readInt32LE(22)) };
			case 'webp': {
				const chunk = bytes.toString('latin1', 12, 16);
				if (chunk === 'VP8 ') return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
				if (chunk === 'VP8L') {
					const bits = bytes.readUInt32LE(21);
					return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
				}
				return { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
			}
			case 'tiff': {
				const le = bytes[0] === 0x49;
				const u16 = (at) => (le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
				const u32 = (at) => (le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
				const ifd = u32(4);
				const result = {};
				for (let index = 0; index < u16(ifd); index++) {
					const entry = ifd + 2 + index * 12;
					const value = u16(entry + 2) === 3 ? u16(entry + 8) : u32(entry + 8);
					if (u16(entry) === 256) result.width = value;
					if (u16(entry) === 257) result.height = value;
				}
				return result.width && result.height ? result : undefined;
			}
			case 'jpg': {
				let offset = 2;
				while (offset + 9 < bytes.length) {
					if (bytes[offset] !== 0xff) return undefined;
					const marker = bytes[offset + 1];
					if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
						return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) };
					}
					offset += 2 + bytes.readUInt16BE(offset + 2);
				}
				return undefined;
			}
			default:
				return undefined;
		}
	} catch {
		return undefined;
	}
}

/** RGBA pixels of a PNG or JPEG; throws for anything it cannot decode. */
function decode(bytes) {
	const kind = sniff(bytes);
	if (kind === 'png') {
		const png = PNG.sync.read(bytes);
		return { width: png.width, height: png.height, data: png.data };
	}
	if (kind === 'jpg') {
		const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
		return { width: image.width, height: image.height, data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
	}
	throw new Error(`cannot decode ${kind ?? 'unknown'} images`);
}

/** A plausible photo for formats we cannot decode (bmp, webp, tiff): a disc on a light background. */
function synthesize(width, height) {
	const data = Buffer.alloc(width * height * 4);
	const radius = Math.min(width, height) / 3;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < radius ** 2;
			data.set(inside ? [40, 90, 200, 255] : [245, 245, 245, 255], (y * width + x) * 4);
		}
	}
	return { width, height, data };
}

/** Alpha per pixel: 0 where the colour is close to the border's colour, 255 far from it, soft between. */
function segment(image) {
	const { width, height, data } = image;
	const sum = [0, 0, 0];
	let count = 0;
	const add = (x, y) => {
		const at = (y * width + x) * 4;
		sum[0] += data[at];
		sum[1] += data[at + 1];
		sum[2] += data[at + 2];
		count++;
	};
	for (let x = 0; x < width; x++) { add(x, 0); add(x, height - 1); }
	for (let y = 0; y < height; y++) { add(0, y); add(width - 1, y); }
	const background = sum.map((value) => value / count);
	const alpha = Buffer.alloc(width * height);
	const low = 28;
	const high = 56;
	for (let index = 0; index < width * height; index++) {
		const at = index * 4;
		const distance = Math.hypot(data[at] - background[0], data[at + 1] - background[1], data[at + 2] - background[2]);
		const value = distance <= low ? 0 : distance >= high ? 255 : Math.round(((distance - low) / (high - low)) * 255);
		alpha[index] = Math.round((value * data[at + 3]) / 255);
	}
	return alpha;
}

function boundingBox(alpha, width, height) {
	let left = width;
	let top = height;
	let right = -1;
	let bottom = -1;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			if (alpha[y * width + x] > 0) {
				if (x < left) left = x;
				if (x > right) right = x;
				if (y < top) top = y;
				if (y > bottom) bottom = y;
			}
		}
	}
	return right < 0 ? { left: 0, top: 0, width, height } : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

function encodePng(width, height, rgba) {
	const png = new PNG({ width, height });
	rgba.copy(png.data);
	return PNG.sync.write(png, { colorType: 6 });
}

function hexToRgb(hex) {
	return [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16));
}

/**
 * The segmentation result: { image, mask } buffers as the options ask.
 * options: { format: 'png'|'jpg', bgColor: 'rrggbb', crop: boolean, want: { image, mask } }
 */
function removeBackground(input, options) {
	const alphaFull = segment(input);
	const box = options.crop ? boundingBox(alphaFull, input.width, input.height) : { left: 0, top: 0, width: input.width, height: input.height };
	const rgba = Buffer.alloc(box.width * box.height * 4);
	const maskRgba = Buffer.alloc(box.width * box.height * 4);
	const bg = hexToRgb(options.bgColor || 'ffffff');
	const jpg = options.format === 'jpg';
	for (let y = 0; y < box.height; y++) {
		for (let x = 0; x < box.width; x++) {
			const source = (box.top + y) * input.width + box.left + x;
			const target = y * box.width + x;
			const a = alphaFull[source];
			for (let channel = 0; channel < 3; channel++) {
				const value = input.data[source * 4 + channel];
				rgba[target * 4 + channel] = jpg ? Math.round((value * a + bg[channel] * (255 - a)) / 255) : value;
				maskRgba[target * 4 + channel] = a;
			}
			rgba[target * 4 + 3] = jpg ? 255 : a;
			maskRgba[target * 4 + 3] = 255;
		}
	}
	const result = {};
	if (options.want.image) {
		result.image = jpg
			? { bytes: Buffer.from(jpeg.encode({ data: rgba, width: box.width, height: box.height }, 88).data), contentType: 'image/jpeg', ext: 'jpg' }
			: { bytes: encodePng(box.width, box.height, rgba), contentType: 'image/png', ext: 'png' };
	}
	if (options.want.mask) {
		result.mask = { bytes: encodePng(box.width, box.height, maskRgba), contentType: 'image/png', ext: 'png' };
	}
	return result;
}

module.exports = { sniff, dimensions, decode, synthesize, segment, boundingBox, encodePng, removeBackground };
