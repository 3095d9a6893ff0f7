// Live-API mode (issue 11): empty strings for results not asked for, state_detail, JSON-only 429/500
// answers and proxy HTML 502 pages, per request (tokens) and globally (configure()).
const { simulatorWorld } = require('./client');

const SEG = 'visual/segmentation';
let world;

beforeAll(async () => {
	world = await simulatorWorld();
});
afterAll(() => world?.close());
beforeEach(() => {
	world.sim.reset();
	world.sim.configure({ liveApi: true, qps: 1000, failState: undefined, credentialTestAnswer: 'normal' });
});

describe('live-API answers', () => {
	it('without live mode a result not asked for is absent and there is no state_detail', async () => {
		world.sim.configure({ liveApi: false });
		const { json } = await world.create(SEG, { sync: 1 });
		expect(json.data.state).toBe(1);
		expect(json.data).not.toHaveProperty('mask');
		expect(json.data).not.toHaveProperty('state_detail');
	});

	it('an image-only task answers "mask": "" and a mask-only task "image": "", with state_detail Complete', async () => {
		const imageOnly = await world.create(SEG, { sync: 1, output_type: 2 });
		expect(imageOnly.json.data).toMatchObject({ state: 1, state_detail: 'Complete', mask: '' });
		expect(imageOnly.json.data.image).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tasks\/output\/segmentation\//);
		const maskOnly = await world.create(SEG, { sync: 1, output_type: 3, return_type: 2 });
		expect(maskOnly.json.data).toMatchObject({ state: 1, state_detail: 'Complete', image: '' });
		expect(maskOnly.json.data.mask.length).toBeGreaterThan(100);
	});

	it('pending tasks carry every result field as "" and a readable state', async () => {
		const created = await world.create(SEG, { sync: 0, output_type: 1 });
		expect(created.json.data).toMatchObject({ state: 0, state_detail: 'Queued', image: '', mask: '' });
		const done = await world.settle(SEG, created.json.data.task_id);
		expect(done.json.data.state_detail).toBe('Complete');
		expect(done.json.data.image).not.toBe('');
		expect(done.json.data.mask).not.toBe('');
	});

	it('failed tasks say what failed in state_detail and keep the result fields empty', async () => {
		const expected = { 1: 'Failed', 3: 'Download failed', 5: 'Image too large', 7: 'Invalid image', 8: 'Timeout' };
		for (const [n, detail] of Object.entries(expected)) {
			const { json } = await world.create(SEG, { sync: 1 }, { fileName: `p-sim-state-${n}.png` });
			expect(json.data).toMatchObject({ state: -Number(n), state_detail: detail, progress: 0, image: '', mask: '' });
		}
	});
});

describe('JSON-only status answers and HTML 502 pages', () => {
	const kinds = [
		{ token: 'sim-json429', counter: 'jsonStatus429', check: (answer) => expect([answer.status, answer.json]).toEqual([200, { status: 429, message: 'Too many requests' }]) },
		{ token: 'sim-json500', counter: 'jsonStatus500', check: (answer) => expect([answer.status, answer.json]).toEqual([200, { status: 500, message: 'Internal server error' }]) },
		{
			token: 'sim-html502',
			counter: 'html502',
			check: (answer) => {
				expect(answer.status).toBe(502);
				expect(answer.type).toMatch(/^text\/html/);
				expect(answer.text).toMatch(/<title>502 Bad Gateway<\/title>/);
			},
		},
	];

	for (const { token, counter, check } of kinds) {
		it(`${token}: once on the create request, once on the first poll, then normal answers (async)`, async () => {
			const fileName = `shoe-${token}.png`;
			check(await world.create(SEG, { sync: 0 }, { fileName }));
			const created = await world.create(SEG, { sync: 0 }, { fileName });
			expect(created.status).toBe(200);
			expect(created.json.status).toBe(200);
			const taskId = created.json.data.task_id;
			check(await world.poll(SEG, taskId));
			const done = await world.settle(SEG, taskId);
			expect(done.json.data.state).toBe(1);
			const stats = world.sim.stats();
			expect(stats[counter]).toBe(2);
			expect(stats.tasksCreated).toBe(1);
			expect(stats.rateLimited).toBe(0); // HTTP-level 429s only
		});
	}

	it('the tokens work without live mode too, and on sync requests (the task\'s first GET meets it)', async () => {
		world.sim.configure({ liveApi: false });
		const first = await world.create(SEG, { sync: 1 }, { fileName: 'a-sim-json500.png' });
		expect(first.json).toEqual({ status: 500, message: 'Internal server error' });
		const second = await world.create(SEG, { sync: 1 }, { fileName: 'a-sim-json500.png' });
		expect(second.json.data.state).toBe(1);
		expect((await world.poll(SEG, second.json.data.task_id)).json.status).toBe(500);
		expect((await world.poll(SEG, second.json.data.task_id)).json.data.state).toBe(1);
		expect(world.sim.stats().jsonStatus500).toBe(2);
	});

	it('json429Next / json500Next / html502Next answer the next N API requests that way', async () => {
		world.sim.configure({ json429Next: 2, json500Next: 1, html502Next: 1 });
		const answers = [];
		for (let i = 0; i < 5; i++) answers.push(await world.poll(SEG, 'no-such-task'));
		expect(answers.map((answer) => [answer.status, answer.json?.status])).toEqual([
			[200, 429],
			[200, 429],
			[200, 500],
			[502, undefined],
			[404, 404],
		]);
		const stats = world.sim.stats();
		expect([stats.jsonStatus429, stats.jsonStatus500, stats.html502, stats.rateLimited]).toEqual([2, 1, 1, 0]);
		expect(stats.status).toEqual({ 200: 3, 404: 1, 502: 1 });
	});

	it('credentialTestAnswer: any API GET answers an HTML 200 page, or an HTTP 500', async () => {
		const url = `${world.sim.apiUrl}/api/tasks/visual/segmentation/n8n-credential-test`;
		const headers = { 'X-API-KEY': 'sim-key' };
		expect((await fetch(url, { headers })).status).toBe(404);
		world.sim.configure({ credentialTestAnswer: 'html' });
		const html = await fetch(url, { headers: { 'X-API-KEY': 'wrong' } });
		expect(html.status).toBe(200);
		expect(html.headers.get('content-type')).toMatch(/^text\/html/);
		expect(await html.text()).toMatch(/<html/);
		world.sim.configure({ credentialTestAnswer: '500' });
		const failing = await fetch(url, { headers });
		expect(failing.status).toBe(500);
		expect((await failing.json()).status).toBe(500);
		expect(world.sim.stats().credentialTestAnswers).toBe(2);
	});
});
