// Every documented image endpoint (issue 13): each one's fields are validated with a 400 naming the
// field, its limits hold, and its results are real files of the right kind and size.
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const { simulatorWorld } = require('./client');
const { zipEntries, zipEntry } = require('../../simulator/documents');
const { scaled } = require('../../simulator/endpoints/scale');

let world;
let cutout; // a transparent PNG: the sample's cut-out

const decode = (bytes) => {
	if (bytes[0] === 0xff && bytes[1] === 0xd8) return { kind: 'jpg', ...jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true }) };
	const png = PNG.sync.read(bytes);
	return { kind: 'png', width: png.width, height: png.height, data: png.data };
};
const pixel = (image, x, y) => Array.from(image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4));
const centre = (image) => pixel(image, image.width >> 1, image.height >> 1);

function pngOf(width, height, rgba = () => [255, 255, 255, 255]) {
	const png = new PNG({ width, height });
	for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set(rgba(x, y), (y * width + x) * 4);
	return PNG.sync.write(png);
}

/** The result at a link: downloaded, checked for its Content-Type, decoded. */
async function picture(url, contentType) {
	const answer = await world.download(url);
	expect(answer.status).toBe(200);
	if (contentType) expect(answer.type).toBe(contentType);
	return { ...decode(answer.bytes), bytes: answer.bytes };
}

async function rejects(endpoint, fields, pattern, options) {
	const answer = await world.create(endpoint, { sync: 1, ...fields }, options);
	expect(answer.status).toBe(400);
	expect(answer.json.status).toBe(400);
	expect(answer.json.message).toMatch(pattern);
}

beforeAll(async () => {
	world = await simulatorWorld();
	cutout = (await world.create('visual/segmentation', { sync: 1, return_type: 3 })).bytes;
});
afterAll(() => world?.close());
beforeEach(() => {
	world.sim.reset();
	world.sim.configure({ liveApi: false, qps: 1000, failState: undefined });
});

describe('the task engine on every endpoint', () => {
	it('answers every endpoint and reads a task only on the endpoint that made it', async () => {
		expect(world.sim.endpoints).toHaveLength(14);
		const created = await world.create('visual/scale', { sync: 0 });
		const id = created.json.data.task_id;
		expect((await world.poll('visual/colorization', id)).status).toBe(404);
		expect((await world.poll('visual/segmentation', id)).status).toBe(404);
		expect((await world.poll('visual/scale', id)).status).toBe(200);
		expect((await world.create('visual/no-such-tool', {})).status).toBe(404);
		const stats = world.sim.stats();
		expect(stats.byEndpoint['visual/scale']).toMatchObject({ creates: 1, polls: 1, tasksCreated: 1 });
		expect(stats.byEndpoint['visual/colorization']).toMatchObject({ creates: 0, polls: 1 });
		expect(stats.pollRequests).toBe(3);
	});

	it('shares one QPS window per key across endpoints, and checks the key everywhere', async () => {
		// One request per endpoint, all at once: only a window shared by all endpoints answers 429.
		world.sim.configure({ qps: 1 });
		const started = Date.now();
		const answers = await Promise.all(world.sim.endpoints.map((endpoint) => world.poll(endpoint, 'x')));
		const seconds = Math.ceil((Date.now() - started) / 1000);
		const accepted = answers.filter((answer) => answer.status === 404).length;
		expect(answers.every((answer) => [404, 429].includes(answer.status))).toBe(true);
		expect(accepted).toBeGreaterThanOrEqual(1);
		expect(accepted).toBeLessThanOrEqual(seconds + 1);
		expect(world.sim.stats().rateLimited).toBe(answers.length - accepted);
		world.sim.configure({ qps: 1000 });
		expect((await world.create('document/ocr', {}, { key: 'nope' })).status).toBe(401);
	});

	it('needs exactly one of file and URL, a valid sync and return_type, on every endpoint', async () => {
		await rejects('visual/colorization', {}, /image_file or image_url is required/, { file: null });
		await rejects('visual/colorization', { image_url: 'http://127.0.0.1/x.png' }, /not both/);
		await rejects('visual/scale', { sync: 2 }, /Invalid sync/);
		await rejects('visual/scale', { return_type: 4 }, /Invalid return_type/);
		await rejects('visual/scale', { sync: 0, return_type: 3 }, /return_type 3 is only supported with sync=1/);
		await rejects('visual/imgcompress', { return_type: 3 }, /Invalid return_type/);
		await rejects('visual/colorization', { image_url: 'ftp://example.com/a.png' }, /Invalid image_url/, { file: null });
	});

	it('fault tokens and live mode apply to the new endpoints too', async () => {
		world.sim.configure({ liveApi: true });
		const failed = await world.create('visual/colorization', { sync: 1 }, { fileName: 'old-sim-state-7.png' });
		expect(failed.json.data).toMatchObject({ state: -7, state_detail: 'Invalid image', image: '' });
		const first = await world.create('visual/scale', { sync: 1 }, { fileName: 'x-sim-json429.png' });
		expect(first.json).toEqual({ status: 429, message: 'Too many requests' });
		const pending = await world.create('visual/background', { prompt: 'on a beach' }, { file: cutout });
		expect(pending.json.data).toMatchObject({ state: 0, state_detail: 'Queued', image: '' });
	});
});

describe('Face Cut-Out (visual/self-face-cutout)', () => {
	it('cuts out to a transparent PNG or a JPG; output_format is validated', async () => {
		const png = decode((await world.create('visual/self-face-cutout', { sync: 1, return_type: 3 })).bytes);
		expect(png.kind).toBe('png');
		expect(pixel(png, 0, 0)[3]).toBe(0);
		expect(centre(png)[3]).toBe(255);
		const { json } = await world.create('visual/self-face-cutout', { sync: 1, output_format: 'jpg', crop: 1 });
		const jpg = await picture(json.data.image, 'image/jpeg');
		expect(jpg.width).toBeLessThan(96);
		await rejects('visual/self-face-cutout', { output_format: 'gif' }, /Invalid output_format/);
		await rejects('visual/self-face-cutout', { crop: 2 }, /Invalid crop/);
	});
});

describe('Enhance (visual/scale) and Advanced Enhance (visual/scale-pro)', () => {
	it('upscales by the factor (auto by the short side), keeping the format', async () => {
		const auto = decode((await world.create('visual/scale', { sync: 1, return_type: 3 })).bytes);
		expect([auto.kind, auto.width, auto.height]).toEqual(['png', 384, 384]); // 96 px → 4×
		const { json } = await world.create('visual/scale', { sync: 1, scale_factor: 2, type: 'face', return_type: 2 }, { file: world.jpg, fileName: 'a.jpg' });
		const twice = decode(Buffer.from(json.data.image, 'base64'));
		expect([twice.kind, twice.width, twice.height]).toEqual(['jpg', 192, 192]);
		expect(scaled(2000, 1000, 4)).toEqual({ width: 4096, height: 2048 }); // the long side is capped
		expect(scaled(600, 300, 0 + 2)).toEqual({ width: 1200, height: 600 });
		await rejects('visual/scale', { scale_factor: 3 }, /Invalid scale_factor/);
		await rejects('visual/scale', { type: 'portrait' }, /Invalid type/);
	});

	it('scale-pro: 2×, return_type 1/2 only, 30 MB, image_url up to 512 characters', async () => {
		const { json } = await world.create('visual/scale-pro', { sync: 1, type: 1 });
		const image = await picture(json.data.image, 'image/png');
		expect([image.width, image.height]).toEqual([192, 192]);
		await rejects('visual/scale-pro', { return_type: 3 }, /Invalid return_type/);
		await rejects('visual/scale-pro', { type: 2 }, /Invalid type/);
		await rejects('visual/scale-pro', { image_url: `http://127.0.0.1/${'a'.repeat(520)}.png` }, /image_url is too long/, { file: null });
		const big = Buffer.concat([world.png, Buffer.alloc(16 * 1024 * 1024)]);
		expect((await world.create('visual/scale-pro', { sync: 0 }, { file: big })).status).toBe(200); // over 15 MB is fine here
		expect((await world.create('visual/scale', { sync: 0 }, { file: big })).status).toBe(413);
		const huge = Buffer.concat([world.png, Buffer.alloc(31 * 1024 * 1024)]);
		const refused = await world.create('visual/scale-pro', { sync: 0 }, { file: huge });
		expect([refused.status, refused.json.message]).toEqual([413, 'File size exceeds the limit (30MB)']);
	});
});

describe('Colorize (visual/colorization)', () => {
	it('recolours the picture in sepia tones; webp requests get a PNG', async () => {
		const jpg = decode((await world.create('visual/colorization', { sync: 1, return_type: 3 })).bytes);
		expect(jpg.kind).toBe('jpg');
		const [r, g, b] = centre(jpg);
		expect(r).toBeGreaterThan(g);
		expect(g).toBeGreaterThan(b);
		const [inR, , inB] = centre(decode(world.png));
		expect(inB).toBeGreaterThanOrEqual(inR); // the input's product is not in sepia order already
		expect(decode((await world.create('visual/colorization', { sync: 1, return_type: 3, format: 'webp' })).bytes).kind).toBe('png');
		expect(decode((await world.create('visual/colorization', { sync: 1, return_type: 3, format: 'png' })).bytes).kind).toBe('png');
		await rejects('visual/colorization', { format: 'bmp' }, /Invalid format/);
	});
});

describe('ID Photo (visual/idphoto)', () => {
	it('makes exactly the asked size, transparent or on bg_color', async () => {
		const { json } = await world.create('visual/idphoto', { sync: 1, size: '120x150' });
		const png = await picture(json.data.image, 'image/png');
		expect([png.width, png.height, pixel(png, 0, 0)[3]]).toEqual([120, 150, 0]);
		const red = await world.create('visual/idphoto', { sync: 1, size: '100x100', format: 'jpg', bg_color: 'FF0000', return_type: 2 });
		const jpg = decode(Buffer.from(red.json.data.image, 'base64'));
		expect([jpg.width, jpg.height]).toEqual([100, 100]);
		expect(pixel(jpg, 1, 1)[0]).toBeGreaterThan(200);
		expect(pixel(jpg, 1, 1)[1]).toBeLessThan(60);
		const original = await world.create('visual/idphoto', { sync: 1, return_type: 2 });
		expect(decode(Buffer.from(original.json.data.image, 'base64')).width).toBe(96);
		await rejects('visual/idphoto', { size: '120X150' }, /Invalid size/);
		await rejects('visual/idphoto', { size: '99x150' }, /100 to 2000/);
		await rejects('visual/idphoto', { size: '120x2001' }, /100 to 2000/);
		await rejects('visual/idphoto', { bg_color: 'ffffff' }, /bg_color needs format=jpg/);
		await rejects('visual/idphoto', { return_type: 3 }, /Invalid return_type/);
	});
});

describe('Compress (visual/imgcompress)', () => {
	it('answers fewer bytes than the input, in the input\'s format, resized when asked', async () => {
		const fromJpg = await world.create('visual/imgcompress', { sync: 1, return_type: 2 }, { file: world.jpg, fileName: 'a.jpg' });
		const jpgBytes = Buffer.from(fromJpg.json.data.image, 'base64');
		expect(decode(jpgBytes).kind).toBe('jpg');
		expect(jpgBytes.length).toBeLessThan(world.jpg.length);
		const fromPng = await world.create('visual/imgcompress', { sync: 1 });
		const png = await picture(fromPng.json.data.image, 'image/png');
		expect(png.bytes.length).toBeLessThan(world.png.length);
		const resized = await world.create('visual/imgcompress', { sync: 1, return_type: 2, width: 48, format: 'jpg', quality: 80 });
		const small = decode(Buffer.from(resized.json.data.image, 'base64'));
		expect([small.kind, small.width, small.height]).toEqual(['jpg', 48, 48]);
		const both = await world.create('visual/imgcompress', { sync: 1, return_type: 2, width: 40, height: 20 }, { file: world.jpg, fileName: 'a.jpg' });
		expect(decode(Buffer.from(both.json.data.image, 'base64'))).toMatchObject({ width: 40, height: 20 });
	});

	it('kbyte aims at that size', async () => {
		const { json } = await world.create('visual/imgcompress', { sync: 1, return_type: 2, kbyte: 2 }, { file: world.jpg, fileName: 'a.jpg' });
		const bytes = Buffer.from(json.data.image, 'base64');
		expect(bytes.length).toBeLessThanOrEqual(2048);
		expect(decode(bytes).kind).toBe('jpg');
	});

	it('validates quality XOR kbyte, kbyte without PNG, sizes and format', async () => {
		await rejects('visual/imgcompress', { quality: 50, kbyte: 100 }, /mutually exclusive/);
		await rejects('visual/imgcompress', { kbyte: 100, format: 'png' }, /kbyte cannot be used with format=png/);
		await rejects('visual/imgcompress', { kbyte: 100 }, /kbyte cannot be used with a PNG/); // a PNG kept as PNG
		await rejects('visual/imgcompress', { quality: 0 }, /Invalid quality/);
		await rejects('visual/imgcompress', { quality: 101 }, /Invalid quality/);
		await rejects('visual/imgcompress', { kbyte: 51201, format: 'jpg' }, /Invalid kbyte/);
		await rejects('visual/imgcompress', { width: 8001 }, /Invalid width/);
		await rejects('visual/imgcompress', { height: -1 }, /Invalid height/);
		await rejects('visual/imgcompress', { format: 'gif' }, /Invalid format/);
	});
});

describe('Extract Text (document/ocr)', () => {
	it('is async only and validates language, password and format', async () => {
		await rejects('document/ocr', { sync: 1 }, /ocr supports async only/);
		await rejects('document/ocr', { sync: 0, language: 'english' }, /Invalid language: english/);
		await rejects('document/ocr', { sync: 0, language: Array(11).fill('English').join(',') }, /at most 10/);
		await rejects('document/ocr', { sync: 0, password: 'p'.repeat(33) }, /password is too long/);
		await rejects('document/ocr', { sync: 0, format: 'odt' }, /Invalid format/);
	});

	it('answers data.file: a document of the asked format, for images and documents', async () => {
		const txt = await world.run('document/ocr', { language: 'English,Digits' });
		expect(txt).not.toHaveProperty('image');
		const text = await world.download(txt.file);
		expect(text.type).toMatch(/^text\/plain/);
		expect(text.bytes.toString('utf8')).toMatch(/ORGANIC COTTON T-SHIRT[\s\S]*English,Digits/);
		const pdf = await world.download((await world.run('document/ocr', { format: 'pdf' })).file);
		expect(pdf.type).toBe('application/pdf');
		const pdfText = pdf.bytes.toString('latin1');
		expect(pdfText.startsWith('%PDF-1.4')).toBe(true);
		const xref = Number(/startxref\n(\d+)/.exec(pdfText)[1]);
		expect(pdfText.slice(xref, xref + 4)).toBe('xref'); // the cross-reference table is where it says
		for (const [format, part] of [['docx', 'word/document.xml'], ['xlsx', 'xl/worksheets/sheet1.xml'], ['pptx', 'ppt/slides/slide1.xml']]) {
			const file = await world.download((await world.run('document/ocr', { format }, { file: pdf.bytes, fileName: 'spec-sheet.pdf' })).file);
			expect(file.type).toMatch(new RegExp(`openxmlformats-officedocument\\.${{ docx: 'wordprocessingml', xlsx: 'spreadsheetml', pptx: 'presentationml' }[format]}`));
			expect(zipEntries(file.bytes)).toEqual(expect.arrayContaining(['[Content_Types].xml', '_rels/.rels', part]));
			expect(zipEntry(file.bytes, part).toString('utf8')).toContain('Made in Portugal');
		}
	});

	it('ends in -4 / -6 by token and -7 for a file that is neither image nor document', async () => {
		expect((await world.run('document/ocr', {}, { fileName: 'locked-sim-state-6.pdf' })).state).toBe(-6);
		expect((await world.run('document/ocr', {}, { fileName: 'x-sim-state-4.png' })).state).toBe(-4);
		expect((await world.run('document/ocr', {}, { file: Buffer.from('just some bytes'), fileName: 'a.bin' })).state).toBe(-7);
	});
});

describe('Smart Crop (visual/correction)', () => {
	it('trims margins (type 3), enhances text (1), removes the background (4)', async () => {
		const cropped = decode((await world.create('visual/correction', { sync: 1, return_type: 3, type: 3 })).bytes);
		expect(cropped.width).toBeLessThan(96);
		expect(cropped.height).toBeLessThan(96);
		const enhanced = decode((await world.create('visual/correction', { sync: 1, return_type: 3 })).bytes);
		expect([enhanced.width, enhanced.height]).toEqual([96, 96]);
		const product = decode((await world.create('visual/correction', { sync: 1, return_type: 3, type: 4 })).bytes);
		expect(product.kind).toBe('png');
		expect(pixel(product, 0, 0)[3]).toBe(0);
		await rejects('visual/correction', { type: 5 }, /Invalid type/);
	});
});

describe('Remove Objects (visual/inpaint)', () => {
	it('fills rectangles and mask areas with the surrounding colour', async () => {
		const before = decode(world.png);
		expect(Math.min(...centre(before).slice(0, 3))).toBeLessThan(150); // the product is in the middle
		const rectangles = JSON.stringify([{ x: 10, y: 10, width: 76, height: 76 }]);
		const answer = await world.create('visual/inpaint', { sync: 1, return_type: 2, rectangles });
		const filled = decode(Buffer.from(answer.json.data.image, 'base64'));
		expect([filled.kind, filled.width, filled.height]).toEqual(['png', 96, 96]);
		expect(Math.min(...centre(filled).slice(0, 3))).toBeGreaterThan(200); // now studio background
		const mask = pngOf(96, 96, (x, y) => (x > 15 && x < 81 && y > 15 && y < 81 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
		const { json } = await world.create('visual/inpaint', { sync: 1 }, { extraFiles: { mask_file: { bytes: mask } } });
		const masked = await picture(json.data.image, 'image/png');
		expect(Math.min(...centre(masked).slice(0, 3))).toBeGreaterThan(200);
	});

	it('needs exactly one of mask_url, mask_file, rectangles, and valid rectangles', async () => {
		await rejects('visual/inpaint', {}, /mask_url, mask_file or rectangles is required/);
		await rejects('visual/inpaint', { rectangles: '[{"x":0,"y":0,"width":5,"height":5}]', mask_url: 'http://127.0.0.1/m.png' }, /not mask_url and rectangles/);
		await rejects('visual/inpaint', { rectangles: 'x' }, /Invalid rectangles: not JSON/);
		await rejects('visual/inpaint', { rectangles: JSON.stringify(Array(51).fill({ x: 0, y: 0, width: 1, height: 1 })) }, /at most 50/);
		await rejects('visual/inpaint', { rectangles: '[{"x":0,"y":0,"width":0,"height":5}]' }, /rectangles\[0\]/);
		await rejects('visual/inpaint', { return_type: 3, rectangles: '[{"x":0,"y":0,"width":5,"height":5}]' }, /Invalid return_type/);
	});
});

describe('Remove Watermark (visual/external/watermark-remove)', () => {
	it('reads url/file (not image_url/image_file), is async by default and answers data.file', async () => {
		await rejects('visual/external/watermark-remove', {}, /^url or file is required$/);
		await rejects('visual/external/watermark-remove', { image_url: 'http://127.0.0.1/a.png' }, /^url or file is required$/, { file: null });
		const created = await world.create('visual/external/watermark-remove', {}, { fileField: 'file' });
		expect(created.json.data.state).toBe(0); // sync defaults to 0
		const done = (await world.settle('visual/external/watermark-remove', created.json.data.task_id)).json.data;
		expect(done).toEqual(expect.objectContaining({ state: 1, created_at: expect.any(Number), processed_at: expect.any(Number), completed_at: expect.any(Number) }));
		expect(done).not.toHaveProperty('image');
		expect(done).not.toHaveProperty('return_type');
		const file = await picture(done.file, 'image/png');
		expect([file.width, file.height]).toEqual([96, 96]);
		const name = require('node:fs').readdirSync(world.samplesDir)[0];
		const byUrl = await world.create('visual/external/watermark-remove', { sync: 1, url: `${world.sim.storageUrl}/samples/${name}` }, { file: null });
		expect(byUrl.json.data.file).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tasks\/output\/watermark-remove\//);
	});
});

describe('Generate Background (visual/background)', () => {
	it('answers an array of batch_size opaque JPGs of the input size, the subject on different scenes', async () => {
		const data = await world.run('visual/background', { prompt: 'on a marble table' }, { file: cutout });
		expect(Array.isArray(data.image)).toBe(true);
		expect(data.image).toHaveLength(2);
		const scenes = [];
		for (const url of data.image) scenes.push(await picture(url, 'image/jpeg'));
		for (const scene of scenes) {
			expect([scene.kind, scene.width, scene.height]).toEqual(['jpg', 96, 96]);
			expect(pixel(scene, 0, 0)[3]).toBe(255);
		}
		expect(pixel(scenes[0], 2, 2)).not.toEqual(pixel(scenes[1], 2, 2)); // a different scene per variant
		const subject = centre(decode(cutout));
		for (const scene of scenes) centre(scene).slice(0, 3).forEach((value, channel) => expect(Math.abs(value - subject[channel])).toBeLessThan(30));
		const base64 = await world.run('visual/background', { scene_type: 3, batch_size: 4, return_type: 2 }, { file: cutout });
		expect(base64.image).toHaveLength(4);
		expect(decode(Buffer.from(base64.image[3], 'base64')).kind).toBe('jpg');
	});

	it('answers objects with sim-bg-objects and a single string with sim-bg-string and batch_size 1', async () => {
		const objects = await world.run('visual/background', { prompt: 'studio', batch_size: 1 }, { file: cutout, fileName: 'p-sim-bg-objects.png' });
		expect(objects.image).toEqual([{ url: expect.stringMatching(/^http:/), width: 96, height: 96 }]);
		const single = await world.run('visual/background', { prompt: 'studio', batch_size: 1 }, { file: cutout, fileName: 'p-sim-bg-string.png' });
		expect(typeof single.image).toBe('string');
		expect((await picture(single.image, 'image/jpeg')).width).toBe(96);
	});

	it('is async only and validates batch_size, prompt XOR scene_type', async () => {
		await rejects('visual/background', { sync: 1, prompt: 'x' }, /background supports async only/);
		await rejects('visual/background', { sync: 0 }, /prompt or scene_type is required/);
		await rejects('visual/background', { sync: 0, prompt: 'x', scene_type: 2 }, /not both/);
		await rejects('visual/background', { sync: 0, prompt: 'x', batch_size: 5 }, /Invalid batch_size/);
		await rejects('visual/background', { sync: 0, prompt: 'x'.repeat(1025) }, /prompt is too long/);
		await rejects('visual/background', { sync: 0, scene_type: 'beach' }, /Invalid scene_type/);
	});
});

describe('Expand Image (visual/advanced-image-expand)', () => {
	it('grows the canvas by the side ratios (default 0.1) and fills the border', async () => {
		const { json } = await world.create('visual/advanced-image-expand', { sync: 1 });
		const image = await picture(json.data.image, 'image/png');
		expect([image.width, image.height]).toEqual([116, 116]);
		const tall = await world.create('visual/advanced-image-expand', { sync: 1, return_type: 2, top: 0.5, bottom: 1, left: 0.25, right: 0.25 }, { file: world.jpg, fileName: 'a.jpg' });
		const jpg = decode(Buffer.from(tall.json.data.image, 'base64'));
		expect([jpg.kind, jpg.width, jpg.height]).toEqual(['jpg', 144, 240]);
		expect(pixel(jpg, 0, 0)[3]).toBe(255);
	});

	it('canvas mode: a mask of the image size is filled; other sizes, formats and ratios are refused', async () => {
		const mask = pngOf(96, 96, (x) => (x < 20 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
		const { json } = await world.create('visual/advanced-image-expand', { sync: 1, return_type: 2 }, { extraFiles: { mask_file: { bytes: mask } } });
		expect(decode(Buffer.from(json.data.image, 'base64'))).toMatchObject({ width: 96, height: 96 });
		await rejects('visual/advanced-image-expand', {}, /mask_file must have the image's size \(96x96\), not 50x50/, { extraFiles: { mask_file: { bytes: pngOf(50, 50) } } });
		await rejects('visual/advanced-image-expand', { top: 0 }, /Invalid top/);
		await rejects('visual/advanced-image-expand', { left: 1.5 }, /Invalid left/);
		await rejects('visual/advanced-image-expand', {}, /JPG or PNG only/, { file: Buffer.from('R0lGODlhQABAAAAAACw=', 'base64'), fileName: 'a.gif' });
		await rejects('visual/advanced-image-expand', {}, /below 64x64/, { file: pngOf(50, 80) });
		await rejects('visual/advanced-image-expand', { return_type: 3 }, /Invalid return_type/);
		const big = Buffer.concat([world.png, Buffer.alloc(5 * 1024 * 1024)]);
		expect((await world.create('visual/advanced-image-expand', { sync: 0 }, { file: big })).status).toBe(413);
	});
});

describe('Clothing Segmentation (visual/clothing-segmentation)', () => {
	it('answers class_masks: black/white PNG masks of the input size per part', async () => {
		const { json } = await world.create('visual/clothing-segmentation', { sync: 1 });
		expect(Object.keys(json.data.class_masks).sort()).toEqual(['bottoms', 'clothes', 'dress', 'tops']);
		expect(json.data).not.toHaveProperty('clothes_masks');
		const tops = await picture(json.data.class_masks.tops, 'image/png');
		expect([tops.width, tops.height]).toEqual([96, 96]);
		const values = new Set();
		for (let at = 0; at < tops.data.length; at += 4) values.add(tops.data[at]);
		expect([...values].sort((a, b) => a - b)).toEqual([0, 255]);
		const fashion = await world.create('visual/clothing-segmentation', { sync: 1, class_type: 2 });
		expect(Object.keys(fashion.json.data.class_masks)).toEqual(expect.arrayContaining(['bag', 'shoes']));
	});

	it('answers clothes_masks: a ZIP of the masks (output_type 2, 3); live mode leaves the other ""', async () => {
		world.sim.configure({ liveApi: true });
		const zipOnly = await world.create('visual/clothing-segmentation', { sync: 1, output_type: 2 });
		expect(zipOnly.json.data.class_masks).toBe('');
		const archive = await world.download(zipOnly.json.data.clothes_masks);
		expect(archive.type).toBe('application/zip');
		expect(zipEntries(archive.bytes).sort()).toEqual(['bottoms.png', 'clothes.png', 'dress.png', 'tops.png']);
		expect(PNG.sync.read(zipEntry(archive.bytes, 'tops.png')).width).toBe(96);
		const both = await world.create('visual/clothing-segmentation', { sync: 1, output_type: 3 });
		expect(typeof both.json.data.class_masks).toBe('object');
		expect(both.json.data.clothes_masks).toMatch(/\.zip\?/);
		const first = await world.create('visual/clothing-segmentation', { sync: 1, output_type: 1 });
		expect(first.json.data.clothes_masks).toBe('');
		for (const field of ['detail_mode', 'output_type', 'quality', 'class_type']) {
			await rejects('visual/clothing-segmentation', { [field]: 3 + (field === 'output_type' ? 1 : 0) }, new RegExp(`Invalid ${field}`));
		}
	});
});
