import nock from 'nock';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { PicWishTrigger } from '../../nodes/PicWishTrigger/PicWishTrigger.node';
import { clearProcessMemory } from '../../nodes/PicWishTrigger/webhook/dedupe';
import { ANSWER_WITHIN_MS } from '../../nodes/PicWishTrigger/webhook/handler';
import { jpg, png } from '../support/images';
import { createWebhookContext } from '../support/webhookContext';
import type { WebhookCall, WebhookContextOptions } from '../support/webhookContext';

const API = 'http://picwish.test';
const STORAGE = 'http://storage.test';
const PATH = '/api/tasks/visual/segmentation';
const SECRET = 'correct-horse-battery-staple';
const ID = '5d7a8bb7-97aa-4e57-a22d-7620b08ded8e';
const trigger = new PicWishTrigger();

function task(data: IDataObject) {
	return { status: 200, message: 'success', data: { task_id: ID, ...data } };
}

async function call(request: WebhookCall, options: WebhookContextOptions = {}) {
	const made = createWebhookContext(request, options);
	const result = await trigger.webhook.call(made.context);
	return { ...made, result };
}

const envelope = (data: IDataObject = {}) => ({ body: task({ state: 1, ...data }), query: { secret: SECRET }, headers: { 'Content-Type': 'application/json' } });

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => clearProcessMemory());
afterEach(() => nock.cleanAll());

describe('PicWish Trigger: who may call', () => {
	it('refuses a call without the secret with 401, before reading anything', async () => {
		const { answer, result, requests } = await call({ body: task({ state: 1 }) });
		expect(answer.status).toBe(401);
		expect(answer.body).toMatchObject({ received: false, error: expect.stringMatching(/no secret/) });
		expect(result.workflowData).toBeUndefined();
		expect(requests).toHaveLength(0);
	});

	it('refuses a wrong secret with 403 and starts no run', async () => {
		const { answer, result, requests } = await call({ body: task({ state: 1 }), query: { secret: 'guessed-guessed-guessed' } });
		expect(answer.status).toBe(403);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(requests).toHaveLength(0);
	});

	it('answers 400 to a call that names no task', async () => {
		const { answer, result } = await call({ body: { hello: 'world' }, query: { secret: SECRET } });
		expect(answer.status).toBe(400);
		expect(answer.body).toMatchObject({ received: false, error: expect.stringMatching(/no task_id/) });
		expect(result.workflowData).toBeUndefined();
	});

	it('answers 400 to a task ID that could not be a PicWish one (no request with it)', async () => {
		const { answer, requests } = await call({ body: { task_id: '../../etc/passwd' }, query: { secret: SECRET } });
		expect(answer.status).toBe(400);
		expect(requests).toHaveLength(0);
	});

	it('refuses to go live with a short secret, saying what to do', async () => {
		const hook = { getNodeParameter: () => 'short', getNode: () => ({ name: 'PicWish Trigger' }) } as unknown as IHookFunctions;
		await expect(trigger.webhookMethods.default.create.call(hook)).rejects.toThrow(/at least 16 characters/);
		const good = { getNodeParameter: () => SECRET, getNode: () => ({ name: 'PicWish Trigger' }) } as unknown as IHookFunctions;
		await expect(trigger.webhookMethods.default.create.call(good)).resolves.toBe(true);
		await expect(trigger.webhookMethods.default.delete.call(good)).resolves.toBe(true);
	});
});

describe('PicWish Trigger: a finished task', () => {
	it('never trusts the body: reads the task with the key, downloads the result without it, one binary item', async () => {
		const image = png(4, 3);
		const api = nock(API).get(`${PATH}/${ID}`).matchHeader('x-api-key', 'test-key').reply(200, task({ state: 1, image: `${STORAGE}/cut.png?Expires=9\\u0026Signature=a` }));
		const storage = nock(STORAGE, { badheaders: ['x-api-key'] }).get('/cut.png').query({ Expires: '9', Signature: 'a' }).reply(200, image);
		// The body claims another result: it must not be used.
		const { answer, result } = await call(envelope({ image: 'http://evil.test/forged.png' }));
		expect(api.isDone() && storage.isDone()).toBe(true);
		expect(answer).toEqual({ status: 200, body: { received: true, task_id: ID, state: 1 } });
		const [succeeded, failed] = result.workflowData!;
		expect(failed).toEqual([]);
		expect(succeeded).toHaveLength(1);
		expect(succeeded[0].json).toMatchObject({ task_id: ID, state: 1, image: `${STORAGE}/cut.png?Expires=9&Signature=a` });
		expect(succeeded[0].binary!.data).toMatchObject({ mimeType: 'image/png', fileName: `picwish-${ID}.png` });
		expect(Buffer.from(succeeded[0].binary!.data.data, 'base64')).toEqual(image);
		expect(succeeded[0].pairedItem).toBeUndefined();
	});

	it('takes the task ID from a form body', async () => {
		nock(API).get(`${PATH}/${ID}`).reply(200, task({ state: 1, image: png().toString('base64') }));
		const { result } = await call({ body: { task_id: ID, state: '1' }, query: { secret: SECRET }, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(result.workflowData![0][0].binary!.data.mimeType).toBe('image/png');
		// base64 turned into a file is left out of the JSON
		expect(result.workflowData![0][0].json.image).toBeUndefined();
	});

	it('takes the task ID from the query string (GET)', async () => {
		nock(API).get(`${PATH}/${ID}`).reply(200, task({ state: 1, image: `${STORAGE}/cut.png` }));
		const { result } = await call({ method: 'GET', query: { secret: SECRET, task_id: ID } }, { parameters: { returnType: 'url' } });
		expect(result.workflowData![0][0]).toEqual({ json: { task_id: ID, state: 1, image: `${STORAGE}/cut.png` } });
	});

	it('returns image and mask as base64 when asked, with the mask field of the options', async () => {
		const image = png(2, 2);
		const mask = jpg(2, 2);
		nock(API).get(`${PATH}/${ID}`).reply(200, task({ state: 1, image: `${STORAGE}/i.png`, mask: `${STORAGE}/m.jpg` }));
		nock(STORAGE).get('/i.png').reply(200, image).get('/m.jpg').reply(200, mask);
		const { result } = await call(envelope(), { parameters: { returnType: 'base64' } });
		expect(result.workflowData![0][0].json).toMatchObject({ image: image.toString('base64'), mask: mask.toString('base64') });
	});

	it('puts image and mask into the binary properties named in the options', async () => {
		nock(API).get(`${PATH}/${ID}`).reply(200, task({ state: 1, image: png().toString('base64'), mask: jpg().toString('base64') }));
		const { result } = await call(envelope(), { parameters: { options: { outputBinaryPropertyName: 'cutout', maskBinaryPropertyName: 'alpha' } } });
		const binary = result.workflowData![0][0].binary!;
		expect(Object.keys(binary).sort()).toEqual(['alpha', 'cutout']);
		expect(binary.alpha.fileName).toBe(`picwish-${ID}-mask.jpg`);
	});
});

describe('PicWish Trigger: calls that start no run', () => {
	it('answers a task PicWish does not know (404) without a run, and may see it again later', async () => {
		nock(API).get(`${PATH}/${ID}`).reply(404, { status: 404, message: 'Task not found' });
		const staticData = {};
		const { answer, result } = await call(envelope(), { staticData });
		expect(answer).toEqual({ status: 200, body: { received: true, task_id: ID, ignored: expect.stringMatching(/unknown task/) } });
		expect(result.workflowData).toBeUndefined();
		nock(API).get(`${PATH}/${ID}`).reply(200, task({ state: 1, image: png().toString('base64') }));
		expect((await call(envelope(), { staticData })).result.workflowData![0]).toHaveLength(1);
	});

	it('answers a task that is not finished without a run; its real callback later starts one', async () => {
		nock(API).get(`${PATH}/${ID}`).reply(200, task({ state: 4, progress: 50 }));
		const staticData = {};
		const first = await call(envelope(), { staticData });
		expect(first.answer.body).toEqual({ received: true, task_id: ID, ignored: 'task not finished (state 4)' });
		expect(first.result.workflowData).toBeUndefined();
		nock(API).get(`${PATH}/${ID}`).reply(200, task({ state: 1, image: png().toString('base64') }));
		expect((await call(envelope(), { staticData })).result.workflowData![0]).toHaveLength(1);
	});

	it('does not run twice for a redelivered callback, even after n8n saved and reloaded the static data', async () => {
		const api = nock(API).get(`${PATH}/${ID}`).once().reply(200, task({ state: 1, image: png().toString('base64') }));
		const staticData: IDataObject = {};
		const first = await call(envelope(), { staticData });
		expect(first.result.workflowData![0]).toHaveLength(1);
		clearProcessMemory();
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const again = await call(envelope(), { staticData: saved });
		expect(again.answer.body).toMatchObject({ received: true, ignored: expect.stringMatching(/duplicate/) });
		expect(again.result.workflowData).toBeUndefined();
		expect(again.requests).toHaveLength(0);
		expect(api.isDone()).toBe(true);
	});

	it('runs once when a callback and its twin arrive together', async () => {
		nock(API).get(`${PATH}/${ID}`).delay(100).once().reply(200, task({ state: 1, image: png().toString('base64') }));
		const [a, b] = await Promise.all([call(envelope(), { staticData: {} }), call(envelope(), { staticData: {} })]);
		const runs = [a, b].filter((outcome) => outcome.result.workflowData);
		expect(runs).toHaveLength(1);
		expect([a, b].map((outcome) => outcome.answer.body).find((body) => (body as IDataObject).ignored)).toBeDefined();
	});
});

describe('PicWish Trigger: a slow read', () => {
	it('answers 202 "received" after 2 s when the read waits, and still starts the run', async () => {
		nock(API).get(`${PATH}/${ID}`).delay(ANSWER_WITHIN_MS + 500).reply(200, task({ state: 1, image: png().toString('base64') }));
		const started = Date.now();
		const made = createWebhookContext(envelope());
		const running = trigger.webhook.call(made.context);
		await sleep(ANSWER_WITHIN_MS + 200);
		expect(made.answer).toEqual({ status: 202, body: { received: true, task_id: ID } });
		const result = await running;
		expect(Date.now() - started).toBeGreaterThanOrEqual(ANSWER_WITHIN_MS + 500);
		expect(result.workflowData![0]).toHaveLength(1);
		expect(made.answer.status).toBe(202);
	});
});

describe('PicWish Trigger: failures go to the Failed output', () => {
	it('a failed state -7 becomes one Failed item with the task ID and the reason', async () => {
		nock(API).get(`${PATH}/${ID}`).reply(200, task({ state: -7, state_detail: 'image decode error', progress: 0 }));
		const staticData = {};
		const { answer, result } = await call(envelope(), { staticData });
		expect(answer.body).toEqual({ received: true, task_id: ID, state: -7 });
		const [succeeded, failed] = result.workflowData!;
		expect(succeeded).toEqual([]);
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({ task_id: ID, state: -7, error: expect.stringMatching(/not a valid image.*state -7/) });
		expect(failed[0].json.description).toMatch(/image decode error/);
		// A failed task is final: its redelivery is a duplicate.
		clearProcessMemory();
		expect((await call(envelope(), { staticData })).answer.body).toMatchObject({ ignored: expect.stringMatching(/duplicate/) });
	});

	it('a rejected key becomes a Failed item naming HTTP 401, and a redelivery may try again', async () => {
		nock(API).get(`${PATH}/${ID}`).reply(401, { status: 401, message: 'Invalid API key' });
		const staticData = {};
		const { result } = await call(envelope(), { staticData });
		expect(result.workflowData![1][0].json).toMatchObject({ task_id: ID, httpCode: 401, error: expect.stringMatching(/API key/) });
		nock(API).get(`${PATH}/${ID}`).reply(200, task({ state: 1, image: png().toString('base64') }));
		expect((await call(envelope(), { staticData })).result.workflowData![0]).toHaveLength(1);
	});

	it('a result that cannot be downloaded becomes a Failed item, not a lost callback', async () => {
		nock(API).get(`${PATH}/${ID}`).times(2).reply(200, task({ state: 1, image: `${STORAGE}/gone.png` }));
		nock(STORAGE).get('/gone.png').times(2).reply(403, '<Error><Code>AccessDenied</Code></Error>');
		const { result } = await call(envelope());
		expect(result.workflowData![1][0].json).toMatchObject({ task_id: ID, error: expect.stringMatching(/expired/) });
	});
});

describe('PicWish Trigger: Use Result Sent With Callback', () => {
	const bodyMode = (options: WebhookContextOptions = {}): WebhookContextOptions => ({
		...options,
		parameters: { ...options.parameters, options: { useCallbackResult: true, ...(options.parameters?.options as IDataObject | undefined) } },
	});
	const form = (fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded'): WebhookCall => ({
		body: fields,
		query: { secret: SECRET },
		headers: { 'Content-Type': contentType },
	});

	it('emits the task the body describes without any GET; the result is downloaded without the key', async () => {
		const image = png(4, 3);
		// No GET is mocked and the network is closed: a read of the task would fail the test.
		const storage = nock(STORAGE, { badheaders: ['x-api-key'] }).get('/cut.png').query({ Expires: '9', Signature: 'a' }).reply(200, image);
		const { answer, result, requests } = await call(envelope({ output_type: 2, image: `${STORAGE}/cut.png?Expires=9\\u0026Signature=a` }), bodyMode());
		expect(storage.isDone()).toBe(true);
		expect(requests.filter((request) => request.url.startsWith(API))).toEqual([]);
		expect(answer).toEqual({ status: 200, body: { received: true, task_id: ID, state: 1 } });
		const [succeeded, failed] = result.workflowData!;
		expect(failed).toEqual([]);
		expect(succeeded).toHaveLength(1);
		expect(succeeded[0].json).toMatchObject({ task_id: ID, state: 1, image: `${STORAGE}/cut.png?Expires=9&Signature=a` });
		expect(Buffer.from(succeeded[0].binary!.data.data, 'base64')).toEqual(image);
		expect(succeeded[0].pairedItem).toBeUndefined();
	});

	it('gives the same items as reading the task (base64 result, image and mask)', async () => {
		const data = { state: 1, output_type: 1, progress: 100, image: png(3, 3).toString('base64'), mask: jpg(3, 3).toString('base64') };
		nock(API).get(`${PATH}/${ID}`).reply(200, task(data));
		const read = await call(envelope({ state: 0 }));
		clearProcessMemory();
		const sent = await call(envelope(data), bodyMode());
		expect(nock.pendingMocks()).toEqual([]);
		expect(sent.requests).toHaveLength(0);
		expect(sent.result).toEqual(read.result);
		expect(Object.keys(sent.result.workflowData![0][0].binary!).sort()).toEqual(['data', 'mask']);
	});

	it('reads a form body (urlencoded, or multipart fields under data) whose numbers are text', async () => {
		const fields = { task_id: ID, state: '1', progress: '100', output_type: '2', image: png(2, 2).toString('base64') };
		const urlencoded = await call(form(fields), bodyMode());
		expect(urlencoded.requests).toHaveLength(0);
		expect(urlencoded.result.workflowData![0][0].json).toMatchObject({ task_id: ID, state: 1, progress: 100, output_type: 2 });
		expect(urlencoded.result.workflowData![0][0].binary!.data.mimeType).toBe('image/png');
		clearProcessMemory();
		const multipart = await call({ ...form({}, 'multipart/form-data; boundary=x'), body: { data: fields, files: {} } }, bodyMode());
		expect(multipart.requests).toHaveLength(0);
		expect(multipart.result.workflowData![0][0].json.state).toBe(1);
	});

	it.each([
		['a result missing from a finished task', envelope({ output_type: 1, image: `${STORAGE}/cut.png`, mask: '' })],
		['no result at all', envelope({ image: '' })],
		['an unfinished task', envelope({ state: 4, progress: 50 })],
		['a state written as text in JSON', envelope({ state: '1', image: `${STORAGE}/cut.png` })],
		['a result that is neither a link nor base64', envelope({ image: 'see the dashboard' })],
		['an envelope whose status is not 200', { ...envelope(), body: { status: 500, data: { task_id: ID, state: 1, image: `${STORAGE}/cut.png` } } }],
		['a flat JSON object (not the shape a GET returns)', { ...envelope(), body: { task_id: ID, state: 1, image: `${STORAGE}/cut.png` } }],
		['the task ID only in the query string', { method: 'GET' as const, query: { secret: SECRET, task_id: ID } }],
		['a form field that should be JSON but is not', form({ task_id: ID, state: '1', image: '{"broken' })],
		['a plain-text body', { ...envelope(), headers: { 'Content-Type': 'text/plain' } }],
	])('falls back to reading the task for %s', async (_case, request: WebhookCall) => {
		const image = png(5, 5);
		const api = nock(API).get(`${PATH}/${ID}`).once().reply(200, task({ state: 1, image: image.toString('base64') }));
		const { result, answer } = await call(request, bodyMode());
		expect(api.isDone()).toBe(true);
		expect(answer).toEqual({ status: 200, body: { received: true, task_id: ID, state: 1 } });
		expect(Buffer.from(result.workflowData![0][0].binary!.data.data, 'base64')).toEqual(image);
	});

	it('falls back to reading the task when the link in the body cannot be downloaded', async () => {
		const image = png(6, 2);
		nock(STORAGE).get('/forged.png').reply(404, 'Not Found');
		const api = nock(API).get(`${PATH}/${ID}`).once().reply(200, task({ state: 1, image: `${STORAGE}/real.png` }));
		nock(STORAGE).get('/real.png').reply(200, image);
		const { result } = await call(envelope({ image: `${STORAGE}/forged.png` }), bodyMode());
		expect(api.isDone()).toBe(true);
		expect(result.workflowData![0][0].json.image).toBe(`${STORAGE}/real.png`);
		expect(Buffer.from(result.workflowData![0][0].binary!.data.data, 'base64')).toEqual(image);
	});

	it('a failed state in the body goes to Failed with the message a read of the task gives, without a GET', async () => {
		const failedTask = { state: -7, state_detail: 'image decode error', progress: 0 };
		nock(API).get(`${PATH}/${ID}`).reply(200, task(failedTask));
		const read = await call(envelope());
		clearProcessMemory();
		const staticData = {};
		const sent = await call(envelope(failedTask), bodyMode({ staticData }));
		expect(sent.requests).toHaveLength(0);
		expect(sent.answer.body).toEqual({ received: true, task_id: ID, state: -7 });
		expect(sent.result).toEqual(read.result);
		expect(sent.result.workflowData![1][0].json).toMatchObject({ task_id: ID, state: -7, error: expect.stringMatching(/state -7/) });
		// Final: a redelivery is a duplicate.
		expect((await call(envelope(failedTask), bodyMode({ staticData }))).answer.body).toMatchObject({ ignored: expect.stringMatching(/duplicate/) });
	});

	it('still refuses a forged call (no or wrong secret) before looking at the body', async () => {
		const forged = envelope({ image: `${STORAGE}/forged.png` });
		const none = await call({ ...forged, query: {} }, bodyMode());
		expect(none.answer.status).toBe(401);
		expect(none.result).toEqual({ noWebhookResponse: true });
		const wrong = await call({ ...forged, query: { secret: 'guessed-guessed-guessed' } }, bodyMode());
		expect(wrong.answer.status).toBe(403);
		expect(wrong.result).toEqual({ noWebhookResponse: true });
		expect([...none.requests, ...wrong.requests]).toHaveLength(0);
	});

	it('does not run twice for a redelivered callback', async () => {
		const storage = nock(STORAGE).get('/cut.png').once().reply(200, png());
		const staticData: IDataObject = {};
		const body = envelope({ image: `${STORAGE}/cut.png` });
		const first = await call(body, bodyMode({ staticData }));
		expect(first.result.workflowData![0]).toHaveLength(1);
		const again = await call(body, bodyMode({ staticData }));
		expect(again.answer.body).toMatchObject({ received: true, ignored: expect.stringMatching(/duplicate/) });
		expect(again.result.workflowData).toBeUndefined();
		expect(again.requests).toHaveLength(0);
		expect(storage.isDone()).toBe(true);
	});
});
