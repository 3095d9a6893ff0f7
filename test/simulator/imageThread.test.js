// `imageThread: true` moves result making to a worker thread (the benchmarks and the queue-mode test
// use it). It must change where the work runs, not what the simulator answers.
const { simulatorWorld } = require('./client');

let inline;
let threaded;

beforeAll(async () => {
	inline = await simulatorWorld();
	threaded = await simulatorWorld({ simulator: { imageThread: true } });
});

afterAll(async () => {
	await inline?.close();
	await threaded?.close();
});

const worlds = () => [
	['on the event loop', inline],
	['on a worker thread', threaded],
];

describe('results made on a worker thread', () => {
	it('are the same bytes as results made on the event loop (base64, links, raw bytes, several files)', async () => {
		const seen = {};
		for (const [where, world] of worlds()) {
			const base64 = await world.create('visual/segmentation', { sync: 1, return_type: 2 });
			const linked = await world.run('visual/segmentation', { output_type: 1 });
			const raw = await world.create('visual/segmentation', { sync: 1, return_type: 3, output_type: 2 });
			const scaled = await world.run('visual/scale', { type: 'clean' }, { file: world.jpg, fileName: 'shop.jpg' });
			expect(base64.json.data.state).toBe(1);
			expect(raw.status).toBe(200);
			seen[where] = {
				base64: base64.json.data.image,
				linkedImage: (await world.download(linked.image)).bytes.toString('base64'),
				linkedMask: (await world.download(linked.mask)).bytes.toString('base64'),
				raw: raw.bytes.toString('base64'),
				scaled: (await world.download(scaled.image)).bytes.toString('base64'),
			};
		}
		expect(seen['on a worker thread'].base64.length).toBeGreaterThan(100);
		expect(seen['on a worker thread']).toEqual(seen['on the event loop']);
	});

	it('fail the task in the same state: -7 for a corrupt picture, -1 never (no crash of the thread)', async () => {
		for (const [, world] of worlds()) {
			const corrupt = Buffer.concat([world.png.subarray(0, 40), Buffer.alloc(200, 7)]);
			const failed = await world.create('visual/segmentation', { sync: 1 }, { file: corrupt, fileName: 'broken.png' });
			expect(failed.json.data.state).toBe(-7);
			const colorized = await world.create('visual/colorization', { sync: 1 }, { fileName: 'old-sim-state-7.png' });
			expect(colorized.json.data.state).toBe(-7);
			// The thread is still there for the next task.
			expect((await world.create('visual/segmentation', { sync: 1, return_type: 2 })).json.data.state).toBe(1);
		}
	});
});
