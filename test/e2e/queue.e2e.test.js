// n8n's queue mode for real: Redis + Postgres (installed from Debian's packages when missing), a main
// process and 3 workers (`n8n worker`) of n8n 2.41.1, each with our packed tarball, binary data in
// n8n's queue-mode default (the database). Concurrent calls to the production webhook of a published
// "Webhook → PicWish → Respond to Webhook" workflow, half uploading a photo, half sending its URL,
// against the simulator at 2 requests/s for the one key all workers share. Then callbacks: a sender
// workflow creates tasks with the Callback URL of a published PicWish Trigger workflow, whose webhook
// runs on main and whose runs go to the workers.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { packOnce, alphaStats, CREDENTIALS } = require('./world');
const { startQueueMode, webhookWorkflow } = require('./queueHarness');
const { triggerWorkflow, waitForWebhook, until, executionsOf, executionDetail, flattedFor } = require('./callbackWorld');
const { chain, node, picwish } = require('./workflows');
const { startSimulator } = require('../../simulator/server');
const { makeSamples } = require('../../scripts/make-samples');

const VERSION = '2.41.1';
const CALLS = Number(process.env.PICWISH_QUEUE_CALLS || 30);
const WORKERS = 3;
const QPS = 2;
/**
 * 429s as a share of the simulator's requests. Three workers at the defaults settle their places with
 * three 429s (the third worker's entry and one probe each for the others; 3 of 33 requests with 30
 * calls), then none. One full-rate pacer per worker gave 55–60 %, the first adaptive pacer 30–60 %,
 * rounds drawn at random 12–21 % here. PICWISH_QUEUE_LOG=<file> writes the requests.
 */
const MAX_429_SHARE = 0.2;
const CALLBACK_SECRET = 'queue-secret-5e1f0a7c9d3b2468';
const CALLBACK_TASKS = 4;

/** PicWish Trigger → Crypto (SHA-256 of the cut-out, computed where the run happens: on a worker). */
function callbackTrigger(credential) {
	const hash = node('Hash cut-out', 'n8n-nodes-base.crypto', 2, {
		action: 'hash',
		type: 'SHA256',
		binaryData: true,
		binaryPropertyName: 'data',
		dataPropertyName: 'sha256',
		encoding: 'hex',
	});
	const { workflow, webhookId } = triggerWorkflow({ secret: CALLBACK_SECRET, credential, next: hash });
	return { workflow: { ...workflow, id: 'queueTrigger', name: 'PicWish Trigger (queue mode)' }, webhookId };
}

/** Webhook { imageUrl, callbackUrl } → PicWish (async, callback), answering with the created task. */
function callbackSender(credential) {
	const start = node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: 'callback-send', responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} }, {
		webhookId: crypto.randomUUID(),
	});
	const send = picwish('PicWish', {
		inputSource: 'url',
		imageUrl: '={{ $json.body.imageUrl }}',
		returnType: 'url',
		options: { callbackUrl: '={{ $json.body.callbackUrl }}' },
	}, { credential });
	return { ...chain('PicWish sender (queue mode)', [start, send]), id: 'queueSender' };
}

describe(`queue mode: n8n ${VERSION} main + ${WORKERS} workers, one key at ${QPS} requests/s`, () => {
	let sim;
	let queue;
	let photosDir;
	let photos;
	let trigger;

	beforeAll(async () => {
		sim = await startSimulator({ qps: QPS, processingMs: 600, imageThread: true });
		photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picwish-queue-photos-'));
		await makeSamples(photosDir, { count: 4, size: 320 });
		photos = fs.readdirSync(photosDir).sort();
		sim.configure({ samplesDir: photosDir });
		const credential = { id: CREDENTIALS.sim.id, name: CREDENTIALS.sim.name };
		trigger = callbackTrigger(credential);
		queue = await startQueueMode({
			version: VERSION,
			tarball: packOnce(),
			workers: WORKERS,
			credentials: [{ ...credential, type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl } }],
			workflows: [
				webhookWorkflow({ id: 'queueUpload', name: 'Cut-out from an upload', webhookPath: 'cutout-upload', credential }),
				webhookWorkflow({
					id: 'queueUrl',
					name: 'Cut-out from a URL',
					webhookPath: 'cutout-url',
					credential,
					picwishParameters: { inputSource: 'url', imageUrl: '={{ $json.body.imageUrl }}' },
				}),
				trigger.workflow,
				callbackSender(credential),
			],
		});
	}, 10 * 60 * 1000);

	afterAll(async () => {
		await queue?.close();
		await sim?.close();
		if (photosDir) fs.rmSync(photosDir, { recursive: true, force: true });
	});

	async function call(index) {
		const photo = photos[index % photos.length];
		if (index % 2 === 0) {
			const form = new FormData();
			form.append('data', new Blob([fs.readFileSync(path.join(photosDir, photo))], { type: 'image/png' }), photo);
			return await fetch(queue.webhookUrl('cutout-upload'), { method: 'POST', body: form });
		}
		return await fetch(queue.webhookUrl('cutout-url'), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ imageUrl: `${sim.storageUrl}/samples/${photo}` }),
		});
	}

	it(`${CALLS} concurrent webhook calls (uploads and URLs) all come back as cut-outs, none lost, spread over the workers, few 429s`, async () => {
		sim.reset();
		const answers = await Promise.all(
			Array.from({ length: CALLS }, async (_, index) => {
				const response = await call(index);
				return { index, status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
			}),
		);
		const stats = sim.stats();
		if (process.env.PICWISH_QUEUE_LOG) fs.writeFileSync(process.env.PICWISH_QUEUE_LOG, JSON.stringify(stats.requestLog.filter((entry) => entry.path.startsWith('/api/'))));
		// A worker logs "finished" a moment after the answer went out.
		for (let wait = 0; wait < 40 && Object.values(queue.executionsPerWorker()).reduce((sum, count) => sum + count, 0) < CALLS; wait++) {
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		const perWorker = queue.executionsPerWorker();
		const statuses = queue.executionStatuses();
		const share = stats.rateLimited / Math.max(1, stats.requests);
		console.log(
			`queue mode, ${CALLS} calls: ${stats.rateLimited} 429s of ${stats.requests} requests (${(100 * share).toFixed(1)} %), ` +
				`executions per worker ${JSON.stringify(perWorker)}, execution records ${JSON.stringify(statuses)}, binaries in the database ${queue.databaseBinaries()}`,
		);

		// Every call answered with a cut-out: a PNG with a transparent background and an opaque subject.
		const failed = answers.filter((answer) => answer.status !== 200 || !/image\/png/.test(answer.type ?? ''));
		expect(failed.map((answer) => `${answer.index}: ${answer.status} ${answer.bytes.toString('utf8', 0, 300)}`)).toEqual([]);
		for (const answer of answers) {
			const cutout = alphaStats(answer.bytes);
			expect(cutout.width).toBe(320);
			expect(cutout.transparent).toBeGreaterThan(0);
			expect(cutout.opaque).toBeGreaterThan(0);
		}
		// The workers ran the credential's authenticate() (the pacing ticket never reached the API).
		expect(stats.ticketHeaders).toBe(0);
		// None lost: one task created per call, one successful execution record per call.
		expect(stats.tasksCreated).toBe(CALLS);
		expect(statuses.success).toBe(CALLS);
		expect(Object.keys(statuses).filter((status) => status !== 'success')).toEqual([]);
		// The executions ran on the workers (queue mode), on more than one of them.
		const counts = Object.values(perWorker);
		expect(counts.reduce((sum, count) => sum + count, 0)).toBe(CALLS);
		expect(counts.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
		// Binary data went through the database (queue mode's default), both ways.
		expect(queue.databaseBinaries()).toBeGreaterThan(0);
		// The simulator saw the key over its limit only rarely, and the key never went to storage.
		expect(share).toBeLessThanOrEqual(MAX_429_SHARE);
		expect(stats.keyLeaks).toBe(0);
	}, 10 * 60 * 1000);
	it(`callbacks: ${CALLBACK_TASKS} tasks, the PicWish Trigger's webhook on main, one run per task on the workers (duplicates ignored), the cut-out readable there`, async () => {
		sim.reset();
		sim.configure({ callbackDuplicate: true, callbackDuplicateMs: 150 });
		const flatted = flattedFor(VERSION);
		const triggerUrl = `${queue.server.url}/webhook/${trigger.webhookId}/picwish`;
		await waitForWebhook(triggerUrl);
		const workerRunsBefore = Object.values(queue.executionsPerWorker()).reduce((sum, count) => sum + count, 0);

		const tasks = await Promise.all(
			Array.from({ length: CALLBACK_TASKS }, async (_, index) => {
				const response = await fetch(queue.webhookUrl('callback-send'), {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ imageUrl: `${sim.storageUrl}/samples/${photos[index % photos.length]}`, callbackUrl: `${triggerUrl}?secret=${CALLBACK_SECRET}` }),
				});
				expect(response.status).toBe(200);
				return await response.json();
			}),
		);
		const taskIds = tasks.map((task) => task.task_id).sort();
		expect(taskIds.every((taskId) => /^[\w-]+$/.test(taskId))).toBe(true);

		const runsOf = async () => (await executionsOf(queue.server, trigger.workflow.id)).filter((execution) => execution.mode === 'webhook');
		await until(`${CALLBACK_TASKS} trigger executions`, async () => {
			const done = (await runsOf()).filter((execution) => execution.status === 'success');
			return done.length >= CALLBACK_TASKS && sim.stats().callbacksSent >= 2 * CALLBACK_TASKS ? done : undefined;
		}, { timeoutMs: 180_000, everyMs: 500 });
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const runs = await runsOf();
		const stats = sim.stats();
		for (let wait = 0; wait < 40 && Object.values(queue.executionsPerWorker()).reduce((sum, count) => sum + count, 0) < workerRunsBefore + 2 * CALLBACK_TASKS; wait++) {
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		const workerRuns = Object.values(queue.executionsPerWorker()).reduce((sum, count) => sum + count, 0) - workerRunsBefore;
		console.log(
			`queue mode, callbacks: ${runs.length} trigger executions for ${CALLBACK_TASKS} tasks, ${workerRuns} executions on the workers (senders and triggers); ` +
				`simulator: ${stats.createRequests} creates, ${stats.pollRequests} task reads, ${stats.callbacksSent} callbacks sent (${stats.callbacksDelivered} answered 2xx)`,
		);
		// Each task started one run (its duplicate none), and every run, the senders' and the triggers', ran on a worker.
		expect(runs).toHaveLength(CALLBACK_TASKS);
		expect(runs.every((execution) => execution.status === 'success')).toBe(true);
		expect(workerRuns).toBe(2 * CALLBACK_TASKS);
		expect(stats.pollRequests).toBe(CALLBACK_TASKS);
		expect(stats.callbacksGaveUp).toBe(0);

		// The worker read the cut-out the trigger stored on main: its hash is the stored result's.
		const seen = [];
		for (const execution of runs) {
			const detail = await executionDetail(queue.server, flatted, execution.id);
			const [item] = detail.outputs('Hash cut-out').main;
			expect(item.json.state).toBe(1);
			const bytes = Buffer.from(await (await fetch(item.json.image)).arrayBuffer());
			expect(item.json.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
			seen.push(item.json.task_id);
		}
		expect(seen.sort()).toEqual(taskIds);
		expect(sim.stats().keyLeaks).toBe(0);
	}, 10 * 60 * 1000);
});
