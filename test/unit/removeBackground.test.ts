import nock from 'nock';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { PicWish } from '../../nodes/PicWish/PicWish.node';
import { createContext, binaryItem } from '../support/executeContext';
import { gif, jpg, jpegHeader, parseMultipart, png } from '../support/images';
import { bodyBuffer } from '../support/nockBody';

const API = 'http://picwish.test';
const PATH = '/api/tasks/visual/segmentation';
const node = new PicWish();

function params(overrides: Record<string, unknown> = {}) {
	return {
		operation: 'removeBackground',
		inputSource: 'binary',
		binaryPropertyName: 'data',
		processingMode: 'sync',
		segmentationType: 'auto',
		outputType: 'image',
		returnType: 'binary',
		crop: false,
		format: 'png',
		backgroundColor: '#FFFFFF',
		options: { maxRequestsPerSecond: 50 },
		...overrides,
	};
}

function envelope(data: Record<string, unknown>, status = 200) {
	return { status, message: status === 200 ? 'success' : 'error', data };
}

interface Sent {
	fields: ReturnType<typeof parseMultipart>;
	apiKey: string | undefined;
}

/** Records every create request the API receives. */
function recordCreates(scope: nock.Scope, times: number, reply: (index: number) => [number, unknown, Record<string, string>?]) {
	const sent: Sent[] = [];
	scope.post(PATH).times(times).reply(function (_uri, body) {
		const contentType = String(this.req.headers['content-type']);
		sent.push({ fields: parseMultipart(bodyBuffer(body), contentType), apiKey: this.req.headers['x-api-key'] as string | undefined });
		return reply(sent.length - 1);
	});
	return sent;
}

afterEach(() => {
	nock.cleanAll();
});

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('Remove Background, sync, binary in and out', () => {
	it('sends the photo with every field and returns the streamed PNG as binary named after the input', async () => {
		const cutout = png(8, 6, [0, 0, 0, 0]);
		const photo = jpg(8, 6);
		const sent = recordCreates(nock(API), 1, () => [200, cutout, { 'Content-Type': 'image/png' }]);
		const { context } = createContext({ items: [binaryItem(photo, 'photo.jpg')], parameters: params() });

		const [output] = await node.execute.call(context);

		expect(sent[0].apiKey).toBe('test-key');
		expect(sent[0].fields.image_file.fileName).toBe('photo.jpg');
		expect(sent[0].fields.image_file.contentType).toBe('image/jpeg');
		expect(Buffer.compare(sent[0].fields.image_file.bytes, photo)).toBe(0);
		expect(Object.fromEntries(Object.entries(sent[0].fields).filter(([k]) => k !== 'image_file').map(([k, v]) => [k, v.value]))).toEqual({
			sync: '1', return_type: '3', output_type: '2', crop: '0', format: 'png',
		});
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toEqual({ state: 1, progress: 100, return_type: 3, output_type: 2 });
		const binary = output[0].binary!.data;
		expect(binary.mimeType).toBe('image/png');
		expect(binary.fileName).toBe('photo.png');
		expect(Buffer.from(binary.data, 'base64')).toEqual(cutout);
	});

	it('reads the image from any binary property and writes to the chosen output property', async () => {
		nock(API).post(PATH).reply(200, png(), { 'Content-Type': 'image/png' });
		const { context } = createContext({
			items: [binaryItem(png(), 'shoe.webp.png', 'image/png', 'upload')],
			parameters: params({ binaryPropertyName: 'upload', options: { outputBinaryPropertyName: 'cutout', maxRequestsPerSecond: 50 } }),
		});
		const [output] = await node.execute.call(context);
		expect(Object.keys(output[0].binary!)).toEqual(['cutout']);
		expect(output[0].binary!.cutout.fileName).toBe('shoe.webp.png');
	});

	it('returns image and mask as two binaries from one base64 answer, without the base64 in json', async () => {
		const image = png(4, 4, [1, 2, 3, 0]);
		const mask = jpg(4, 4);
		const sent = recordCreates(nock(API), 1, () => [
			200,
			envelope({ task_id: 't-1', state: 1, progress: 100, image: image.toString('base64'), mask: mask.toString('base64'), output_type: 1, return_type: 2 }),
		]);
		const { context } = createContext({ items: [binaryItem(jpg(), 'item.jpg')], parameters: params({ outputType: 'imageAndMask' }) });

		const [output] = await node.execute.call(context);

		expect(sent[0].fields.output_type.value).toBe('1');
		expect(sent[0].fields.return_type.value).toBe('2');
		expect(output[0].json.image).toBeUndefined();
		expect(output[0].json.mask).toBeUndefined();
		expect(output[0].json.task_id).toBe('t-1');
		expect(Buffer.from(output[0].binary!.data.data, 'base64')).toEqual(image);
		expect(output[0].binary!.mask).toMatchObject({ mimeType: 'image/jpeg', fileName: 'item-mask.jpg' });
	});

	it('asks for a JPG on the chosen colour, with crop', async () => {
		const sent = recordCreates(nock(API), 1, () => [200, jpg(), { 'Content-Type': 'image/jpeg' }]);
		const { context } = createContext({
			items: [binaryItem(png(), 'bottle.png', 'image/png')],
			parameters: params({ format: 'jpg', backgroundColor: '#FF8800', crop: true, segmentationType: 'object' }),
		});
		const [output] = await node.execute.call(context);
		expect(sent[0].fields.format.value).toBe('jpg');
		expect(sent[0].fields.bg_color.value).toBe('ff8800');
		expect(sent[0].fields.crop.value).toBe('1');
		expect(sent[0].fields.type.value).toBe('object');
		expect(output[0].binary!.data).toMatchObject({ mimeType: 'image/jpeg', fileName: 'bottle.jpg' });
	});

	it('returns a mask alone under the mask property', async () => {
		const sent = recordCreates(nock(API), 1, () => [200, png(), { 'Content-Type': 'image/png' }]);
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ outputType: 'mask' }) });
		const [output] = await node.execute.call(context);
		expect(sent[0].fields.output_type.value).toBe('3');
		expect(Object.keys(output[0].binary!)).toEqual(['mask']);
		expect(output[0].binary!.mask.fileName).toBe('photo-mask.png');
	});
});

describe('Remove Background from a URL', () => {
	it('sends image_url, asks for URLs, and returns repaired links without downloading them', async () => {
		const link = 'https://storage.test/out.png?Expires=1\\u0026OSSAccessKeyId=k\\u0026Signature=s';
		const sent = recordCreates(nock(API), 1, () => [200, envelope({ task_id: 't-2', state: 1, image: link, return_type: 1 })]);
		const { context } = createContext({
			parameters: params({ inputSource: 'url', imageUrl: ' https://shop.test/p/1.jpg ', returnType: 'url' }),
		});
		const [output] = await node.execute.call(context);
		expect(sent[0].fields.image_url.value).toBe('https://shop.test/p/1.jpg');
		expect(sent[0].fields.image_file).toBeUndefined();
		expect(sent[0].fields.return_type.value).toBe('1');
		expect(output[0].json.image).toBe('https://storage.test/out.png?Expires=1&OSSAccessKeyId=k&Signature=s');
		expect(output[0].binary).toBeUndefined();
	});

	it('names a binary result after the URL\'s file', async () => {
		nock(API).post(PATH).reply(200, png(), { 'Content-Type': 'image/png' });
		const { context } = createContext({ parameters: params({ inputSource: 'url', imageUrl: 'https://shop.test/img/red%20shoe.jpeg?w=800' }) });
		const [output] = await node.execute.call(context);
		expect(output[0].binary!.data.fileName).toBe('red shoe.png');
	});
});

describe('bad input fails before any request, naming the item and the field', () => {
	const cases: Array<[string, Parameters<typeof createContext>[0], RegExp]> = [
		['a GIF', { items: [binaryItem(gif(), 'anim.gif', 'image/gif')] }, /GIF.*\[item 0\]/],
		['a file over 15 MB', { items: [binaryItem(Buffer.concat([png(), Buffer.alloc(15 * 1024 * 1024)]), 'big.png')] }, /15\.0 MB.*15 MB limit/],
		['an image over 4096 px', { items: [binaryItem(jpegHeader(5000, 100), 'wide.jpg')] }, /5000×100 px.*4096×4096/],
		['a file that is no image', { items: [binaryItem(Buffer.from('hello'), 'notes.txt', 'text/plain')] }, /"notes.txt" is not an image/],
		['an empty file', { items: [binaryItem(Buffer.alloc(0), 'empty.jpg')] }, /empty \(0 bytes\)/],
		['a missing binary property', { items: [binaryItem(png(), 'a.png', 'image/png', 'file')] }, /no binary property "data" \(field "Input Binary Field"\)/],
	];
	it.each(cases)('%s', async (_label, options, message) => {
		const scope = nock(API).post(PATH).reply(200, png());
		const { context, requests } = createContext({ ...options, parameters: params() });
		await expect(node.execute.call(context)).rejects.toThrow(message);
		expect(requests).toHaveLength(0);
		expect(scope.isDone()).toBe(false);
	});

	it('lists the properties an item does have', async () => {
		const { context } = createContext({ items: [binaryItem(png(), 'a.png', 'image/png', 'file')], parameters: params() });
		const error = await node.execute.call(context).catch((e: NodeOperationError) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).description).toContain('file');
	});

	it.each([
		['', /"Image URL" is empty/],
		['ftp://host/a.jpg', /must be an http\(s\) address/],
		['not a url', /not a valid URL/],
	])('image URL %j', async (imageUrl, message) => {
		const { context, requests } = createContext({ parameters: params({ inputSource: 'url', imageUrl }) });
		await expect(node.execute.call(context)).rejects.toThrow(message);
		expect(requests).toHaveLength(0);
	});

	it('a colour that is not a colour', async () => {
		const { context, requests } = createContext({ items: [binaryItem(png())], parameters: params({ format: 'jpg', backgroundColor: 'sky blue' }) });
		await expect(node.execute.call(context)).rejects.toThrow(/"Background Color" is not a colour: "sky blue" \[item 0\]/);
		expect(requests).toHaveLength(0);
	});

	it('the same property for image and mask', async () => {
		const { context } = createContext({
			items: [binaryItem(png())],
			parameters: params({ outputType: 'imageAndMask', options: { maskBinaryPropertyName: 'data' } }),
		});
		await expect(node.execute.call(context)).rejects.toThrow(/both "data"/);
	});
});

describe('async processing', () => {
	it('creates a task with sync=0, polls until done, and returns binaries', async () => {
		const image = png(5, 5);
		const scope = nock(API);
		const sent = recordCreates(scope, 1, () => [200, envelope({ task_id: 'task-9', state: 0 })]);
		const polls: number[] = [];
		let created = 0;
		scope.get(`${PATH}/task-9`).times(2).reply(() => {
			polls.push(Date.now());
			return [200, envelope(polls.length === 1 ? { task_id: 'task-9', state: 4 } : { task_id: 'task-9', state: 1, image: image.toString('base64') })];
		});
		const { context, requests } = createContext({
			items: [binaryItem(jpg())],
			parameters: params({ processingMode: 'async', options: { pollIntervalMs: 200, maxRequestsPerSecond: 50 } }),
		});
		const started = Date.now();
		created = started;
		const [output] = await node.execute.call(context);

		expect(sent[0].fields.sync.value).toBe('0');
		expect(sent[0].fields.return_type.value).toBe('2');
		expect(polls).toHaveLength(2);
		// The first poll waits for the typical processing time instead of the (shorter) poll interval.
		expect(polls[0] - created).toBeGreaterThanOrEqual(1150);
		expect(requests.filter((r) => r.method === 'GET')).toHaveLength(2);
		expect(Buffer.from(output[0].binary!.data.data, 'base64')).toEqual(image);
		expect(output[0].json).toMatchObject({ task_id: 'task-9', state: 1 });
	});

	it('returns the task at once when "Wait for Completion" is off', async () => {
		nock(API).post(PATH).reply(200, envelope({ task_id: 'task-10', state: 0 }));
		const { context, requests } = createContext({
			items: [binaryItem(jpg())],
			parameters: params({ processingMode: 'async', options: { waitForCompletion: false, maxRequestsPerSecond: 50 } }),
		});
		const [output] = await node.execute.call(context);
		expect(output[0].json).toEqual({ task_id: 'task-10', state: 0 });
		expect(output[0].binary).toBeUndefined();
		expect(requests).toHaveLength(1);
	});

	it('times out with an error naming the task id, on the error output', async () => {
		nock(API).post(PATH).reply(200, envelope({ task_id: 'slow-1', state: 0 }));
		nock(API).get(`${PATH}/slow-1`).times(20).reply(200, envelope({ task_id: 'slow-1', state: 4 }));
		const { context } = createContext({
			items: [binaryItem(jpg())],
			onError: 'continueErrorOutput',
			parameters: params({ processingMode: 'async', options: { timeoutSeconds: 2, pollIntervalMs: 300, maxRequestsPerSecond: 50 } }),
		});
		const [output] = await node.execute.call(context);
		expect(Object.keys(output[0].json).sort()).toEqual(['error', 'message']);
		expect(String(output[0].json.error)).toMatch(/task slow-1 was not finished after 2 s \(state 4\) \[item 0\]/);
		expect(String(output[0].json.message)).toMatch(/Timeout \(Seconds\)/);
	});

	it('runs a task that ended in -2 once more as a new task', async () => {
		const scope = nock(API);
		const sent = recordCreates(scope, 2, (index) => [200, envelope(index === 0 ? { task_id: 'a', state: -2 } : { task_id: 'b', state: 1, image: png().toString('base64'), mask: png().toString('base64') })]);
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ outputType: 'imageAndMask' }) });
		const [output] = await node.execute.call(context);
		expect(sent).toHaveLength(2);
		expect(output[0].json.task_id).toBe('b');
	});

	it('gives up after the second -8', async () => {
		const sent = recordCreates(nock(API), 2, () => [200, envelope({ task_id: 'x', state: -8 })]);
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ outputType: 'imageAndMask' }) });
		await expect(node.execute.call(context)).rejects.toThrow(/timed out processing the image \(state -8\)/);
		expect(sent).toHaveLength(2);
	});
});

describe('every failed state becomes a clear error', () => {
	it.each([
		[-1, /reported the task as failed/],
		[-3, /could not download the image from the URL/],
		[-5, /larger than 15 MB/],
		[-7, /not a valid image file/],
	])('state %d: on the error output as { error, message }, naming state, task and item', async (state, text) => {
		const sent = recordCreates(nock(API), 1, () => [200, envelope({ task_id: `t${state}`, state, progress: 0 })]);
		const { context } = createContext({ items: [binaryItem(jpg())], onError: 'continueErrorOutput', parameters: params() });
		const [output] = await node.execute.call(context);
		expect(sent).toHaveLength(1);
		// n8n routes an item to the error output only when its json is { error } or { error, message }.
		expect(Object.keys(output[0].json).sort()).toEqual(['error', 'message']);
		expect(String(output[0].json.error)).toMatch(text);
		expect(String(output[0].json.error)).toContain(`(state ${state}) (task t${state}) [item 0]`);
		expect(String(output[0].json.message).length).toBeGreaterThan(20);
		expect(output[0].error).toBeUndefined();
	});

	it.each([-1, -3, -5, -7])('state %d: on the main output with state, task_id and description', async (state) => {
		recordCreates(nock(API), 1, () => [200, envelope({ task_id: `t${state}`, state, progress: 0 })]);
		const { context } = createContext({ items: [binaryItem(jpg())], onError: 'continueRegularOutput', parameters: params() });
		const [output] = await node.execute.call(context);
		expect(output[0].json).toMatchObject({ state, task_id: `t${state}`, description: expect.any(String) });
	});
});

describe('HTTP errors', () => {
	it.each([
		[400, /rejected the request parameters \(HTTP 400\)/],
		[401, /rejected the API key \(HTTP 401\)/],
		[404, /did not find that \(HTTP 404\)/],
		[413, /larger than PicWish accepts \(HTTP 413\)/],
	])('%d is not retried and says what to do', async (status, message) => {
		const sent = recordCreates(nock(API), 3, () => [status, { status, message: 'api says no' }]);
		const { context } = createContext({ items: [binaryItem(jpg())], onError: 'continueRegularOutput', parameters: params() });
		const [output] = await node.execute.call(context);
		expect(sent).toHaveLength(1);
		expect(output[0].json.httpCode).toBe(status);
		expect(String(output[0].json.error)).toMatch(message);
		expect(String(output[0].json.description)).toContain('PicWish said: "api says no"');
		expect(output[0].error).toBeUndefined();
	});

	it('treats a JSON status that disagrees with HTTP 200 as the error it names', async () => {
		nock(API).post(PATH).reply(200, { status: 401, message: 'bad key' });
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params() });
		await expect(node.execute.call(context)).rejects.toThrow(/rejected the API key \(status 401 in the JSON answer\)/);
	});

	it('retries a 429 and honours Retry-After', async () => {
		const times: number[] = [];
		recordCreates(nock(API), 2, (index) => {
			times.push(Date.now());
			return index === 0 ? [429, { status: 429, message: 'slow down' }, { 'Retry-After': '1' }] : [200, png(), { 'Content-Type': 'image/png' }];
		});
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params() });
		const [output] = await node.execute.call(context);
		expect(output[0].binary!.data.mimeType).toBe('image/png');
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
	});

	it('fails with advice on QPS after the last 429', async () => {
		const sent = recordCreates(nock(API), 3, () => [429, { status: 429, message: 'qps' }]);
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params({ options: { maxRetries: 2, maxRequestsPerSecond: 50 } }) });
		await expect(node.execute.call(context)).rejects.toThrow(/too many requests.*HTTP 429/);
		expect(sent).toHaveLength(3);
	});

	it('retries a 500 once and succeeds', async () => {
		const sent = recordCreates(nock(API), 2, (index) => (index === 0 ? [500, { status: 500, message: 'oops' }] : [200, png(), { 'Content-Type': 'image/png' }]));
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params() });
		const [output] = await node.execute.call(context);
		expect(sent).toHaveLength(2);
		expect(output[0].binary!.data).toBeDefined();
	});

	it('retries a refused connection, then names the host and the reason', async () => {
		// A real refused connection: port 9 (discard) on loopback, where nothing listens on these machines.
		const host = 'http://127.0.0.1:9';
		nock.enableNetConnect('127.0.0.1');
		const { context, requests } = createContext({
			items: [binaryItem(jpg())],
			credentials: { apiKey: 'k', region: 'custom', baseUrl: `${host}/` },
			parameters: params({ options: { maxRetries: 1, maxRequestsPerSecond: 50 } }),
		});
		await expect(node.execute.call(context)).rejects.toThrow(
			new RegExp(`Could not reach PicWish at ${host} \\(ECONNREFUSED\\) \\[item 0\\]`),
		);
		expect(requests).toHaveLength(2);
		nock.disableNetConnect();
	});

	it('does not follow a redirect with the API key', async () => {
		nock(API).post(PATH).reply(302, '', { Location: 'http://elsewhere.test/steal' });
		const elsewhere = nock('http://elsewhere.test').post('/steal').reply(200, png());
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params() });
		await expect(node.execute.call(context)).rejects.toThrow(/not a task \(HTTP 302\)/);
		expect(elsewhere.isDone()).toBe(false);
	});
});

describe('On Error settings, with one bad item among three', () => {
	it('stops the workflow with an error naming the item', async () => {
		nock(API).post(PATH).reply(200, png(), { 'Content-Type': 'image/png' });
		nock(API).post(PATH).reply(200, envelope({ task_id: 'bad', state: -7 }));
		const items = [binaryItem(jpg(), 'a.jpg'), binaryItem(jpg(), 'b.jpg')];
		const { context } = createContext({ items, parameters: params({ options: { maxRequestsPerSecond: 1 } }) });
		const error = await node.execute.call(context).catch((e: NodeApiError) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/state -7\) \(task bad\) \[item 1\]/);
	});

	it.each([
		['continueRegularOutput', false],
		['continueErrorOutput', true],
	] as const)('%s: every item comes out, paired, the failed one with its input file', async (onError, errorOutput) => {
		nock.cleanAll();
		const answers = [png(), 'bad', png()];
		let call = 0;
		nock(API).post(PATH).times(3).reply(() => {
			const answer = answers[call++];
			return answer === 'bad' ? [200, envelope({ task_id: 'bad', state: -7 })] : [200, answer, { 'Content-Type': 'image/png' }];
		});
		const items = [binaryItem(jpg(), 'a.jpg'), binaryItem(jpg(), 'b.jpg'), binaryItem(jpg(), 'c.jpg')];
		const { context } = createContext({ items, onError, parameters: params({ options: { maxRequestsPerSecond: 1 } }) });
		const [output] = await node.execute.call(context);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		if (errorOutput) expect(Object.keys(output[1].json).sort()).toEqual(['error', 'message']);
		else expect(output[1].json).toMatchObject({ state: -7, task_id: 'bad' });
		expect(String(output[1].json.error)).toMatch(/state -7\) \(task bad\) \[item 1\]/);
		expect(output[1].binary!.data.fileName).toBe('b.jpg');
		expect(output[1].error).toBeUndefined();
		expect(output[0].binary!.data.fileName).toBe('a.png');
		expect(output[2].binary!.data.fileName).toBe('c.png');
	});

});

describe('batches', () => {
	it('runs items in parallel and keeps the output in input order', async () => {
		let inFlight = 0;
		let peak = 0;
		const delays = [300, 250, 200, 150, 100, 50];
		let call = 0;
		nock(API).post(PATH).times(6).reply(function (_uri, body, callback) {
			const index = call++;
			const name = parseMultipart(bodyBuffer(body), String(this.req.headers['content-type'])).image_file.fileName;
			inFlight++;
			peak = Math.max(peak, inFlight);
			void sleep(delays[index]).then(() => {
				inFlight--;
				callback(null, [200, envelope({ task_id: String(name), state: 1, image: png().toString('base64') })]);
			});
		});
		const items = delays.map((_, index) => binaryItem(jpg(), `p${index}.jpg`));
		const { context } = createContext({ items, parameters: params({ returnType: 'base64', options: { maxRequestsPerSecond: 20 } }) });
		const [output] = await node.execute.call(context);
		expect(output.map((item) => item.json.task_id)).toEqual(['p0.jpg', 'p1.jpg', 'p2.jpg', 'p3.jpg', 'p4.jpg', 'p5.jpg']);
		expect(output.map((item) => item.pairedItem)).toEqual(delays.map((_, item) => ({ item })));
		expect(peak).toBeGreaterThan(1);
	});
});
