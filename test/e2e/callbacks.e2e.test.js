// Fire and forget (issue 14) in a real n8n against the simulator: the Trigger workflow is published,
// its production URL (with the secret) goes into the sender's Callback URL, the sender finishes right
// after creating the tasks, and the Trigger workflow gets every result once: a duplicate delivery
// starts no second run, a form-body callback works, a failed task arrives on "Failed", forged calls
// are refused. With "Use Result Sent With Callback", a second Trigger takes each result from the
// callback's body and reads no task. On every n8n version we support (PICWISH_E2E_VERSIONS limits it).
const fs = require('node:fs');
const path = require('node:path');
const { PNG } = require('pngjs');

const { startWorld } = require('./world');
const { makeSamples } = require('../../scripts/make-samples');
const { triggerWorkflow, senderWorkflow, publish, until, waitForWebhook, executionsOf, executionDetail, flattedFor } = require('./callbackWorld');

const VERSIONS = (process.env.PICWISH_E2E_CALLBACKS_VERSION || process.env.PICWISH_E2E_VERSIONS || '2.41.1,1.123.81').split(',').filter(Boolean);
const SECRET = 'e2e-secret-7f3a9c1d5b2e4f60';
const N = 6;
const QPS = 2;

describe.each(VERSIONS)('n8n %s: callbacks and the PicWish Trigger', (VERSION) => {
	let world;
	let server;
	let flatted;
	let triggerUrl;
	let triggerId;
	let outDir;
	/** The second Trigger workflow, with "Use Result Sent With Callback". */
	const body = {};

	beforeAll(async () => {
		world = await startWorld({ version: VERSION, simulator: { qps: QPS, processingMs: 400 } });
		flatted = flattedFor(VERSION);
		server = await world.n8n.startServer();
		outDir = path.join(world.n8n.filesDir, 'callback-out');
		fs.mkdirSync(outDir, { recursive: true });
		const { workflow, webhookId } = triggerWorkflow({ secret: SECRET, outDir });
		triggerId = await publish(server, workflow);
		triggerUrl = `${server.url}/webhook/${webhookId}/picwish`;
		body.outDir = path.join(world.n8n.filesDir, 'callback-body-out');
		fs.mkdirSync(body.outDir, { recursive: true });
		const bodyMode = triggerWorkflow({ secret: SECRET, outDir: body.outDir, parameters: { options: { useCallbackResult: true } } });
		bodyMode.workflow.name = 'PicWish callbacks (result from the callback)';
		body.triggerId = await publish(server, bodyMode.workflow);
		body.triggerUrl = `${server.url}/webhook/${bodyMode.webhookId}/picwish`;
		await waitForWebhook(triggerUrl);
		await waitForWebhook(body.triggerUrl);
	});

	afterAll(async () => {
		if (process.env.PICWISH_E2E_DEBUG) console.log(server?.log().slice(-6000));
		await server?.stop();
		await world?.close();
	});

	const triggerRuns = async (workflowId = triggerId) => (await executionsOf(server, workflowId)).filter((execution) => execution.mode === 'webhook');

	it('refuses forged calls: no secret 401, a wrong one 403, an unknown task 200 "ignored"; none starts a run', async () => {
		const post = async (query, body) =>
			await fetch(`${triggerUrl}${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
		const forged = { status: 200, message: 'success', data: { task_id: '11111111-2222-4333-8444-555555555555', state: 1, image: 'http://evil.test/x.png' } };
		const none = await post('', forged);
		expect(none.status).toBe(401);
		const wrong = await post('?secret=not-the-secret-at-all', forged);
		expect(wrong.status).toBe(403);
		const unknown = await post(`?secret=${SECRET}`, forged);
		expect(unknown.status).toBe(200);
		expect(await unknown.json()).toMatchObject({ received: true, ignored: expect.stringMatching(/unknown task/) });
		const sim = world.sim.stats();
		// Only the unknown task was looked up (one GET), with the secret; the forged ones cost nothing.
		expect(sim.pollRequests).toBe(1);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await triggerRuns()).toHaveLength(0);
	});

	it(`${N} photos: the sender returns the created tasks at once, the Trigger workflow gets each result exactly once (duplicates and form bodies included)`, async () => {
		const { sim, n8n } = world;
		sim.reset();
		// Every callback is delivered twice (a retried delivery); two photos' callbacks come as a form body.
		// A delivery n8n does not answer within the simulator's 5 s is retried after 2 s.
		sim.configure({ callbackDuplicate: true, callbackDuplicateMs: 150, callbackRetryMs: 2000 });
		const photosDir = path.join(n8n.filesDir, 'callback-photos');
		makeSamples(photosDir, { count: N, size: 320 });
		const names = fs.readdirSync(photosDir).sort();
		for (const name of names.slice(0, 2)) fs.renameSync(path.join(photosDir, name), path.join(photosDir, name.replace(/(\.\w+)$/, '-sim-cb-form$1')));

		const hookPath = 'send-photos';
		await publish(server, senderWorkflow({ photosDir, callbackUrl: `${triggerUrl}?secret=${SECRET}`, qps: QPS, hookPath }));
		const senderUrl = `${server.url}/webhook/${hookPath}`;
		await waitForWebhook(senderUrl, { method: 'GET' });

		const sentAt = Date.now();
		const response = await fetch(senderUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
		const senderMs = Date.now() - sentAt;
		expect(response.status).toBe(200);
		const created = await response.json();
		const tasks = Array.isArray(created) ? created : [created];
		expect(tasks).toHaveLength(N);
		// The created tasks, not their results: nothing was waited for.
		for (const task of tasks) {
			expect(task.task_id).toMatch(/^[\w-]+$/);
			expect([0, 2, 4]).toContain(task.state);
			// Not finished: no result yet ("" from an API that answers like the live one).
			expect(['', undefined]).toContain(task.image);
		}
		const statsAtReturn = sim.stats();
		expect(statsAtReturn.createRequests).toBe(N);

		const runs = await until(`${N} trigger executions`, async () => {
			const list = await triggerRuns();
			const done = list.filter((execution) => execution.status === 'success');
			return done.length >= N && sim.stats().callbacksSent >= 2 * N ? list : undefined;
		}, { timeoutMs: 120_000 });
		// Give late duplicates time to (wrongly) start a run.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const finalRuns = await triggerRuns();
		const stats = sim.stats();
		console.log(
			`[callbacks e2e] sender answered after ${senderMs} ms with ${tasks.length} created tasks; ` +
				`${finalRuns.length} trigger executions; simulator: ${stats.createRequests} creates, ${stats.pollRequests} task reads, ` +
				`${stats.callbacksSent} callbacks sent (${stats.callbacksDelivered} answered 2xx, ${stats.callbacksFailed} not), ${stats.rateLimited} 429s`,
		);
		expect(runs.length).toBeGreaterThanOrEqual(N);
		expect(finalRuns).toHaveLength(N);
		expect(finalRuns.every((execution) => execution.status === 'success')).toBe(true);
		// Every task's callback came twice (more when a delivery timed out and was retried); none was given up.
		expect(stats.callbacksSent).toBeGreaterThanOrEqual(2 * N);
		expect(stats.callbacksGaveUp).toBe(0);
		expect(stats.callbackLog.filter((entry) => entry.body === 'form' && entry.ok).length).toBeGreaterThanOrEqual(2);
		// One GET per task: the duplicates cost no API request.
		expect(stats.pollRequests).toBe(N);
		expect(stats.keyLeaks ?? 0).toBe(0);

		const seen = [];
		for (const execution of finalRuns) {
			const detail = await executionDetail(server, flatted, execution.id);
			const { main, second } = detail.outputs('PicWish Trigger');
			expect(second).toHaveLength(0);
			expect(main).toHaveLength(1);
			expect(main[0].json.state).toBe(1);
			expect(main[0].binary.data.mimeType).toBe('image/png');
			seen.push(main[0].json.task_id);
		}
		expect(seen.sort()).toEqual(tasks.map((task) => task.task_id).sort());
		// The Write Files node stored each cut-out: real PNGs, one per task.
		const files = fs.readdirSync(outDir).sort();
		expect(files).toEqual(seen.map((taskId) => `picwish-${taskId}.png`).sort());
		for (const file of files) expect(PNG.sync.read(fs.readFileSync(path.join(outDir, file))).width).toBeGreaterThan(0);
	});

	it(`Use Result Sent With Callback: ${N} photos, ${N} executions with results, no task read (duplicates and form bodies included)`, async () => {
		const { sim, n8n } = world;
		sim.reset();
		sim.configure({ callbackDuplicate: true, callbackDuplicateMs: 150, callbackRetryMs: 2000 });
		const photosDir = path.join(n8n.filesDir, 'callback-body-photos');
		makeSamples(photosDir, { count: N, size: 320 });
		for (const name of fs.readdirSync(photosDir).sort().slice(0, 2)) {
			fs.renameSync(path.join(photosDir, name), path.join(photosDir, name.replace(/(\.\w+)$/, '-sim-cb-form$1')));
		}
		const hookPath = 'send-photos-body';
		// The sender asks for links: the trigger downloads each result from the storage host named in the callback.
		const sender = senderWorkflow({ photosDir, callbackUrl: `${body.triggerUrl}?secret=${SECRET}`, qps: QPS, hookPath });
		sender.nodes.find((entry) => entry.name === 'PicWish').parameters.returnType = 'url';
		await publish(server, sender);
		await waitForWebhook(`${server.url}/webhook/${hookPath}`, { method: 'GET' });

		const response = await fetch(`${server.url}/webhook/${hookPath}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
		expect(response.status).toBe(200);
		const created = await response.json();
		const tasks = Array.isArray(created) ? created : [created];
		expect(tasks).toHaveLength(N);

		await until(`${N} trigger executions`, async () => {
			const done = (await triggerRuns(body.triggerId)).filter((execution) => execution.status === 'success');
			return done.length >= N && sim.stats().callbacksSent >= 2 * N ? done : undefined;
		}, { timeoutMs: 120_000 });
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const runs = await triggerRuns(body.triggerId);
		const stats = sim.stats();
		const taskIds = tasks.map((task) => task.task_id).sort();
		const reads = stats.requestLog.filter((entry) => entry.method === 'GET' && taskIds.some((taskId) => entry.path.includes(taskId)));
		console.log(
			`[callbacks e2e, result from the callback] ${runs.length} trigger executions; simulator: ${stats.createRequests} creates, ` +
				`${stats.pollRequests} task reads, ${stats.storageDownloads} result downloads, ${stats.callbacksSent} callbacks sent`,
		);
		expect(runs).toHaveLength(N);
		expect(runs.every((execution) => execution.status === 'success')).toBe(true);
		// One API request per image: the creates; no task was read, the duplicates cost nothing.
		expect(reads).toEqual([]);
		expect(stats.pollRequests).toBe(0);
		expect(stats.tasksCreated).toBe(N);
		expect(stats.callbackLog.filter((entry) => entry.body === 'form' && entry.ok).length).toBeGreaterThanOrEqual(2);
		// Results came from the storage host, without the key.
		expect(stats.storageDownloads).toBeGreaterThanOrEqual(N);
		expect(stats.keyLeaks ?? 0).toBe(0);

		const seen = [];
		for (const execution of runs) {
			const { main, second } = (await executionDetail(server, flatted, execution.id)).outputs('PicWish Trigger');
			expect(second).toHaveLength(0);
			expect(main).toHaveLength(1);
			expect(main[0].json.state).toBe(1);
			expect(main[0].binary.data.mimeType).toBe('image/png');
			seen.push(main[0].json.task_id);
		}
		expect(seen.sort()).toEqual(taskIds);
		const files = fs.readdirSync(body.outDir).sort();
		expect(files).toEqual(taskIds.map((taskId) => `picwish-${taskId}.png`).sort());
		for (const file of files) expect(PNG.sync.read(fs.readFileSync(path.join(body.outDir, file))).width).toBeGreaterThan(0);
	});

	it('a failed task (state -7) arrives on the Failed output with its task ID and reason', async () => {
		const { sim, n8n } = world;
		sim.reset();
		sim.configure({ callbackDuplicate: false });
		const photosDir = path.join(n8n.filesDir, 'callback-failed');
		makeSamples(photosDir, { count: 1, size: 200 });
		const [name] = fs.readdirSync(photosDir);
		fs.renameSync(path.join(photosDir, name), path.join(photosDir, name.replace(/(\.\w+)$/, '-sim-state-7$1')));
		const hookPath = 'send-failing';
		await publish(server, senderWorkflow({ photosDir, callbackUrl: `${triggerUrl}?secret=${SECRET}`, qps: QPS, hookPath }));
		await waitForWebhook(`${server.url}/webhook/${hookPath}`, { method: 'GET' });
		const before = (await triggerRuns()).length;
		const [task] = await (await fetch(`${server.url}/webhook/${hookPath}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).json();
		const runs = await until('the failed task\'s execution', async () => {
			const list = await triggerRuns();
			return list.length > before && list.every((execution) => execution.status !== 'running' && execution.status !== 'new') ? list : undefined;
		});
		const detail = await executionDetail(server, flatted, runs[0].id);
		const { main, second } = detail.outputs('PicWish Trigger');
		expect(main).toHaveLength(0);
		expect(second).toHaveLength(1);
		expect(second[0].json).toMatchObject({ task_id: task.task_id, state: -7, error: expect.stringMatching(/state -7/) });
		expect(detail.runData.Failed).toBeDefined();
		expect(detail.runData['Write cut-outs']).toBeUndefined();
	});
});
