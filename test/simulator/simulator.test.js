// The local PicWish simulator answers like the API document says: the world the e2e suite, the demo
// and the benchmark run in is only as good as these checks.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const { startSimulator } = require('../../simulator/server');
const { makeSamples } = require('../../scripts/make-samples');

const PATH = '/api/tasks/visual/segmentation';
let sim;
let photo;
let samplesDir;

function form(fields, file = photo, fileName = 'mug.png') {
	const body = new FormData();
	if (file) body.append('image_file', new Blob([file]), fileName);
	for (const [name, value] of Object.entries(fields)) body.append(name, String(value));
	return body;
}

async function create(fields, { key = 'sim-key', file, fileName } = {}) {
	const response = await fetch(`${sim.apiUrl}${PATH}`, {
		method: 'POST',
		headers: key ? { 'X-API-KEY': key } : {},
		body: form(fields, file === undefined ? photo : file, fileName),
	});
	const bytes = Buffer.from(await response.arrayBuffer());
	const type = response.headers.get('content-type') || '';
	return { status: response.status, headers: response.headers, bytes, json: type.includes('json') ? JSON.parse(bytes) : undefined };
}

async function poll(taskId, key = 'sim-key') {
	const response = await fetch(`${sim.apiUrl}${PATH}/${taskId}`, { headers: { 'X-API-KEY': key } });
	return { status: response.status, json: await response.json() };
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	samplesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picwish-sim-'));
	const [name] = await makeSamples(samplesDir, { count: 3, size: 96 });
	photo = fs.readFileSync(path.join(samplesDir, fs.readdirSync(samplesDir).find((file) => file.endsWith('.png')) ?? name));
	sim = await startSimulator({ processingMs: 150, qps: 1000, samplesDir });
});

afterAll(async () => {
	await sim?.close();
	fs.rmSync(samplesDir, { recursive: true, force: true });
});

beforeEach(() => {
	sim.reset();
	sim.configure({ qps: 1000, expireLinks: false, escapeAmpersand: false, failState: undefined, retryAfterSeconds: undefined });
});

describe('authentication and validation', () => {
	it('answers 401 without a key or with a wrong one', async () => {
		expect((await create({ sync: 1 }, { key: null })).status).toBe(401);
		const wrong = await create({ sync: 1 }, { key: 'nope' });
		expect(wrong.status).toBe(401);
		expect(wrong.json.message).toMatch(/X-API-KEY/);
	});

	it('answers 400 for bad parameters and a missing image', async () => {
		expect((await create({ sync: 1, output_type: 9 })).status).toBe(400);
		expect((await create({ sync: 1, bg_color: 'ffffff' })).status).toBe(400); // png has no background colour
		expect((await create({ sync: 1, format: 'jpg', bg_color: 'red' })).status).toBe(400);
		expect((await create({ sync: 1 }, { file: null })).status).toBe(400);
	});

	it('answers 413 for a file over 15 MB', async () => {
		const big = Buffer.concat([photo, Buffer.alloc(15 * 1024 * 1024)]);
		expect((await create({ sync: 1 }, { file: big })).status).toBe(413);
	});

	it('limits each key to its QPS with 429 (Retry-After when configured); a 429 does not use up the window', async () => {
		sim.configure({ qps: 2, retryAfterSeconds: 1 });
		const answers = await Promise.all([0, 1, 2, 3].map(() => poll('missing-task')));
		const statuses = answers.map((answer) => answer.status).sort();
		expect(statuses).toEqual([404, 404, 429, 429]);
		expect(sim.stats().rateLimited).toBe(2);
		await pause(1050);
		expect((await poll('missing-task')).status).toBe(404);
	});
});

describe('results', () => {
	it('sync, return_type 3: the cut-out itself, a PNG with transparent background pixels', async () => {
		const answer = await create({ sync: 1, return_type: 3 });
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('image/png');
		const png = PNG.sync.read(answer.bytes);
		const input = PNG.sync.read(photo);
		expect([png.width, png.height]).toEqual([input.width, input.height]);
		expect(png.data[3]).toBe(0); // the corner is background: transparent
		const centre = ((png.height >> 1) * png.width + (png.width >> 1)) * 4;
		expect(png.data[centre + 3]).toBe(255); // the middle is the product: opaque
	});

	it('return_type 2 and output_type 1: image and mask as base64', async () => {
		const { json } = await create({ sync: 1, return_type: 2, output_type: 1 });
		expect(json.data.state).toBe(1);
		const mask = PNG.sync.read(Buffer.from(json.data.mask, 'base64'));
		expect(mask.data[0]).toBe(0); // background black
		expect(PNG.sync.read(Buffer.from(json.data.image, 'base64')).width).toBeGreaterThan(0);
	});

	it('jpg with bg_color: a JPEG on that colour; crop makes it smaller', async () => {
		const { json } = await create({ sync: 1, return_type: 2, format: 'jpg', bg_color: 'FF0000', crop: 1 });
		const image = jpeg.decode(Buffer.from(json.data.image, 'base64'), { useTArray: true });
		const input = PNG.sync.read(photo);
		expect(image.width * image.height).toBeLessThan(input.width * input.height);
		const [r, g, b] = image.data;
		expect(r).toBeGreaterThan(200);
		expect(g).toBeLessThan(60);
		expect(b).toBeLessThan(60);
	});

	it('return_type 1: links on the storage host that download without the key; a key sent there is counted', async () => {
		const { json } = await create({ sync: 1 });
		expect(json.data.image.startsWith(sim.storageUrl)).toBe(true);
		const download = await fetch(json.data.image);
		expect(download.status).toBe(200);
		expect(PNG.sync.read(Buffer.from(await download.arrayBuffer())).width).toBeGreaterThan(0);
		expect(sim.stats().keyLeaks).toBe(0);
		await fetch(json.data.image, { headers: { 'X-API-KEY': 'sim-key' } });
		expect(sim.stats().keyLeaks).toBe(1);
	});

	it('expired links answer 403 AccessDenied XML; \\u0026 links are escaped as the real API sometimes does', async () => {
		sim.configure({ expireLinks: true });
		const { json } = await create({ sync: 1 });
		const refused = await fetch(json.data.image);
		expect(refused.status).toBe(403);
		expect(await refused.text()).toMatch(/<Code>AccessDenied<\/Code>/);
		sim.configure({ expireLinks: false });
		const escaped = await create({ sync: 1 }, { fileName: 'x-sim-u0026.png' });
		expect(escaped.bytes.toString('utf8')).toContain('\\u0026');
		const repaired = JSON.parse(escaped.bytes.toString('utf8')).data.image;
		expect((await fetch(repaired.replaceAll('\\u0026', '&'))).status).toBe(200);
	});
});

describe('async tasks and faults', () => {
	it('goes through the states 0 → 2 → 4 → 1', async () => {
		const { json } = await create({ sync: 0 });
		expect(json.data.state).toBe(0);
		const seen = [0];
		for (let i = 0; i < 40 && seen.at(-1) !== 1; i++) {
			await pause(10);
			const { json: task } = await poll(json.data.task_id);
			if (task.data.state !== seen.at(-1)) seen.push(task.data.state);
		}
		expect(seen).toEqual([0, 2, 4, 1]);
		expect(sim.stats().pollRequests).toBeGreaterThan(2);
	});

	it('fails a task with the state named in the file name, and answers 500 once', async () => {
		for (const state of [1, 2, 3, 5, 7, 8]) {
			const { json } = await create({ sync: 1 }, { fileName: `p-sim-state-${state}.png` });
			expect(json.data.state).toBe(-state);
		}
		const first = await create({ sync: 1 }, { fileName: 'q-sim-500.png' });
		const second = await create({ sync: 1 }, { fileName: 'q-sim-500.png' });
		expect([first.status, second.status]).toEqual([500, 200]);
	});

	it('a GIF or a corrupt file ends in state -7; a URL that does not answer in -3', async () => {
		const gif = Buffer.from('R0lGODlhAQABAAAAACw=', 'base64');
		expect((await create({ sync: 1 }, { file: gif, fileName: 'a.gif' })).json.data.state).toBe(-7);
		expect((await create({ sync: 1 }, { file: Buffer.from('\xff\xd8\xffnot a jpeg', 'latin1'), fileName: 'b.jpg' })).json.data.state).toBe(-7);
		const url = await create({ sync: 1, image_url: `${sim.storageUrl}/samples/missing.png` }, { file: null });
		expect(url.json.data.state).toBe(-3);
	});

	it('downloads image_url from the samples folder', async () => {
		const name = fs.readdirSync(samplesDir)[0];
		const { json } = await create({ sync: 1, image_url: `${sim.storageUrl}/samples/${name}` }, { file: null });
		expect(json.data.state).toBe(1);
	});
});
