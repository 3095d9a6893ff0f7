// The fault matrix (README "Reliability"): every fault the API and the network can produce ends as a
// clear per-item outcome in a real n8n, nothing is lost, and the key never reaches the storage host.
const fs = require('node:fs');
const path = require('node:path');

const { startWorld, CREDENTIALS } = require('./world');
const { writeFixtures } = require('./fixtures');
const { chain, manualTrigger, noOp, picwish, readFiles } = require('./workflows');

const VERSION = process.env.PICWISH_E2E_FEATURES_VERSION || '2.41.1';

/** Read → PicWish (error output on) → Succeeded / Failed; returns the run and the read file names. */
async function runBatch(world, folder, parameters = {}, nodeOptions = {}) {
	const result = await world.n8n.run(
		chain(
			`faults ${path.basename(folder)}`,
			[
				manualTrigger(),
				readFiles('Read files', `${folder}/*`),
				picwish('PicWish', parameters, { onError: 'continueErrorOutput', ...nodeOptions }),
				noOp('Succeeded'),
				noOp('Failed'),
			],
			{ errorBranches: [{ from: 'PicWish', error: 'Failed' }] },
		),
	);
	expect(result.ok).toBe(true);
	const names = result.outputs('Read files').main.map((item) => item.json.fileName);
	const { main, error } = result.outputs('PicWish');
	// Nothing lost: every input item comes out of exactly one of the two outputs, paired.
	expect(main.length + error.length).toBe(names.length);
	const paired = [...main, ...error].map((item) => item.pairedItem.item).sort((a, b) => a - b);
	expect(paired).toEqual(names.map((_, index) => index));
	const nameOf = (item) => names[item.pairedItem.item];
	return {
		result,
		succeeded: main.map(nameOf).sort(),
		failed: Object.fromEntries(error.map((item) => [nameOf(item), item.json])),
	};
}

function folder(world, name) {
	const dir = path.join(world.n8n.filesDir, name);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

describe(`n8n ${VERSION}: fault matrix`, () => {
	let world;
	let sample;

	beforeAll(async () => {
		world = await startWorld({ version: VERSION });
		sample = fs.readFileSync(path.join(world.dirs.photos, world.photos()[0]));
	});

	afterAll(async () => {
		if (world) expect(world.sim.stats().keyLeaks).toBe(0);
		await world?.close();
	});

	it('failed states, bad files and a 500 once: each item gets its own clear outcome', async () => {
		const dir = folder(world, 'matrix');
		writeFixtures(dir, sample, [
			['good', 'good-1.jpg'],
			['good', 'good-2-sim-500.jpg'],
			['state', 'state-sim-state-1.jpg'],
			['state', 'state-sim-state-2.jpg'],
			['state', 'state-sim-state-3.jpg'],
			['state', 'state-sim-state-5.jpg'],
			['state', 'state-sim-state-7.jpg'],
			['state', 'state-sim-state-8.jpg'],
			['corrupt', 'corrupt.jpg'],
			['gif', 'animated.gif'],
			['oversize', 'oversize.jpg'],
			['wide', 'too-wide.png'],
		]);
		await world.sim.reset();
		const { succeeded, failed } = await runBatch(world, dir);
		expect(succeeded).toEqual(['good-1.jpg', 'good-2-sim-500.jpg']);
		const expectations = {
			'state-sim-state-1.jpg': [-1, /PicWish reported the task as failed/],
			'state-sim-state-2.jpg': [-2, /could not store the result/],
			'state-sim-state-3.jpg': [-3, /could not download the image/],
			'state-sim-state-5.jpg': [-5, /larger than 15 MB/],
			'state-sim-state-7.jpg': [-7, /not a valid image file/],
			'state-sim-state-8.jpg': [-8, /timed out processing/],
			'corrupt.jpg': [-7, /not a valid image file/],
		};
		for (const [name, [state, message]] of Object.entries(expectations)) {
			expect(failed[name].error).toMatch(message);
			expect(failed[name].error).toMatch(new RegExp(`\\(state ${state}\\) \\(task [\\w-]+\\) \\[item \\d+\\]`));
			expect(failed[name].message).toEqual(expect.any(String));
		}
		expect(failed['animated.gif'].error).toMatch(/GIF/);
		expect(failed['oversize.jpg'].error).toMatch(/over PicWish's 15 MB limit/);
		expect(failed['too-wide.png'].error).toMatch(/5000×300 px, over PicWish's limit of 4096×4096/);
		const stats = world.sim.stats();
		// -2 and -8 were tried once more as new tasks; pre-flight failures never reached the API.
		expect(stats.tasksByState['-2']).toBe(2);
		expect(stats.tasksByState['-8']).toBe(2);
		expect(stats.status['500']).toBe(1);
	});

	it('a 429 storm: requests are slowed and retried, every item succeeds', async () => {
		await world.sim.reset();
		world.sim.configure({ burst429: 5, retryAfterSeconds: 1 });
		const { succeeded, failed } = await runBatch(world, world.dirs.photos);
		expect(Object.keys(failed)).toEqual([]);
		expect(succeeded).toHaveLength(world.photos().length);
		expect(world.sim.stats().rateLimited).toBeGreaterThanOrEqual(5);
		world.sim.configure({ burst429: 0, retryAfterSeconds: undefined });
	});

	it('a task slower than the timeout fails with its task ID', async () => {
		const dir = folder(world, 'slow');
		writeFixtures(dir, sample, [['good', 'quick.jpg'], ['state', 'slow-sim-slow-30000.jpg']]);
		const { succeeded, failed } = await runBatch(world, dir, {
			processingMode: 'async',
			options: { timeoutSeconds: 2, pollIntervalMs: 400 },
		});
		expect(succeeded).toEqual(['quick.jpg']);
		expect(failed['slow-sim-slow-30000.jpg'].error).toMatch(/task [\w-]+ was not finished after 2 s/);
	});

	it('result links: \\u0026 is repaired, an expired link is a clear error', async () => {
		const dir = folder(world, 'links');
		writeFixtures(dir, sample, [['good', 'escaped-sim-u0026.jpg'], ['good', 'stale-sim-expired.jpg']]);
		const create = picwish('Create', { processingMode: 'async', returnType: 'url', options: { pollIntervalMs: 400 } });
		const fetchResult = picwish('PicWish', { operation: 'getTask', taskId: '={{ $json.task_id }}' }, { onError: 'continueErrorOutput' });
		const result = await world.n8n.run(
			chain(
				'links',
				[manualTrigger(), readFiles('Read files', `${dir}/*`), create, fetchResult, noOp('Succeeded'), noOp('Failed')],
				{ errorBranches: [{ from: 'PicWish', error: 'Failed' }] },
			),
		);
		expect(result.ok).toBe(true);
		const created = result.outputs('Create').main;
		expect(created.every((item) => !String(item.json.image).includes('\\u0026'))).toBe(true);
		const { main, error } = result.outputs('PicWish');
		expect(main).toHaveLength(1);
		expect(main[0].binary.data.mimeType).toBe('image/png');
		expect(error).toHaveLength(1);
		expect(error[0].json.error).toMatch(/result link has expired or was refused \(HTTP 403 AccessDenied\)/);
		expect(error[0].json.message).toMatch(/valid for one hour/);
	});

	it('wrong key, unreachable host and a missing binary property', async () => {
		const read = readFiles('Read files', `${world.dirs.photos}/*`);
		const wrongKey = picwish('Wrong key', {}, { credential: CREDENTIALS.wrongKey, onError: 'continueErrorOutput' });
		const unreachable = picwish('Unreachable', { options: { maxRetries: 1 } }, { credential: CREDENTIALS.unreachable, onError: 'continueErrorOutput' });
		const missing = picwish('Missing property', { binaryPropertyName: 'photo' }, { onError: 'continueErrorOutput' });
		const regular = picwish('Wrong key, Continue', {}, { credential: CREDENTIALS.wrongKey, onError: 'continueRegularOutput' });
		const workflow = chain('setup faults', [manualTrigger(), read, wrongKey, unreachable, missing, regular]);
		// Fan out: all four read the same files.
		workflow.connections = {
			Start: { main: [[{ node: 'Read files', type: 'main', index: 0 }]] },
			'Read files': {
				main: [[wrongKey, unreachable, missing, regular].map((node) => ({ node: node.name, type: 'main', index: 0 }))],
			},
		};
		const result = await world.n8n.run(workflow);
		expect(result.ok).toBe(true);
		const count = world.photos().length;
		for (const [name, pattern, advice] of [
			['Wrong key', /rejected the API key \(HTTP 401\)/, /Check the PicWish API credential/],
			['Unreachable', /Could not reach PicWish at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/, /region or base URL/],
			['Missing property', /no binary property "photo" \(field "Input Binary Field"\)/, /binary properties are: data/],
		]) {
			const { main, error } = result.outputs(name);
			expect(main).toHaveLength(0);
			expect(error).toHaveLength(count);
			for (const item of error) {
				expect(item.json.error).toMatch(pattern);
				expect(item.json.message).toMatch(advice);
			}
		}
		// "On Error: Continue": the failed items stay on the main output, with every detail.
		const continued = result.outputs('Wrong key, Continue').main;
		expect(continued).toHaveLength(count);
		expect(continued.map((item) => item.pairedItem.item)).toEqual([...Array(count).keys()]);
		for (const item of continued) {
			expect(item.json).toMatchObject({ httpCode: 401, error: expect.stringMatching(/HTTP 401/), description: expect.any(String) });
			expect(item.binary.data).toBeDefined();
		}
	});
});
