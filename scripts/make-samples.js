#!/usr/bin/env node
// Deterministic sample "product photos" for the demo, the tests and the benchmark: a product-like
// shape with shading and a soft shadow on a light studio background (slight gradient), so that a
// background removal has real work to do. `node scripts/make-samples.js <dir> [count] [size]`
const fs = require('node:fs');
const path = require('node:path');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const PRODUCTS = [
	{ name: 'mug', color: [200, 60, 50], shape: 'mug' },
	{ name: 'bottle', color: [40, 120, 200], shape: 'bottle' },
	{ name: 'sneaker', color: [30, 30, 35], shape: 'shoe' },
	{ name: 'gift-box', color: [230, 170, 40], shape: 'box' },
	{ name: 'ball', color: [60, 170, 90], shape: 'ball' },
	{ name: 'vase', color: [140, 70, 170], shape: 'bottle' },
	{ name: 'lamp', color: [240, 120, 30], shape: 'mug' },
	{ name: 'speaker', color: [70, 80, 95], shape: 'box' },
];

/** Is (x, y) inside the shape? Coordinates are in [0, 1]. */
function inside(shape, x, y) {
	const ellipse = (cx, cy, rx, ry) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
	switch (shape) {
		case 'mug':
			return (x > 0.3 && x < 0.65 && y > 0.3 && y < 0.75) || (ellipse(0.7, 0.52, 0.1, 0.13) && !ellipse(0.7, 0.52, 0.05, 0.08));
		case 'bottle':
			return (x > 0.38 && x < 0.62 && y > 0.35 && y < 0.8) || (x > 0.45 && x < 0.55 && y > 0.15 && y <= 0.35);
		case 'shoe':
			return ellipse(0.5, 0.62, 0.3, 0.12) || ellipse(0.36, 0.5, 0.13, 0.14);
		case 'box':
			return x > 0.28 && x < 0.72 && y > 0.32 && y < 0.76;
		default:
			return ellipse(0.5, 0.52, 0.24, 0.24);
	}
}

function render(product, size, index) {
	const data = Buffer.alloc(size * size * 4);
	for (let py = 0; py < size; py++) {
		for (let px = 0; px < size; px++) {
			const x = px / size;
			const y = py / size;
			const at = (py * size + px) * 4;
			// Studio background: near white with a gentle vertical gradient.
			let rgb = [246 - y * 10, 245 - y * 10, 242 - y * 9];
			const shadow = ((x - 0.5) / 0.3) ** 2 + ((y - 0.83) / 0.04) ** 2 <= 1;
			if (shadow) rgb = rgb.map((value) => value - 12);
			if (inside(product.shape, x, y)) {
				const light = 0.75 + 0.35 * (1 - x) - 0.15 * y + 0.04 * Math.sin((px + index * 7) / 9);
				rgb = product.color.map((value) => value * light);
			}
			data[at] = Math.max(0, Math.min(255, Math.round(rgb[0])));
			data[at + 1] = Math.max(0, Math.min(255, Math.round(rgb[1])));
			data[at + 2] = Math.max(0, Math.min(255, Math.round(rgb[2])));
			data[at + 3] = 255;
		}
	}
	return data;
}

/** Writes `count` photos (JPG, every third one PNG) into `dir`; returns their file names. */
function makeSamples(dir, { count = 8, size = 640 } = {}) {
	fs.mkdirSync(dir, { recursive: true });
	const names = [];
	for (let index = 0; index < count; index++) {
		const product = PRODUCTS[index % PRODUCTS.length];
		const data = render(product, size, index);
		const stem = `product-${String(index + 1).padStart(2, '0')}-${product.name}`;
		let name;
		let bytes;
		if (index % 3 === 2) {
			const png = new PNG({ width: size, height: size });
			data.copy(png.data);
			name = `${stem}.png`;
			bytes = PNG.sync.write(png);
		} else {
			name = `${stem}.jpg`;
			bytes = jpeg.encode({ data, width: size, height: size }, 90).data;
		}
		fs.writeFileSync(path.join(dir, name), bytes);
		names.push(name);
	}
	return names;
}

/**
 * Large "photos" for memory benchmarks: a JPEG header that says width × height, then incompressible
 * bytes up to `megabytes` (like real photo data), then the end marker. Our node checks the header;
 * the simulator, with `lightResults`, answers without decoding the bytes.
 */
function makeLargeSamples(dir, { count = 10, megabytes = 12, width = 4000, height = 3000 } = {}) {
	const crypto = require('node:crypto');
	fs.mkdirSync(dir, { recursive: true });
	const header = Buffer.from([
		0xff, 0xd8, // SOI
		0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // APP0 JFIF
		0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, // SOF0
	]);
	const names = [];
	for (let index = 0; index < count; index++) {
		const name = `large-${String(index + 1).padStart(3, '0')}.jpg`;
		const filler = crypto.randomBytes(Math.floor(megabytes * 1024 * 1024) - header.length - 2);
		fs.writeFileSync(path.join(dir, name), Buffer.concat([header, filler, Buffer.from([0xff, 0xd9])]));
		names.push(name);
	}
	return names;
}

module.exports = { makeSamples, makeLargeSamples };

if (require.main === module) {
	const [dir = 'samples', count = '8', size = '640'] = process.argv.slice(2);
	const names = makeSamples(dir, { count: Number(count), size: Number(size) });
	console.log(`wrote ${names.length} sample photos to ${dir}`);
}
