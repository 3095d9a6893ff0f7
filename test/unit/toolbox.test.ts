// The task engine running the other PicWish endpoints: their own paths, field names and result shapes.
import nock from 'nock';

import { PicWish } from '../../nodes/PicWish/PicWish.node';
import { createContext, binaryItem } from '../support/executeContext';
import { jpg, parseMultipart, png } from '../support/images';
import { bodyBuffer } from '../support/nockBody';

const API = 'http://picwish.test';
const STORAGE = 'http://storage.test';
const node = new PicWish();

function params(operation: string, overrides: Record<string, unknown> = {}) {
	return {
		operation,
		inputSource: 'binary',
		binaryPropertyName: 'data',
		processingMode: 'sync',
		returnType: 'binary',
		options: { maxRequestsPerSecond: 50, pollIntervalMs: 200 },
		...overrides,
	};
}

function task(data: Record<string, unknown>) {
	return { status: 200, message: 'success', data: { task_id: 't-1', ...data } };
}

/** Records the multipart fields of each create request on `path`. */
function creates(path: string, reply: () => [number, unknown, Record<string, string>?]) {
	const sent: Array<ReturnType<typeof parseMultipart>> = [];
	nock(API).post(path).reply(function (_uri, body) {
		sent.push(parseMultipart(bodyBuffer(body), String(this.req.headers['content-type'])));
		return reply();
	});
	return sent;
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Generate Background', () => {
	const PATH = '/api/tasks/visual/background';

	it.each([
		['a list of links', [`${STORAGE}/a.jpg`, `${STORAGE}/b.jpg`]],
		['a list of objects', [{ url: `${STORAGE}/a.jpg`, width: 8, height: 6 }, { url: `${STORAGE}/b.jpg`, width: 8, height: 6 }]],
	])('creates an async task, polls it, and gives one item per picture (%s), paired and named after the input', async (_label, image) => {
		const sent = creates(PATH, () => [200, task({ state: 0 })]);
		nock(API).get(`${PATH}/t-1`).reply(200, task({ state: 1, image }));
		nock(STORAGE).get('/a.jpg').reply(200, jpg()).get('/b.jpg').reply(200, jpg());
		const { context } = createContext({ items: [binaryItem(png(), 'mug.png', 'image/png')], parameters: params('generateBackground', { prompt: 'on a beach' }) });
		const [output] = await node.execute.call(context);
		expect(sent[0].sync).toBeUndefined();
		expect(sent[0].prompt.value).toBe('on a beach');
		expect(sent[0].return_type).toBeUndefined();
		expect(output).toHaveLength(2);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(output.map((item) => item.binary!.data.fileName)).toEqual(['mug.jpg', 'mug-2.jpg']);
		expect(output.map((item) => item.json.result_index)).toEqual([0, 1]);
		expect(output[1].json.image).toBe(`${STORAGE}/b.jpg`);
	});

	it('a single link (batch size 1) is one item', async () => {
		creates(PATH, () => [200, task({ state: 0 })]);
		nock(API).get(`${PATH}/t-1`).reply(200, task({ state: 1, image: `${STORAGE}/a.jpg` }));
		nock(STORAGE).get('/a.jpg').reply(200, jpg());
		const { context } = createContext({ items: [binaryItem(png(), 'mug.png', 'image/png')], parameters: params('generateBackground', { prompt: 'x', batchSize: 1 }) });
		const [output] = await node.execute.call(context);
		expect(output).toHaveLength(1);
		expect(output[0].binary!.data.fileName).toBe('mug.jpg');
	});

	it('Return Type URL: one item per link, no download', async () => {
		creates(PATH, () => [200, task({ state: 0 })]);
		nock(API).get(`${PATH}/t-1`).reply(200, task({ state: 1, image: [`${STORAGE}/a.jpg`, `${STORAGE}/b.jpg`] }));
		const { context } = createContext({ items: [binaryItem(png())], parameters: params('generateBackground', { prompt: 'x', returnType: 'url' }) });
		const [output] = await node.execute.call(context);
		expect(output.map((item) => item.json.image)).toEqual([`${STORAGE}/a.jpg`, `${STORAGE}/b.jpg`]);
		expect(output.every((item) => item.binary === undefined)).toBe(true);
	});
});

describe('Remove Watermark', () => {
	const PATH = '/api/tasks/visual/external/watermark-remove';

	it('uploads as `file`, reads `data.file`, and downloads it without the key', async () => {
		const sent = creates(PATH, () => [200, task({ state: 1, file: `${STORAGE}/clean.jpg` })]);
		const storage = nock(STORAGE, { badheaders: ['x-api-key'] }).get('/clean.jpg').reply(200, jpg());
		const { context } = createContext({ items: [binaryItem(jpg(), 'shoe.jpg')], parameters: params('removeWatermark') });
		const [output] = await node.execute.call(context);
		expect(Object.keys(sent[0]).sort()).toEqual(['file', 'sync']);
		expect(storage.isDone()).toBe(true);
		expect(output[0].binary!.data).toMatchObject({ fileName: 'shoe.jpg', mimeType: 'image/jpeg' });
		expect(output[0].json.file).toBe(`${STORAGE}/clean.jpg`);
	});

	it('sends a link as `url`', async () => {
		const sent = creates(PATH, () => [200, task({ state: 1, file: `${STORAGE}/clean.jpg` })]);
		const { context } = createContext({ parameters: params('removeWatermark', { inputSource: 'url', imageUrl: 'https://shop.test/a.jpg', returnType: 'url' }) });
		await node.execute.call(context);
		expect(sent[0].url.value).toBe('https://shop.test/a.jpg');
		expect(sent[0].image_url).toBeUndefined();
	});

	it('Return Type Base64 downloads the link and encodes it (the endpoint has no base64)', async () => {
		creates(PATH, () => [200, task({ state: 1, file: `${STORAGE}/clean.jpg` })]);
		const bytes = jpg();
		nock(STORAGE).get('/clean.jpg').reply(200, bytes);
		const { context } = createContext({ items: [binaryItem(jpg())], parameters: params('removeWatermark', { returnType: 'base64' }) });
		const [output] = await node.execute.call(context);
		expect(output[0].json.file).toBe(bytes.toString('base64'));
	});
});

describe('Clothing Segmentation', () => {
	const PATH = '/api/tasks/visual/clothing-segmentation';

	it('turns class_masks into a binary per part, and ignores the empty ZIP field', async () => {
		creates(PATH, () => [200, task({ state: 1, class_masks: { tops: `${STORAGE}/tops.png`, bottoms: `${STORAGE}/bottoms.png` }, clothes_masks: '' })]);
		nock(STORAGE).get('/tops.png').reply(200, png()).get('/bottoms.png').reply(200, png());
		const { context } = createContext({ items: [binaryItem(jpg(), 'model.jpg')], parameters: params('clothingSegmentation') });
		const [output] = await node.execute.call(context);
		expect(Object.keys(output[0].binary!).sort()).toEqual(['mask_bottoms', 'mask_tops']);
		expect(output[0].binary!.mask_tops.fileName).toBe('model-tops.png');
	});

	it('the ZIP of all masks becomes the output binary', async () => {
		const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
		creates(PATH, () => [200, task({ state: 1, class_masks: '', clothes_masks: `${STORAGE}/all.zip` })]);
		nock(STORAGE).get('/all.zip').reply(200, zip);
		const { context } = createContext({ items: [binaryItem(jpg(), 'model.jpg')], parameters: params('clothingSegmentation', { clothingOutput: 'zip' }) });
		const [output] = await node.execute.call(context);
		expect(output[0].binary!.data).toMatchObject({ fileName: 'model.zip', mimeType: 'application/zip' });
	});
});

describe('Extract Text', () => {
	const PATH = '/api/tasks/document/ocr';

	it('reads a PDF, polls, and returns the document of the asked format', async () => {
		const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF');
		const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(30)]);
		const sent = creates(PATH, () => [200, task({ state: 0 })]);
		nock(API).get(`${PATH}/t-1`).reply(200, task({ state: 1, file: `${STORAGE}/out.docx?Expires=1` }));
		nock(STORAGE).get('/out.docx').query(true).reply(200, docx);
		const item = binaryItem(pdf, 'spec-sheet.pdf', 'application/pdf');
		const { context } = createContext({ items: [item], parameters: params('extractText', { ocrFormat: 'docx' }) });
		const [output] = await node.execute.call(context);
		expect(sent[0].image_file.fileName).toBe('spec-sheet.pdf');
		expect(sent[0].format.value).toBe('docx');
		expect(output[0].binary!.data).toMatchObject({
			fileName: 'spec-sheet.docx',
			mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		});
	});

	it('a text result arrives as a .txt file', async () => {
		creates(PATH, () => [200, task({ state: 0 })]);
		nock(API).get(`${PATH}/t-1`).reply(200, task({ state: 1, file: `${STORAGE}/out.txt` }));
		nock(STORAGE).get('/out.txt').reply(200, 'Cotton 100%\nMade in Portugal\n');
		const { context } = createContext({ items: [binaryItem(jpg(), 'label.jpg')], parameters: params('extractText') });
		const [output] = await node.execute.call(context);
		expect(output[0].binary!.data).toMatchObject({ fileName: 'label.txt', mimeType: 'text/plain' });
	});
});

describe('operation limits are checked before a request', () => {
	it('Expand Image refuses a WEBP and a 6 MB file; Advanced Enhance takes a 20 MB one', async () => {
		const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(20)]);
		const big = Buffer.concat([png(), Buffer.alloc(6 * 1024 * 1024)]);
		for (const [bytes, message] of [[webp, /is a WEBP, which PicWish does not accept here/], [big, /over PicWish's 5 MB limit/]] as const) {
			const { context, requests } = createContext({ items: [binaryItem(bytes, 'x.png', 'image/png')], parameters: params('expandImage') });
			await expect(node.execute.call(context)).rejects.toThrow(message);
			expect(requests).toHaveLength(0);
		}
		creates('/api/tasks/visual/scale-pro', () => [200, task({ state: 1, image: png().toString('base64') })]);
		const large = Buffer.concat([png(), Buffer.alloc(20 * 1024 * 1024)]);
		const { context } = createContext({ items: [binaryItem(large, 'big.png', 'image/png')], parameters: params('advancedEnhance') });
		const [output] = await node.execute.call(context);
		expect(output[0].binary!.data.mimeType).toBe('image/png');
	});

	it('a link over 512 characters is refused where the endpoint documents the limit', async () => {
		const url = `https://shop.test/${'a'.repeat(520)}.jpg`;
		const { context } = createContext({ parameters: params('expandImage', { inputSource: 'url', imageUrl: url }) });
		await expect(node.execute.call(context)).rejects.toThrow(/"Image URL" is 542 characters long, over this operation's limit of 512/);
	});
});

describe('Get Task of another operation', () => {
	it('reads the task from that operation\'s endpoint', async () => {
		nock(API).get('/api/tasks/visual/scale/t-9').reply(200, task({ task_id: 't-9', state: 1, image: png().toString('base64') }));
		const { context } = createContext({ parameters: { operation: 'getTask', taskType: 'enhance', taskId: 't-9', returnType: 'binary', options: { maxRequestsPerSecond: 50 } } });
		const [output] = await node.execute.call(context);
		expect(output[0].binary!.data.fileName).toBe('picwish-t-9.png');
	});

	it('a finished task without any result says so', async () => {
		nock(API).get('/api/tasks/visual/scale/t-9').reply(200, task({ task_id: 't-9', state: 1, image: '' }));
		const { context } = createContext({ parameters: { operation: 'getTask', taskType: 'enhance', taskId: 't-9', returnType: 'binary', options: { maxRequestsPerSecond: 50 } } });
		await expect(node.execute.call(context)).rejects.toThrow(/finished the task but it holds no result/);
	});
});
