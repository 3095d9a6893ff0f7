import nock from 'nock';

import { PicWish } from '../../nodes/PicWish/PicWish.node';
import { createContext } from '../support/executeContext';
import { jpg, png } from '../support/images';

const API = 'http://picwish.test';
const STORAGE = 'http://storage.test';
const PATH = '/api/tasks/visual/segmentation';
const node = new PicWish();

function params(overrides: Record<string, unknown> = {}) {
	return { operation: 'getTask', taskId: 'task-1', returnType: 'binary', options: { maxRequestsPerSecond: 50 }, ...overrides };
}

function task(data: Record<string, unknown>) {
	return { status: 200, message: 'success', data: { task_id: 'task-1', ...data } };
}

const ACCESS_DENIED =
	'<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Get Task', () => {
	it('downloads a finished task\'s image and mask from storage without the API key', async () => {
		const image = png(3, 3);
		const mask = jpg(3, 3);
		nock(API)
			.get(`${PATH}/task-1`)
			.matchHeader('x-api-key', 'test-key')
			.reply(200, task({ state: 1, image: `${STORAGE}/i.png?Expires=9\\u0026Signature=a`, mask: `${STORAGE}/m.jpg?Expires=9&Signature=b` }));
		const storage = nock(STORAGE, { badheaders: ['x-api-key'] })
			.get('/i.png').query({ Expires: '9', Signature: 'a' }).reply(200, image)
			.get('/m.jpg').query({ Expires: '9', Signature: 'b' }).reply(200, mask);
		const { context, requests } = createContext({ parameters: params() });

		const [output] = await node.execute.call(context);

		expect(storage.isDone()).toBe(true);
		expect(requests.filter((r) => r.url.startsWith(STORAGE)).every((r) => !r.authenticated && !('X-API-KEY' in r.headers))).toBe(true);
		expect(output[0].json.image).toBe(`${STORAGE}/i.png?Expires=9&Signature=a`);
		expect(output[0].binary!.data).toMatchObject({ mimeType: 'image/png', fileName: 'picwish-task-1.png' });
		expect(output[0].binary!.mask).toMatchObject({ mimeType: 'image/jpeg', fileName: 'picwish-task-1-mask.jpg' });
		expect(Buffer.from(output[0].binary!.mask.data, 'base64')).toEqual(mask);
	});

	it('returns a pending task as it is when not waiting', async () => {
		nock(API).get(`${PATH}/task-1`).reply(200, task({ state: 2, progress: 10 }));
		const { context } = createContext({ parameters: params({ options: { waitForCompletion: false, maxRequestsPerSecond: 50 } }) });
		const [output] = await node.execute.call(context);
		expect(output[0].json).toEqual({ task_id: 'task-1', state: 2, progress: 10 });
	});

	it('waits for a pending task when asked to', async () => {
		nock(API).get(`${PATH}/task-1`).reply(200, task({ state: 4 }));
		nock(API).get(`${PATH}/task-1`).reply(200, task({ state: 1, image: png().toString('base64') }));
		const { context } = createContext({ parameters: params({ options: { pollIntervalMs: 200, maxRequestsPerSecond: 50 } }) });
		const [output] = await node.execute.call(context);
		expect(output[0].binary!.data.mimeType).toBe('image/png');
		expect(output[0].json.image).toBeUndefined();
	});

	it('reads the task again for a fresh link when the first one has expired', async () => {
		nock(API).get(`${PATH}/task-1`).reply(200, task({ state: 1, image: `${STORAGE}/old.png` }));
		nock(API).get(`${PATH}/task-1`).reply(200, task({ state: 1, image: `${STORAGE}/new.png` }));
		nock(STORAGE).get('/old.png').reply(403, ACCESS_DENIED, { 'Content-Type': 'application/xml' });
		nock(STORAGE).get('/new.png').reply(200, png());
		const { context } = createContext({ parameters: params() });
		const [output] = await node.execute.call(context);
		expect(output[0].binary!.data.mimeType).toBe('image/png');
	});

	it('says the link expired when no fresh one helps', async () => {
		nock(API).get(`${PATH}/task-1`).times(2).reply(200, task({ state: 1, image: `${STORAGE}/old.png` }));
		nock(STORAGE).get('/old.png').times(2).reply(403, ACCESS_DENIED);
		const { context } = createContext({ parameters: params(), onError: 'continueRegularOutput' });
		const [output] = await node.execute.call(context);
		expect(output[0].json).toMatchObject({ httpCode: 403, task_id: 'task-1', state: 1 });
		expect(String(output[0].json.error)).toMatch(/result link has expired/);
		expect(String(output[0].json.description)).toMatch(/valid for one hour/);
	});

	it('returns URLs as they are for Return Type URL', async () => {
		nock(API).get(`${PATH}/task-1`).reply(200, task({ state: 1, image: `${STORAGE}/a.png?x=1\\u0026y=2` }));
		const { context, requests } = createContext({ parameters: params({ returnType: 'url' }) });
		const [output] = await node.execute.call(context);
		expect(output[0].json.image).toBe(`${STORAGE}/a.png?x=1&y=2`);
		expect(requests).toHaveLength(1);
	});

	it('reports a failed task with its state', async () => {
		nock(API).get(`${PATH}/task-1`).reply(200, task({ state: -3 }));
		const { context } = createContext({ parameters: params() });
		await expect(node.execute.call(context)).rejects.toThrow(/could not download the image from the URL \(state -3\) \(task task-1\) \[item 0\]/);
	});

	it('explains an unknown task id', async () => {
		nock(API).get(`${PATH}/nope`).reply(404, { status: 404, message: 'task not found' });
		const { context } = createContext({ parameters: params({ taskId: 'nope' }), onError: 'continueRegularOutput' });
		const [output] = await node.execute.call(context);
		expect(output[0].json).toMatchObject({ httpCode: 404, task_id: 'nope' });
		expect(String(output[0].json.description)).toMatch(/task ID is wrong, the task has expired/);
	});

	it.each([
		['', /"Task ID" is empty/],
		['../../etc', /does not look like a PicWish task ID/],
	])('rejects task id %j before any request', async (taskId, message) => {
		const { context, requests } = createContext({ parameters: params({ taskId }) });
		await expect(node.execute.call(context)).rejects.toThrow(message);
		expect(requests).toHaveLength(0);
	});
});
