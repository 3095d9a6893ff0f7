// The core flows on every n8n version we support: binary in/out, async with polling, and a mixed
// batch whose failed items arrive on the error output paired with their input items.
const fs = require('node:fs');
const path = require('node:path');

const { startWorld, binaryBytes, alphaStats } = require('./world');
const { writeFixtures } = require('./fixtures');
const { chain, manualTrigger, noOp, picwish, readFiles, writeFiles } = require('./workflows');

const VERSIONS = (process.env.PICWISH_E2E_VERSIONS || '2.41.1,1.123.81').split(',').filter(Boolean);

describe.each(VERSIONS)('n8n %s: core flows', (version) => {
	let world;

	beforeAll(async () => {
		world = await startWorld({ version });
	});

	afterAll(async () => {
		await world?.close();
	});

	it('reads photos, removes their backgrounds and writes PNG cut-outs named after the inputs', async () => {
		const { n8n, dirs } = world;
		const result = await n8n.run(
			chain('binary to binary', [
				manualTrigger(),
				readFiles('Read photos', `${dirs.photos}/*`),
				picwish('PicWish'),
				writeFiles('Write cut-outs', dirs.out),
			]),
		);
		expect(result.ok).toBe(true);
		const inputs = world.photos();
		const expected = inputs.map((name) => name.replace(/\.[^.]+$/, '.png')).sort();
		expect(fs.readdirSync(dirs.out).sort()).toEqual(expected);
		for (const name of expected) {
			const stats = alphaStats(fs.readFileSync(path.join(dirs.out, name)));
			// A real cut-out: background gone, subject kept.
			expect(stats.transparent).toBeGreaterThan(stats.width * stats.height * 0.2);
			expect(stats.opaque).toBeGreaterThan(stats.width * stats.height * 0.05);
		}
		const items = result.outputs('PicWish').main;
		expect(items.map((item) => item.pairedItem)).toEqual(inputs.map((_, item) => ({ item })));
		expect(items.every((item) => item.binary.data.mimeType === 'image/png')).toBe(true);
	});

	it('async: creates tasks, polls them, and returns image and mask as binaries', async () => {
		const { n8n, dirs, sim } = world;
		await sim.reset();
		const result = await n8n.run(
			chain('async image and mask', [
				manualTrigger(),
				readFiles('Read photos', `${dirs.photos}/*`),
				picwish('PicWish', { processingMode: 'async', outputType: 'imageAndMask', options: { pollIntervalMs: 500 } }),
			]),
		);
		expect(result.ok).toBe(true);
		const items = result.outputs('PicWish').main;
		expect(items).toHaveLength(world.photos().length);
		for (const item of items) {
			expect(item.json.task_id).toEqual(expect.any(String));
			expect(item.json.state).toBe(1);
			expect(item.json.image).toBeUndefined();
			expect(item.binary.data.mimeType).toBe('image/png');
			expect(item.binary.mask.fileName).toMatch(/-mask\.(png|jpg)$/);
			expect(alphaStats(binaryBytes(n8n, item.binary.data)).transparent).toBeGreaterThan(0);
		}
		const stats = sim.stats();
		expect(stats.createRequests).toBe(items.length);
		// Economical polling: about one read per task when processing is shorter than the first wait.
		expect(stats.pollRequests).toBeLessThanOrEqual(items.length * 2);
		expect(stats.keyLeaks).toBe(0);
		// n8n ran the credential's authenticate() (it checks the pacing slot and drops the ticket).
		expect(stats.ticketHeaders).toBe(0);
	});

	it('a mixed batch: failed items go to the error output paired with their inputs, none lost', async () => {
		const { n8n, dirs } = world;
		const sample = fs.readFileSync(path.join(dirs.photos, world.photos()[0]));
		const mixed = path.join(n8n.filesDir, 'mixed');
		fs.mkdirSync(mixed, { recursive: true });
		const files = writeFixtures(mixed, sample, [
			['good', 'a-good.jpg'],
			['state', 'b-sim-state-7.jpg'],
			['good', 'c-good.jpg'],
			['gif', 'd-animated.gif'],
			['corrupt', 'e-corrupt.jpg'],
			['good', 'f-good.jpg'],
		]);
		const result = await n8n.run(
			chain(
				'mixed batch',
				[
					manualTrigger(),
					readFiles('Read files', `${mixed}/*`),
					picwish('PicWish', {}, { onError: 'continueErrorOutput' }),
					noOp('Succeeded'),
					noOp('Failed'),
				],
				{ errorBranches: [{ from: 'PicWish', error: 'Failed' }] },
			),
		);
		expect(result.ok).toBe(true);
		const read = result.outputs('Read files').main.map((item) => item.json.fileName);
		expect(read.slice().sort()).toEqual(files);
		const { main, error } = result.outputs('PicWish');
		expect(main.length + error.length).toBe(files.length);
		const nameOf = (item) => read[item.pairedItem.item];
		expect(main.map(nameOf).sort()).toEqual(['a-good.jpg', 'c-good.jpg', 'f-good.jpg']);
		expect(error.map(nameOf).sort()).toEqual(['b-sim-state-7.jpg', 'd-animated.gif', 'e-corrupt.jpg']);
		const byName = Object.fromEntries(error.map((item) => [nameOf(item), item.json]));
		// On the error output n8n keeps { error, message } (plus the input's fields): the message names
		// the state, the task and the item.
		expect(byName['b-sim-state-7.jpg'].error).toMatch(/not a valid image file \(state -7\) \(task [\w-]+\) \[item \d\]/);
		expect(byName['b-sim-state-7.jpg'].message).toMatch(/JPG, PNG, WEBP, BMP or TIFF/);
		expect(byName['b-sim-state-7.jpg'].fileName).toBe('b-sim-state-7.jpg');
		expect(byName['d-animated.gif'].error).toMatch(/GIF/);
		expect(byName['e-corrupt.jpg'].error).toMatch(/\(state -7\)/);
		// The failed photo travels with its error, ready for a retry branch.
		expect(error.every((item) => item.binary?.data)).toBe(true);
		expect(result.outputs('Failed').main).toHaveLength(3);
	});
});
