// Answers as the live PicWish API gives them (issue 11), in a real n8n against the simulator's
// live-API mode: "" for results not asked for, state_detail, error codes only in the JSON status,
// and a proxy's HTML 502 page — for sync, async and Get Task; binary, URL and base64.
const fs = require('node:fs');
const path = require('node:path');
const { PNG } = require('pngjs');

const { startWorld, binaryBytes } = require('./world');
const { writeFixtures } = require('./fixtures');
const { chain, manualTrigger, noOp, picwish, readFiles } = require('./workflows');

const VERSION = process.env.PICWISH_E2E_FEATURES_VERSION || '2.41.1';

/** A workflow whose Read node feeds several PicWish nodes side by side (each with an error output). */
function fanOut(name, read, branches) {
	const nodes = [manualTrigger(), read];
	const connections = { Start: { main: [[{ node: read.name, type: 'main', index: 0 }]] }, [read.name]: { main: [[]] } };
	for (const branch of branches) {
		nodes.push(branch, noOp(`${branch.name} failed`));
		connections[read.name].main[0].push({ node: branch.name, type: 'main', index: 0 });
		connections[branch.name] = { main: [[], [{ node: `${branch.name} failed`, type: 'main', index: 0 }]] };
	}
	nodes.forEach((node, index) => { node.position = [index * 200, 0]; });
	return { ...chain(name, [manualTrigger()]), nodes, connections };
}

describe(`n8n ${VERSION}: answers as the live API gives them`, () => {
	let world;

	beforeAll(async () => {
		world = await startWorld({ version: VERSION, simulator: { liveApi: true } });
	});

	afterAll(async () => {
		if (world) expect(world.sim.stats().keyLeaks).toBe(0);
		await world?.close();
	});

	it('async + binary: image-only and mask-only runs and Get Task return the files, though the API answers "" for the other', async () => {
		const { n8n, dirs, sim } = world;
		await sim.reset();
		const onError = 'continueErrorOutput';
		const result = await n8n.run(
			fanOut('live async binary', readFiles('Read photos', `${dirs.photos}/*`), [
				picwish('Cut-outs', { processingMode: 'async', outputType: 'image', options: { pollIntervalMs: 400 } }, { onError }),
				picwish('Masks', { processingMode: 'async', outputType: 'mask', options: { pollIntervalMs: 400 } }, { onError }),
			]),
		);
		expect(result.ok).toBe(true);
		const count = world.photos().length;
		const cutouts = result.outputs('Cut-outs');
		const masks = result.outputs('Masks');
		expect(cutouts.error).toEqual([]);
		expect(masks.error).toEqual([]);
		expect(cutouts.main).toHaveLength(count);
		expect(masks.main).toHaveLength(count);
		for (const item of cutouts.main) {
			// The API said "mask": "" and "state_detail": "Complete"; the node passes both on.
			expect(item.json).toMatchObject({ state: 1, mask: '', state_detail: 'Complete' });
			expect(Object.keys(item.binary)).toEqual(['data']);
			expect(PNG.sync.read(binaryBytes(n8n, item.binary.data)).width).toBeGreaterThan(0);
		}
		for (const item of masks.main) {
			expect(item.json).toMatchObject({ state: 1, image: '' });
			expect(Object.keys(item.binary)).toEqual(['mask']);
		}

		// Get Task with Binary File on image-only tasks created earlier.
		const create = picwish('Create tasks', { processingMode: 'async', returnType: 'url', options: { waitForCompletion: false } });
		const get = picwish('Get results', { operation: 'getTask', taskId: '={{ $json.task_id }}', returnType: 'binary', options: { pollIntervalMs: 300 } });
		const later = await n8n.run(chain('live get task', [manualTrigger(), readFiles('Read photos', `${dirs.photos}/*`), create, get]));
		expect(later.ok).toBe(true);
		const fetched = later.outputs('Get results').main;
		expect(fetched).toHaveLength(count);
		for (const item of fetched) {
			expect(item.json.mask).toBe('');
			expect(Object.keys(item.binary)).toEqual(['data']);
			expect(item.binary.data.fileName).toBe(`picwish-${item.json.task_id}.png`);
		}
	});

	it('a batch meeting JSON-only 429/500 and an HTML 502: every item ends on the main output, the simulator counts the retries', async () => {
		const { n8n, sim } = world;
		await sim.reset();
		const sample = fs.readFileSync(path.join(world.dirs.photos, world.photos()[0]));
		const dir = path.join(n8n.filesDir, 'live-faults');
		fs.mkdirSync(dir, { recursive: true });
		const files = writeFixtures(dir, sample, [
			['good', 'a-good.jpg'],
			['good', 'b-sim-json429.jpg'],
			['good', 'c-sim-json500.jpg'],
			['good', 'd-sim-html502.jpg'],
			['good', 'e-good.jpg'],
		]);
		const onError = 'continueErrorOutput';
		const result = await n8n.run(
			fanOut('live faults', readFiles('Read files', `${dir}/*`), [
				picwish('Sync binary', {}, { onError }),
				picwish('Async binary', { processingMode: 'async', options: { pollIntervalMs: 400 } }, { onError }),
				picwish('Async URL', { processingMode: 'async', returnType: 'url', options: { pollIntervalMs: 400 } }, { onError }),
				picwish('Async base64', { processingMode: 'async', returnType: 'base64', options: { pollIntervalMs: 400 } }, { onError }),
			]),
		);
		expect(result.ok).toBe(true);
		for (const name of ['Sync binary', 'Async binary', 'Async URL', 'Async base64']) {
			const { main, error } = result.outputs(name);
			expect({ name, failed: error.map((item) => item.json.error) }).toEqual({ name, failed: [] });
			expect(main.map((item) => item.pairedItem.item).sort()).toEqual(files.map((_, index) => index));
		}
		expect(result.outputs('Async URL').main.every((item) => /^http:\/\/127\.0\.0\.1:\d+\//.test(item.json.image))).toBe(true);
		expect(result.outputs('Async base64').main.every((item) => typeof item.json.image === 'string' && item.json.image.length > 100)).toBe(true);
		const stats = sim.stats();
		// Each token answers once on the first create of its name and once on the first poll of each
		// async task carrying it: sync (create) + three async branches (poll) = 4 each.
		console.log(`[live faults] simulator counters: ${JSON.stringify({
			jsonStatus429: stats.jsonStatus429,
			jsonStatus500: stats.jsonStatus500,
			html502: stats.html502,
			createRequests: stats.createRequests,
			pollRequests: stats.pollRequests,
			tasksCreated: stats.tasksCreated,
			status: stats.status,
		})}`);
		expect(stats.jsonStatus429).toBeGreaterThanOrEqual(4);
		expect(stats.jsonStatus500).toBeGreaterThanOrEqual(4);
		expect(stats.html502).toBeGreaterThanOrEqual(4);
		// The retries are real: more create requests than tasks (the faulted sync creates were sent again).
		expect(stats.createRequests).toBeGreaterThan(stats.tasksCreated);
	});
});
