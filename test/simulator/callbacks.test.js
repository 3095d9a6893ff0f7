// Callbacks (issue 14): a task created with callback_url ends with a POST of its envelope (JSON or
// form), optionally duplicated, retried when the receiver fails, never sent off this machine.
const http = require('node:http');

const { simulatorWorld, pause } = require('./client');

const SEG = 'visual/segmentation';
let world;
let receiver;
let hookUrl;
const calls = [];
let answers = []; // status codes the receiver answers, in order (then 200)

beforeAll(async () => {
	world = await simulatorWorld();
	receiver = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			calls.push({ at: Date.now(), method: req.method, url: req.url, type: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(answers.length ? answers.shift() : 200, { 'Content-Type': 'text/plain' });
			res.end('ok');
		});
	});
	await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	hookUrl = `http://127.0.0.1:${receiver.address().port}/hook?secret=s3cret`;
});
afterAll(async () => {
	await world?.close();
	await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(async () => {
	await until(() => world.sim.stats().callbacksPending === 0); // nothing left over from the last test
	world.sim.reset();
	world.sim.configure({ liveApi: false, qps: 1000, callbackBody: 'json', callbackDuplicate: false, callbackRetryMs: 500, callbackDuplicateMs: 200 });
	calls.length = 0;
	answers = [];
});

async function until(condition, ms = 4000) {
	const end = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await pause(10);
	}
}

describe('callback_url', () => {
	it('POSTs the JSON envelope a GET answers when an async task ends; callback_url is not echoed', async () => {
		const created = await world.create(SEG, { sync: 0, callback_url: hookUrl });
		expect(created.json.data).not.toHaveProperty('callback_url');
		await until(() => world.sim.stats().callbackLog.length === 1);
		const [call] = calls;
		expect([call.method, call.url, call.type]).toEqual(['POST', '/hook?secret=s3cret', 'application/json']);
		const body = JSON.parse(call.body);
		const read = await world.poll(SEG, created.json.data.task_id);
		expect(body).toEqual(read.json);
		expect(body.data).toMatchObject({ task_id: created.json.data.task_id, state: 1 });
		// With its results: enough for the Trigger's "Use Result Sent With Callback".
		expect(body.data.image).toMatch(/^http:\/\/127\.0\.0\.1:/);
		const stats = world.sim.stats();
		expect([stats.callbacksSent, stats.callbacksDelivered, stats.callbacksFailed]).toEqual([1, 1, 0]);
		expect(stats.callbackLog).toEqual([expect.objectContaining({ task_id: created.json.data.task_id, status: 200, ok: true, attempt: 1, copy: 1, body: 'json' })]);
	});

	it('calls back for sync tasks and failed tasks too, on any endpoint (live mode: "" fields and state_detail)', async () => {
		world.sim.configure({ liveApi: true });
		const failed = await world.create('visual/scale', { sync: 1, callback_url: hookUrl }, { fileName: 'x-sim-state-8.png' });
		expect(failed.json.data.state).toBe(-8);
		await until(() => calls.length === 1);
		expect(JSON.parse(calls[0].body).data).toMatchObject({ task_id: failed.json.data.task_id, state: -8, state_detail: 'Timeout', image: '' });
		const raw = await world.create(SEG, { sync: 1, return_type: 3, callback_url: hookUrl });
		expect(raw.type).toBe('image/png');
		await until(() => calls.length === 2);
		expect(JSON.parse(calls[1].body).data).toMatchObject({ state: 1, state_detail: 'Complete', return_type: 3 });
	});

	it('sends the data fields as a form with callbackBody "form" or the sim-cb-form token', async () => {
		await world.create(SEG, { sync: 1, callback_url: hookUrl }, { fileName: 'p-sim-cb-form.png' });
		await until(() => world.sim.stats().callbackLog.length === 1);
		expect(calls[0].type).toBe('application/x-www-form-urlencoded');
		const form = new URLSearchParams(calls[0].body);
		expect(form.get('state')).toBe('1');
		expect(form.get('task_id')).toMatch(/^[0-9a-f-]{36}$/);
		expect(form.get('image')).toMatch(/^http:\/\/127\.0\.0\.1:/);
		world.sim.configure({ callbackBody: 'form' });
		const bg = await world.create('visual/background', { prompt: 'beach', batch_size: 1, callback_url: hookUrl });
		await until(() => world.sim.stats().callbackLog.length === 2);
		const second = new URLSearchParams(calls[1].body);
		expect(second.get('task_id')).toBe(bg.json.data.task_id);
		expect(JSON.parse(second.get('image'))).toHaveLength(1); // arrays and objects as JSON
		expect(world.sim.stats().callbackLog.map((entry) => entry.body)).toEqual(['form', 'form']);
	});

	it('delivers each callback twice with callbackDuplicate or sim-cb-dup, the second later', async () => {
		const created = await world.create(SEG, { sync: 1, callback_url: hookUrl }, { fileName: 'p-sim-cb-dup.png' });
		await until(() => world.sim.stats().callbackLog.length === 2);
		expect(calls[0].body).toBe(calls[1].body);
		expect(JSON.parse(calls[1].body).data.task_id).toBe(created.json.data.task_id);
		expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(150);
		world.sim.configure({ callbackDuplicate: true });
		await world.create(SEG, { sync: 1, callback_url: hookUrl });
		await until(() => world.sim.stats().callbackLog.length === 4);
		expect(world.sim.stats().callbackLog.map((entry) => entry.copy)).toEqual([1, 2, 1, 2]);
		expect(world.sim.stats().callbacksPending).toBe(0);
		await world.create(SEG, { sync: 1 }); // no callback_url: nothing sent
		await pause(300);
		expect(calls).toHaveLength(4);
	});

	it('retries a failed delivery up to 2 times, 500 ms apart; gives up after 3 attempts', async () => {
		answers = [500, 404];
		const created = await world.create(SEG, { sync: 1, callback_url: hookUrl });
		await until(() => world.sim.stats().callbackLog.length === 3);
		expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(450);
		let stats = world.sim.stats();
		expect(stats.callbackLog.map((entry) => [entry.task_id, entry.status, entry.attempt])).toEqual([
			[created.json.data.task_id, 500, 1],
			[created.json.data.task_id, 404, 2],
			[created.json.data.task_id, 200, 3],
		]);
		expect([stats.callbacksSent, stats.callbacksFailed, stats.callbacksDelivered, stats.callbacksGaveUp]).toEqual([3, 2, 1, 0]);

		world.sim.reset();
		world.sim.configure({ callbackRetryMs: 20 });
		const closed = http.createServer();
		await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const deadUrl = `http://127.0.0.1:${closed.address().port}/hook`;
		await new Promise((resolve) => closed.close(resolve)); // nothing listens there now
		await world.create(SEG, { sync: 1, callback_url: deadUrl });
		await until(() => world.sim.stats().callbacksGaveUp === 1);
		stats = world.sim.stats();
		expect(stats.callbackLog.map((entry) => entry.status)).toEqual([0, 0, 0]);
		expect([stats.callbacksSent, stats.callbacksFailed]).toEqual([3, 3]);
	});

	it('never calls hosts off this machine (counted), and refuses a callback_url that is not a URL', async () => {
		const created = await world.create(SEG, { sync: 1, callback_url: 'https://example.com/hook' });
		expect(created.json.data.state).toBe(1);
		await pause(100);
		const stats = world.sim.stats();
		expect([stats.callbacksIgnored, stats.callbacksSent]).toEqual([1, 0]);
		expect(stats.callbackLog[0]).toMatchObject({ task_id: created.json.data.task_id, status: null, ignored: 'https://example.com/hook' });
		const bad = await world.create(SEG, { sync: 1, callback_url: 'not a url' });
		expect([bad.status, bad.json.message]).toEqual([400, 'Invalid callback_url: use an http(s) URL']);
	});
});
