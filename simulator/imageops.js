// Pixel work for the endpoints' results: resizing, cropping, colour changes, filling, composing and
// encoding to files { bytes, contentType, ext, width, height }. Pictures are { width, height, data }
// with RGBA bytes.
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const clamp = (value) => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));

function blank(width, height, rgba = [0, 0, 0, 0]) {
	const data = Buffer.alloc(width * height * 4);
	for (let index = 0; index < width * height; index++) data.set(rgba, index * 4);
	return { width, height, data };
}

/** Bilinear resize to width × height. */
function resize(image, width, height) {
	width = Math.max(1, Math.round(width));
	height = Math.max(1, Math.round(height));
	if (width === image.width && height === image.height) return { width, height, data: Buffer.from(image.data) };
	const out = Buffer.alloc(width * height * 4);
	const sx = image.width / width;
	const sy = image.height / height;
	for (let y = 0; y < height; y++) {
		const fy = Math.min(image.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
		const y0 = Math.floor(fy);
		const y1 = Math.min(image.height - 1, y0 + 1);
		const wy = fy - y0;
		for (let x = 0; x < width; x++) {
			const fx = Math.min(image.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
			const x0 = Math.floor(fx);
			const x1 = Math.min(image.width - 1, x0 + 1);
			const wx = fx - x0;
			const a = (y0 * image.width + x0) * 4;
			const b = (y0 * image.width + x1) * 4;
			const c = (y1 * image.width + x0) * 4;
			const d = (y1 * image.width + x1) * 4;
			const at = (y * width + x) * 4;
			for (let channel = 0; channel < 4; channel++) {
				const top = image.data[a + channel] * (1 - wx) + image.data[b + channel] * wx;
				const bottom = image.data[c + channel] * (1 - wx) + image.data[d + channel] * wx;
				out[at + channel] = clamp(top * (1 - wy) + bottom * wy);
			}
		}
	}
	return { width, height, data: out };
}

/** Scales to cover width × height, then crops the centre: exactly width × height. */
function cover(image, width, height) {
	const scale = Math.max(width / image.width, height / image.height);
	const scaled = resize(image, Math.max(width, Math.ceil(image.width * scale)), Math.max(height, Math.ceil(image.height * scale)));
	return crop(scaled, { left: (scaled.width - width) >> 1, top: (scaled.height - height) >> 1, width, height });
}

function crop(image, box) {
	const out = Buffer.alloc(box.width * box.height * 4);
	for (let y = 0; y < box.height; y++) {
		const from = ((box.top + y) * image.width + box.left) * 4;
		image.data.copy(out, y * box.width * 4, from, from + box.width * 4);
	}
	return { width: box.width, height: box.height, data: out };
}

/** Applies fn(r, g, b, a) → [r, g, b, a] to every pixel. */
function mapPixels(image, fn) {
	const out = Buffer.alloc(image.data.length);
	for (let at = 0; at < out.length; at += 4) {
		const [r, g, b, a] = fn(image.data[at], image.data[at + 1], image.data[at + 2], image.data[at + 3]);
		out[at] = clamp(r);
		out[at + 1] = clamp(g);
		out[at + 2] = clamp(b);
		out[at + 3] = clamp(a);
	}
	return { width: image.width, height: image.height, data: out };
}

const sepia = (image) => mapPixels(image, (r, g, b, a) => [0.393 * r + 0.769 * g + 0.189 * b, 0.349 * r + 0.686 * g + 0.168 * b, 0.272 * r + 0.534 * g + 0.131 * b, a]);

/** Stronger contrast around mid-grey (document "text enhancement"). */
const contrast = (image, factor = 1.4) => mapPixels(image, (r, g, b, a) => [(r - 128) * factor + 128, (g - 128) * factor + 128, (b - 128) * factor + 128, a]);

/** Fewer colour levels: compresses much better as PNG. */
const posterize = (image, levels) => {
	const step = 255 / (levels - 1);
	return mapPixels(image, (r, g, b, a) => [Math.round(r / step) * step, Math.round(g / step) * step, Math.round(b / step) * step, a]);
};

/** A vertical two-colour gradient, opaque. */
function gradient(width, height, top, bottom) {
	const data = Buffer.alloc(width * height * 4);
	for (let y = 0; y < height; y++) {
		const t = height > 1 ? y / (height - 1) : 0;
		const rgb = [0, 1, 2].map((channel) => clamp(top[channel] * (1 - t) + bottom[channel] * t));
		for (let x = 0; x < width; x++) data.set([...rgb, 255], (y * width + x) * 4);
	}
	return { width, height, data };
}

/** The foreground over an opaque background, weighted by alpha (one byte per pixel). */
function compose(foreground, alpha, background) {
	const out = Buffer.alloc(foreground.data.length);
	for (let index = 0; index < alpha.length; index++) {
		const at = index * 4;
		const a = alpha[index] / 255;
		for (let channel = 0; channel < 3; channel++) out[at + channel] = clamp(foreground.data[at + channel] * a + background.data[at + channel] * (1 - a));
		out[at + 3] = 255;
	}
	return { width: foreground.width, height: foreground.height, data: out };
}

/** Mean RGB of the pixels where include(index) is true (white when none). */
function meanColor(image, include) {
	const sum = [0, 0, 0];
	let count = 0;
	for (let index = 0; index < image.width * image.height; index++) {
		if (!include(index)) continue;
		for (let channel = 0; channel < 3; channel++) sum[channel] += image.data[index * 4 + channel];
		count++;
	}
	return count ? sum.map((value) => Math.round(value / count)) : [255, 255, 255];
}

/** Fills the pixels where region[index] is set with colour (opaque). */
function fill(image, region, colour) {
	const out = Buffer.from(image.data);
	for (let index = 0; index < region.length; index++) if (region[index]) out.set([...colour, 255], index * 4);
	return { width: image.width, height: image.height, data: out };
}

/** The alpha channel alone (one byte per pixel); undefined when the picture is fully opaque. */
function alphaOf(image) {
	const alpha = Buffer.alloc(image.width * image.height);
	let transparent = false;
	for (let index = 0; index < alpha.length; index++) {
		alpha[index] = image.data[index * 4 + 3];
		if (alpha[index] < 255) transparent = true;
	}
	return transparent ? alpha : undefined;
}

function pngFile(image, { rgb = false, deflateLevel = 6 } = {}) {
	const png = new PNG({ width: image.width, height: image.height });
	image.data.copy(png.data);
	const bytes = PNG.sync.write(png, { colorType: rgb ? 2 : 6, inputColorType: 6, inputHasAlpha: true, deflateLevel });
	return { bytes, contentType: 'image/png', ext: 'png', width: image.width, height: image.height };
}

/** A JPEG; transparent pixels are put on white first. */
function jpgFile(image, quality = 88) {
	const flat = mapPixels(image, (r, g, b, a) => {
		const k = a / 255;
		return [r * k + 255 * (1 - k), g * k + 255 * (1 - k), b * k + 255 * (1 - k), 255];
	});
	const bytes = Buffer.from(jpeg.encode({ data: flat.data, width: image.width, height: image.height }, quality).data);
	return { bytes, contentType: 'image/jpeg', ext: 'jpg', width: image.width, height: image.height };
}

const encode = (image, format, quality) => (format === 'png' ? pngFile(image) : jpgFile(image, quality));

module.exports = { blank, resize, cover, crop, mapPixels, sepia, contrast, posterize, gradient, compose, meanColor, fill, alphaOf, pngFile, jpgFile, encode };
