// Answers as the live API gives them (issue 11): empty result fields, error codes only in the JSON,
// proxy error pages, state_detail — for sync, async and Get Task, binary, URL and base64.
import nock from 'nock';

import { PicWish } from '../../nodes/PicWish/PicWish.node';
import { classifyAnswer } from '../../nodes/PicWish/transport/answers';
import { createContext, binaryItem } from '../support/executeContext';
import { jpg, png } from '../support/images';

const API = 'http://picwish.test';
const STORAGE = 'http://storage.test';
const PATH = '/api/tasks/visual/segmentation';
const node = new PicWish();
const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

function params(overrides: Record<string, unknown> = {}) {
	return {
		operation: 'removeBackground',
		inputSource: 'binary',
		binaryPropertyName: 'data',
		processingMode: 'async',
		segmentationType: 'auto',
		outputType: 'image',
		returnType: 'binary',
		crop: false,
		format: 'png',
		options: { maxRequestsPerSecond: 50, pollIntervalMs: 200 },
		...overrides,
	};
}

function task(data: Record<string, unknown>) {
	return { status: 200, message: 'success', data: { task_id: 't-1', ...data } };
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('empty result fields are "not returned"', () => {
	it('async + binary + cut-out: "mask": "" is ignored and the image arrives', async () => {
		const image = png(4, 4, [0, 0, 0, 0]);
		nock(API)
			.post(PATH).reply(200, task({ state: 0, image: '', mask: '', state_detail: 'Queued' }))
			.get(`${PATH}/t-1`).reply(200, task({ state: 1, image: image.toString('base64'), mask: '', state_detail: 'Complete', output_type: 2 }));
		const { context } = createContext({ items: [binaryItem(jpg(), 'shoe.jpg')], parameters: params() });
		const [output] = await node.execute.call(context);
		expect(Object.keys(output[0].binary!)).toEqual(['data']);
		expect(output[0].binary!.data.fileName).toBe('shoe.png');
		expect(Buffer.from(output[0].binary!.data.data, 'base64')).toEqual(image);
		expect(output[0].json.mask).toBe('');
	});

	it('async + binary + mask only: "image": "" is ignored and the mask arrives', async () => {
		nock(API)
			.post(PATH).reply(200, task({ state: 0, image: '', mask: '' }))
			.get(`${PATH}/t-1`).reply(200, task({ state: 1, image: '', mask: png().toString('base64'), output_type: 3 }));
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ outputType: 'mask' }) });
		const [output] = await node.execute.call(context);
		expect(Object.keys(output[0].binary!)).toEqual(['mask']);
	});

	it.each([null, '', undefined])('Get Task of an image-only task with mask %j returns the image file', async (mask) => {
		nock(API).get(`${PATH}/t-1`).reply(200, task({ state: 1, image: `${STORAGE}/i.png`, mask, output_type: 2 }));
		nock(STORAGE).get('/i.png').reply(200, png());
		const { context } = createContext({ parameters: { operation: 'getTask', taskId: 't-1', returnType: 'binary', options: { maxRequestsPerSecond: 50 } } });
		const [output] = await node.execute.call(context);
		expect(Object.keys(output[0].binary!)).toEqual(['data']);
	});

	it('asking for image and mask when the API returns no mask is a clear per-item error', async () => {
		nock(API)
			.post(PATH).reply(200, task({ state: 0 }))
			.get(`${PATH}/t-1`).reply(200, task({ state: 1, image: png().toString('base64'), mask: '' }));
		const { context } = createContext({ items: [binaryItem(jpg())], onError: 'continueErrorOutput', parameters: params({ outputType: 'imageAndMask' }) });
		const [output] = await node.execute.call(context);
		expect(output[0].json.error).toMatch(/PicWish finished the task but returned no mask \(field "mask" is empty\) \(task t-1\) \[item 0\]/);
	});

	it.each(['url', 'base64'] as const)('Return Type %s: empty fields stay as PicWish sent them', async (returnType) => {
		const value = returnType === 'url' ? `${STORAGE}/i.png` : png().toString('base64');
		nock(API)
			.post(PATH).reply(200, task({ state: 0 }))
			.get(`${PATH}/t-1`).reply(200, task({ state: 1, image: value, mask: '' }));
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ returnType }) });
		const [output] = await node.execute.call(context);
		expect(output[0].json).toMatchObject({ image: value, mask: '' });
		expect(output[0].binary).toBeUndefined();
	});
});

describe('error codes in the JSON status and proxy error pages', () => {
	it.each([
		['an HTTP 200 whose JSON says 429', () => [200, { status: 429, message: 'Too many requests' }]],
		['an HTTP 200 whose JSON says 500', () => [200, { status: 500, message: 'Internal server error' }]],
		['an HTML 502 page from a proxy', () => [502, HTML_502, { 'Content-Type': 'text/html' }]],
		['an HTML 504 page', () => [504, '<html><body>Gateway Time-out</body></html>', { 'Content-Type': 'text/html' }]],
	] as const)('sync create: %s is retried, then the result arrives', async (_label, first) => {
		const scope = nock(API)
			.post(PATH).reply(...(first() as [number, string, Record<string, string>?]))
			.post(PATH).reply(200, png(), { 'Content-Type': 'image/png' });
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ processingMode: 'sync' }) });
		const [output] = await node.execute.call(context);
		expect(scope.isDone()).toBe(true);
		expect(output[0].binary!.data.mimeType).toBe('image/png');
	});

	it('a poll answered with JSON 429 is retried, then the task is read', async () => {
		const scope = nock(API)
			.post(PATH).reply(200, task({ state: 0 }))
			.get(`${PATH}/t-1`).reply(200, { status: 429, message: 'Too many requests' })
			.get(`${PATH}/t-1`).reply(200, task({ state: 1, image: png().toString('base64'), mask: '' }));
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params() });
		const [output] = await node.execute.call(context);
		expect(scope.isDone()).toBe(true);
		expect(output[0].binary!.data).toBeDefined();
	});

	it('Get Task answered with an HTML 502 page is retried', async () => {
		const scope = nock(API)
			.get(`${PATH}/t-1`).reply(502, HTML_502, { 'Content-Type': 'text/html' })
			.get(`${PATH}/t-1`).reply(200, task({ state: 1, image: `${STORAGE}/i.png`, mask: '' }));
		const { context } = createContext({ parameters: { operation: 'getTask', taskId: 't-1', returnType: 'url', options: { maxRequestsPerSecond: 50 } } });
		const [output] = await node.execute.call(context);
		expect(scope.isDone()).toBe(true);
		expect(output[0].json.image).toBe(`${STORAGE}/i.png`);
	});

	it('a JSON-only 429 slows the pacer like an HTTP 429: the retry waits for Retry-After', async () => {
		const times: number[] = [];
		nock(API)
			.post(PATH).reply(() => (times.push(Date.now()), [200, { status: 429, message: 'slow down' }, { 'Retry-After': '1' }]))
			.post(PATH).reply(() => (times.push(Date.now()), [200, png(), { 'Content-Type': 'image/png' }]));
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ processingMode: 'sync' }) });
		await node.execute.call(context);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
	});

	it('after the last retry, the message names the JSON status and what to do', async () => {
		nock(API).post(PATH).times(3).reply(200, { status: 429, message: 'qps' });
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ processingMode: 'sync', options: { maxRetries: 2, maxRequestsPerSecond: 50 } }) });
		await expect(node.execute.call(context)).rejects.toThrow(/too many requests" \(status 429 in the JSON answer\)/);
	});

	it('an HTML error page that stays names the page, not a JSON error', async () => {
		nock(API).post(PATH).times(2).reply(503, '<html><title>Service Unavailable</title></html>', { 'Content-Type': 'text/html' });
		const { context } = createContext({ items: [binaryItem(jpg())], onError: 'continueRegularOutput', parameters: params({ processingMode: 'sync', options: { maxRetries: 1, maxRequestsPerSecond: 50 } }) });
		const [output] = await node.execute.call(context);
		expect(output[0].json.httpCode).toBe(503);
		expect(String(output[0].json.description)).toMatch(/not JSON but a page beginning: "Service Unavailable"/);
	});

	it.each([
		[200, { status: 400, message: 'Invalid task type' }, /rejected the request parameters \(status 400 in the JSON answer\)/],
		[200, { status: 401, message: 'bad key' }, /rejected the API key \(status 401 in the JSON answer\)/],
		[404, '<html>Not Found</html>', /did not find that \(HTTP 404\)/],
	] as const)('a 4xx (HTTP %d) is final: one request, no retry', async (status, body, message) => {
		const scope = nock(API).post(PATH).times(3).reply(status, body as never);
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ processingMode: 'sync' }) });
		await expect(node.execute.call(context)).rejects.toThrow(message);
		expect(scope.pendingMocks()).toHaveLength(1);
	});
});

describe('state_detail in messages', () => {
	it('adds PicWish\'s words where they say more than the state', async () => {
		nock(API).post(PATH).reply(200, task({ state: -7, state_detail: 'image decode error' }));
		const { context } = createContext({ items: [binaryItem(jpg())], onError: 'continueErrorOutput', parameters: params({ processingMode: 'sync' }) });
		const [output] = await node.execute.call(context);
		expect(output[0].json.error).toMatch(/not a valid image file \(state -7\) \(task t-1\) \[item 0\]/);
		expect(output[0].json.message).toMatch(/^PicWish says: "image decode error"\. /);
	});

	it('leaves out words that only repeat the state, and does not diagnose -1', async () => {
		nock(API).post(PATH).reply(200, task({ state: -1, state_detail: 'Failed' }));
		const { context } = createContext({ items: [binaryItem(jpg())], onError: 'continueErrorOutput', parameters: params({ processingMode: 'sync' }) });
		const [output] = await node.execute.call(context);
		expect(output[0].json.error).toMatch(/^PicWish reported the task as failed \(state -1\)/);
		expect(output[0].json.message).not.toMatch(/PicWish says/);
		expect(output[0].json.message).toMatch(/gives no reason/);
	});

	it('names the pending state in a timeout', async () => {
		nock(API)
			.post(PATH).reply(200, task({ state: 0 }))
			.get(`${PATH}/t-1`).times(20).reply(200, task({ state: 4, state_detail: 'Processing' }));
		const { context } = createContext({ items: [binaryItem(jpg())], onError: 'continueErrorOutput', parameters: params({ options: { timeoutSeconds: 1, pollIntervalMs: 200, maxRequestsPerSecond: 50 } }) });
		const [output] = await node.execute.call(context);
		expect(output[0].json.error).toMatch(/not finished after 1 s \(state 4, "Processing"\)/);
	});
});

describe('what a request accepts', () => {
	const response = (statusCode: number, body: Buffer, contentType: string) => ({ statusCode, headers: { 'content-type': contentType }, body });

	it('a request for raw bytes (return_type 3) accepts an image; other requests do not', () => {
		expect(classifyAnswer(response(200, png(), 'image/png'), 'jsonOrImage').kind).toBe('ok');
		expect(classifyAnswer(response(200, png(), 'image/png'), 'json')).toMatchObject({ kind: 'fail', status: 200 });
	});

	it('an HTML page with HTTP 200 is a final failure, not a task', () => {
		expect(classifyAnswer(response(200, Buffer.from('<html>login</html>'), 'text/html'), 'json')).toMatchObject({ kind: 'fail', status: 200, page: 'login' });
	});

	it('JSON 5xx and 429 are retried; HTML 5xx pages too', () => {
		expect(classifyAnswer(response(200, Buffer.from('{"status":503}'), 'application/json'), 'json')).toMatchObject({ kind: 'retry', status: 503, source: 'json' });
		expect(classifyAnswer(response(502, Buffer.from(HTML_502), 'text/html'), 'json')).toMatchObject({ kind: 'retry', status: 502, source: 'http', page: '502 Bad Gateway 502 Bad Gateway nginx' });
	});
});
