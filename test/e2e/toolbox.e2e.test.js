// The PicWish toolbox in a real n8n against the simulator: the product-photo chain from the example
// workflow (read → Remove Background → Generate Background → Enhance → Compress → write JPGs), one
// run of every other operation with errors and pairing, and a workflow saved by version 0.1.0.
const fs = require('node:fs');
const path = require('node:path');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const { startWorld, binaryBytes } = require('./world');
const { writeFixtures } = require('./fixtures');
const { chain, manualTrigger, noOp, picwish, readFiles, savedWorkflow } = require('./workflows');

const VERSION = process.env.PICWISH_E2E_FEATURES_VERSION || '2.41.1';

function picture(bytes) {
	if (bytes[0] === 0x89) {
		const png = PNG.sync.read(bytes);
		let transparent = 0;
		for (let index = 3; index < png.data.length; index += 4) if (png.data[index] < 255) transparent++;
		return { kind: 'png', width: png.width, height: png.height, transparent };
	}
	if (bytes[0] === 0xff && bytes[1] === 0xd8) {
		const image = jpeg.decode(bytes, { useTArray: true });
		return { kind: 'jpg', width: image.width, height: image.height, transparent: 0 };
	}
	return { kind: 'other' };
}

describe(`n8n ${VERSION}: the PicWish toolbox`, () => {
	let world;

	beforeAll(async () => {
		world = await startWorld({ version: VERSION });
		// The credential the example workflows were saved with, pointed at the simulator.
		await world.n8n.importCredentials([
			{ id: 'picwish-demo', name: 'PicWish account', type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: world.sim.apiUrl } },
		]);
	});

	afterAll(async () => {
		if (world) expect(world.sim.stats().keyLeaks).toBe(0);
		await world?.close();
	});

	it('the product-photo chain writes, for each photo, compressed JPGs of the product on generated backgrounds', async () => {
		const { n8n, dirs, sim } = world;
		await sim.reset();
		const listing = path.join(n8n.filesDir, 'listing');
		fs.mkdirSync(listing, { recursive: true });
		const workflow = savedWorkflow('examples/product-photo-chain.json', { '/home/node/photos': dirs.photos, '/home/node/listing': listing }, 'photochain');
		const result = await n8n.run(workflow);
		expect(result.ok).toBe(true);

		const photos = world.photos();
		const stems = photos.map((name) => name.replace(/\.[^.]+$/, ''));
		// Two generated scenes per photo (Pictures per Photo = 2), each its own item and file.
		const expected = stems.flatMap((stem) => [`${stem}.jpg`, `${stem}-2.jpg`]).sort();
		expect(fs.readdirSync(listing).sort()).toEqual(expected);
		expect(result.outputs('Photos that failed').main).toEqual([]);

		const cutouts = result.outputs('Remove background').main;
		const scenes = result.outputs('Generate background').main;
		const enhanced = result.outputs('Enhance').main;
		const compressed = result.outputs('Compress to JPG').main;
		expect(scenes).toHaveLength(photos.length * 2);
		// Every scene is paired with the cut-out it came from.
		expect(scenes.map((item) => item.pairedItem.item).sort()).toEqual(cutouts.flatMap((_, index) => [index, index]).sort());
		for (const [index, item] of compressed.entries()) {
			const input = picture(fs.readFileSync(path.join(dirs.photos, photos[0])));
			const scene = picture(binaryBytes(n8n, scenes[index].binary.data));
			const bigger = picture(binaryBytes(n8n, enhanced[index].binary.data));
			const written = fs.readFileSync(path.join(listing, item.binary.data.fileName));
			const final = picture(written);
			// A generated background has no alpha; Enhance doubled it; Compress made a smaller JPG.
			expect(scene).toMatchObject({ kind: 'jpg', width: input.width, height: input.height });
			expect(bigger.width).toBe(2 * scene.width);
			expect(final).toMatchObject({ kind: 'jpg', width: bigger.width, transparent: 0 });
			expect(written.length).toBeLessThan(binaryBytes(n8n, enhanced[index].binary.data).length);
			expect(item.binary.data.mimeType).toBe('image/jpeg');
		}
		const byEndpoint = sim.stats().byEndpoint;
		expect(byEndpoint['visual/segmentation'].creates).toBe(photos.length);
		expect(byEndpoint['visual/background'].creates).toBe(photos.length);
		expect(byEndpoint['visual/scale'].creates).toBe(photos.length * 2);
		expect(byEndpoint['visual/imgcompress'].creates).toBe(photos.length * 2);
	});

	it('every other operation returns its kind of result; a failed task goes to its error output, paired', async () => {
		const { n8n, dirs, sim } = world;
		await sim.reset();
		const dir = path.join(n8n.filesDir, 'tools');
		fs.mkdirSync(dir, { recursive: true });
		const sample = fs.readFileSync(path.join(dirs.photos, world.photos().find((name) => name.endsWith('.jpg')) ?? world.photos()[0]));
		const files = writeFixtures(dir, sample, [['good', 'a-photo.jpg'], ['state', 'b-sim-state-7.jpg']]);
		const onError = 'continueErrorOutput';
		const operations = {
			'Advanced Enhance': { operation: 'advancedEnhance', enhanceQuality: '1' },
			'Remove Watermark': { operation: 'removeWatermark' },
			'Remove Objects': { operation: 'removeObjects', removalArea: 'rectangles', rectangles: '[{"x":10,"y":10,"width":60,"height":40}]' },
			'Expand Image': { operation: 'expandImage', expandBy: 'sides', expandTop: 0.25, expandBottom: 0.25, expandLeft: 0.5, expandRight: 0.5 },
			'Face Cut-Out': { operation: 'faceCutout', faceFormat: 'png' },
			'ID Photo': { operation: 'idPhoto', idPhotoSize: '200x300', idPhotoFormat: 'jpg', idPhotoBackground: '#438EDB' },
			Colorize: { operation: 'colorize', colorizeFormat: 'jpg' },
			'Smart Crop': { operation: 'smartCrop', correctionType: '3' },
			'Clothing Segmentation': { operation: 'clothingSegmentation', clothingOutput: 'both', classType: '2' },
			'Extract Text': { operation: 'extractText', ocrFormat: 'txt', options: { pollIntervalMs: 400 } },
			'Enhance (async, later)': { operation: 'enhance', processingMode: 'async', returnType: 'url', options: { waitForCompletion: false } },
		};
		const read = readFiles('Read files', `${dir}/*`);
		const nodes = [manualTrigger(), read];
		const connections = { Start: { main: [[{ node: read.name, type: 'main', index: 0 }]] }, [read.name]: { main: [[]] } };
		for (const [name, parameters] of Object.entries(operations)) {
			nodes.push(picwish(name, parameters, { onError }), noOp(`${name} failed`));
			connections[read.name].main[0].push({ node: name, type: 'main', index: 0 });
			connections[name] = { main: [[], [{ node: `${name} failed`, type: 'main', index: 0 }]] };
		}
		// Get Task of the Enhance tasks: read from Enhance's own endpoint.
		nodes.push(picwish('Get enhanced', { operation: 'getTask', taskType: 'enhance', taskId: '={{ $json.task_id }}', returnType: 'binary', options: { pollIntervalMs: 300 } }, { onError }), noOp('Get enhanced failed'));
		connections['Enhance (async, later)'].main[0].push({ node: 'Get enhanced', type: 'main', index: 0 });
		connections['Get enhanced'] = { main: [[], [{ node: 'Get enhanced failed', type: 'main', index: 0 }]] };
		nodes.forEach((node, index) => { node.position = [index * 200, 0]; });
		const result = await n8n.run({ ...chain('every tool', [manualTrigger()]), nodes, connections });
		expect(result.ok).toBe(true);

		const input = picture(sample);
		const only = (name) => {
			const { main, error } = result.outputs(name);
			// Nothing lost, each paired: the good photo on the main output, the failing one on the error output
			// (for Get Task: the task of the failing photo, created without waiting, fails when read).
			expect({ name, main: main.map((item) => item.pairedItem.item), error: error.map((item) => item.pairedItem.item) }).toEqual({
				name,
				main: [files.indexOf('a-photo.jpg')],
				error: [files.indexOf('b-sim-state-7.jpg')],
			});
			expect(error[0].json.error).toMatch(/\(state -7\) \(task [\w-]+\) \[item 1\]/);
			return main[0];
		};
		const bytesOf = (name, property = 'data') => binaryBytes(n8n, only(name).binary[property]);

		expect(picture(bytesOf('Advanced Enhance')).width).toBe(2 * input.width);
		expect(picture(bytesOf('Remove Watermark'))).toMatchObject({ width: input.width, height: input.height });
		expect(only('Remove Watermark').json.file).toMatch(/^http:\/\/127\.0\.0\.1/);
		expect(picture(bytesOf('Remove Objects'))).toMatchObject({ width: input.width, height: input.height });
		expect(picture(bytesOf('Expand Image'))).toMatchObject({ width: 2 * input.width, height: Math.round(1.5 * input.height) });
		expect(picture(bytesOf('Face Cut-Out'))).toMatchObject({ kind: 'png', transparent: expect.any(Number) });
		expect(picture(bytesOf('Face Cut-Out')).transparent).toBeGreaterThan(0);
		expect(picture(bytesOf('ID Photo'))).toMatchObject({ kind: 'jpg', width: 200, height: 300 });
		expect(picture(bytesOf('Colorize')).kind).toBe('jpg');
		expect(['png', 'jpg']).toContain(picture(bytesOf('Smart Crop')).kind);
		const clothing = only('Clothing Segmentation');
		expect(Object.keys(clothing.binary).sort()).toEqual(expect.arrayContaining(['data', 'mask_bag', 'mask_shoes', 'mask_tops']));
		expect(clothing.binary.data).toMatchObject({ mimeType: 'application/zip', fileName: 'a-photo.zip' });
		expect(picture(binaryBytes(n8n, clothing.binary.mask_tops))).toMatchObject({ kind: 'png', width: input.width });
		const text = only('Extract Text');
		expect(text.binary.data).toMatchObject({ mimeType: 'text/plain', fileName: 'a-photo.txt' });
		expect(binaryBytes(n8n, text.binary.data).toString('utf8').trim().length).toBeGreaterThan(0);
		const later = only('Get enhanced');
		expect(later.binary.data.fileName).toBe(`picwish-${later.json.task_id}.jpg`);
		expect(picture(binaryBytes(n8n, later.binary.data)).width).toBeGreaterThan(input.width);
	});

	it('a workflow saved with version 0.1.0 (async tasks, then Get Task without "Task Made By") runs unchanged', async () => {
		const { n8n, dirs } = world;
		const workflow = savedWorkflow('test/e2e/saved/v0.1.0-async-task-then-fetch-later.json', { '/home/node/photos/*.jpg': `${dirs.photos}/*` }, 'savedv010');
		const result = await n8n.run(workflow);
		expect(result.ok).toBe(true);
		const created = result.outputs('Create tasks').main;
		const fetched = result.outputs('Get results').main;
		expect(created).toHaveLength(world.photos().length);
		expect(fetched.map((item) => item.json.task_id)).toEqual(created.map((item) => item.json.task_id));
		for (const item of fetched) {
			// Same results as in 0.1.0: image and mask as files named after the task.
			expect(item.binary.data).toMatchObject({ mimeType: 'image/png', fileName: `picwish-${item.json.task_id}.png` });
			expect(item.binary.mask.fileName).toMatch(new RegExp(`^picwish-${item.json.task_id}-mask\\.(png|jpg)$`));
			expect(picture(binaryBytes(n8n, item.binary.data)).transparent).toBeGreaterThan(0);
		}
	});
});
