// Each operation's mapping: its UI fields → the API's multipart fields, and the results it asks for.
import { OPERATIONS, operationSpec } from '../../nodes/PicWish/actions/operations';
import { operationField, properties } from '../../nodes/PicWish/actions/properties';
import type { OperationSpec } from '../../nodes/PicWish/engine/spec';
import { png } from '../support/images';
import { fakeParams } from '../support/params';

function spec(name: string): OperationSpec {
	const found = operationSpec(name);
	if (!found) throw new Error(`no operation ${name}`);
	return found;
}

async function fields(name: string, values: Record<string, unknown> = {}, files = {}) {
	const all = await spec(name).apiFields(fakeParams(values, files));
	return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

describe('the operation list', () => {
	it('has one entry per registered operation, plus Get Task, each with an action an agent can read', () => {
		const values = (operationField.options ?? []).map((option) => ('value' in option ? option.value : undefined));
		expect(values.sort()).toEqual([...OPERATIONS.map((operation) => operation.name), 'getTask'].sort());
		for (const option of operationField.options ?? []) {
			expect('action' in option && String(option.action).length).toBeGreaterThan(10);
		}
	});

	it('shows each operation\'s own fields for that operation only', () => {
		const enhanceType = properties.find((property) => property.name === 'enhanceType');
		expect(enhanceType?.displayOptions?.show?.operation).toEqual(['enhance']);
		const background = properties.find((property) => property.name === 'backgroundColor');
		expect(background?.displayOptions?.show).toEqual({ format: ['jpg'], operation: ['removeBackground'] });
	});

	it('offers Processing Mode only where the endpoint has sync and async', () => {
		const mode = properties.find((property) => property.name === 'processingMode');
		expect(mode?.displayOptions?.show?.operation).not.toContain('generateBackground');
		expect(mode?.displayOptions?.show?.operation).not.toContain('extractText');
		expect(mode?.displayOptions?.show?.operation).toContain('enhance');
	});

	it('keeps every parameter name unique, so no operation reads another\'s field', () => {
		const own = OPERATIONS.flatMap((operation) => operation.fields.map((field) => field.name));
		expect(new Set(own).size).toBe(own.length);
	});
});

describe('Generate Background', () => {
	it('sends the prompt, negative prompt and batch size; no sync field (async only)', async () => {
		expect(await fields('generateBackground', { prompt: 'on marble', negativePrompt: 'people', batchSize: 3 })).toEqual({
			batch_size: '3',
			prompt: 'on marble',
			negative_prompt: 'people',
		});
		expect(spec('generateBackground').modes).toBe('asyncOnly');
		expect(spec('generateBackground').itemPerResult).toBe(true);
	});

	it('sends a scene template instead of a prompt', async () => {
		expect(await fields('generateBackground', { backgroundSource: 'sceneType', sceneType: 7 })).toEqual({ batch_size: '2', scene_type: '7' });
	});

	it.each([
		[{ prompt: '' }, /"Prompt" is empty/],
		[{ prompt: 'x'.repeat(1025) }, /1025 characters long, over PicWish's limit of 1024/],
		[{ prompt: 'ok', batchSize: 5 }, /"Pictures per Photo" must be a whole number from 1 to 4/],
	])('stops on %j', async (values, message) => {
		await expect(fields('generateBackground', values)).rejects.toThrow(message);
	});
});

describe('Enhance and Advanced Enhance', () => {
	it('maps type and scale factor, leaving auto out', async () => {
		expect(await fields('enhance', {})).toEqual({ type: 'clean' });
		expect(await fields('enhance', { enhanceType: 'face', scaleFactor: '4' })).toEqual({ type: 'face', scale_factor: '4' });
	});

	it('Advanced Enhance: type 0/1, 30 MB files, 512-character links, no byte stream', async () => {
		expect(await fields('advancedEnhance', { enhanceQuality: '1' })).toEqual({ type: '1' });
		expect(spec('advancedEnhance').input.limits).toMatchObject({ maxMegabytes: 30, maxUrlLength: 512 });
		expect(spec('advancedEnhance').apiReturnTypes).toEqual([1, 2]);
	});
});

describe('Compress', () => {
	it('by quality, keeping the format, with a new width', async () => {
		expect(await fields('compress', { quality: 70, width: 1200 })).toEqual({ quality: '70', width: '1200' });
	});

	it('to a target size in a chosen format', async () => {
		expect(await fields('compress', { compressBy: 'size', targetKilobytes: 300, compressFormat: 'webp' })).toEqual({ kbyte: '300', format: 'webp' });
	});

	it.each([
		[{ compressBy: 'size', compressFormat: 'png' }, /"Target File Size" does not work with Output Format PNG/],
		[{ quality: 0 }, /"Quality" must be a whole number from 1 to 100/],
		[{ width: 9000 }, /"Width \(Px\)" must be a whole number from 0 to 8000/],
	])('stops on %j', async (values, message) => {
		await expect(fields('compress', values)).rejects.toThrow(message);
	});
});

describe('Remove Watermark', () => {
	it('uses the endpoint\'s own field names file/url and reads its result from data.file', () => {
		expect(spec('removeWatermark').input).toMatchObject({ fileField: 'file', urlField: 'url' });
		expect(spec('removeWatermark').results.map((result) => result.field)).toEqual(['file']);
		expect(spec('removeWatermark').apiReturnTypes).toBeUndefined();
	});
});

describe('Remove Objects', () => {
	it('sends rectangles as the API\'s JSON string', async () => {
		expect(await fields('removeObjects', { rectangles: '[{"x":1,"y":2,"width":30,"height":40}]' })).toEqual({
			rectangles: '[{"x":1,"y":2,"width":30,"height":40}]',
		});
	});

	it('sends a mask from a binary property or a URL', async () => {
		const mask = { fileName: 'm.png', contentType: 'image/png', bytes: png() };
		expect(await fields('removeObjects', { removalArea: 'maskBinary', maskBinaryField: 'm' }, { m: mask })).toEqual({ mask_file: mask });
		expect(await fields('removeObjects', { removalArea: 'maskUrl', maskUrl: 'https://x.test/m.png' })).toEqual({ mask_url: 'https://x.test/m.png' });
	});

	it.each([
		['not json', /not valid JSON/],
		['[]', /1 to 50 areas/],
		[JSON.stringify(Array.from({ length: 51 }, () => ({ x: 0, y: 0, width: 1, height: 1 }))), /1 to 50 areas/],
		['[{"x":1,"y":2}]', /1 to 50 areas/],
	])('stops on rectangles %s', async (rectangles, message) => {
		await expect(fields('removeObjects', { rectangles })).rejects.toThrow(message);
	});
});

describe('Expand Image', () => {
	it('sends the four side ratios, default 0.1 each', async () => {
		expect(await fields('expandImage', { expandTop: 0.5 })).toEqual({ top: '0.5', bottom: '0.1', left: '0.1', right: '0.1' });
	});

	it('has its own limits: JPG/PNG, 5 MB, 64–4096 px, 512-character links', () => {
		expect(spec('expandImage').input.limits).toEqual({ kinds: ['jpg', 'png'], maxMegabytes: 5, maxSide: 4096, minSide: 64, maxUrlLength: 512 });
	});

	it('stops on a ratio of 0 or over 1', async () => {
		await expect(fields('expandImage', { expandLeft: 0 })).rejects.toThrow(/"Left \(Ratio\)" must be a number from more than 0 to 1/);
		await expect(fields('expandImage', { expandRight: 1.5 })).rejects.toThrow(/"Right \(Ratio\)"/);
	});
});

describe('Face Cut-Out, ID Photo, Colorize, Smart Crop', () => {
	it('Face Cut-Out uses output_format, not format', async () => {
		expect(await fields('faceCutout', { faceCrop: true, faceFormat: 'jpg' })).toEqual({ crop: '1', output_format: 'jpg' });
	});

	it('ID Photo: size with a lowercase x, JPG on a colour', async () => {
		expect(await fields('idPhoto', { idPhotoSize: '295 X 413', idPhotoBackground: '#438edb' })).toEqual({ size: '295x413', format: 'jpg', bg_color: '438EDB' });
		expect(await fields('idPhoto', { idPhotoFormat: 'png' })).toEqual({ format: 'png' });
	});

	it.each(['99x413', '295x2001', '295*413', 'big'])('ID Photo stops on size %s', async (idPhotoSize) => {
		await expect(fields('idPhoto', { idPhotoSize })).rejects.toThrow(/"Size \(Px\)" must be width x height/);
	});

	it('Colorize and Smart Crop', async () => {
		expect(await fields('colorize', { colorizeFormat: 'png' })).toEqual({ format: 'png' });
		expect(await fields('smartCrop', {})).toEqual({ type: '3' });
	});
});

describe('Clothing Segmentation', () => {
	it.each([
		['classMasks', '1', ['class_masks']],
		['zip', '2', ['clothes_masks']],
		['both', '3', ['class_masks', 'clothes_masks']],
	])('output %s is output_type %s and asks for %j', async (clothingOutput, code, wanted) => {
		expect(await fields('clothingSegmentation', { clothingOutput })).toEqual({ output_type: code, class_type: '1', detail_mode: '1', quality: '1' });
		expect(spec('clothingSegmentation').wantedResults(fakeParams({ clothingOutput }))).toEqual(wanted);
	});
});

describe('Extract Text', () => {
	it('sends languages, format and password; accepts documents up to 200 MB', async () => {
		expect(await fields('extractText', { ocrLanguages: ' English , Digits ', ocrFormat: 'docx', documentPassword: 'pw' })).toEqual({
			language: 'English,Digits',
			format: 'docx',
			password: 'pw',
		});
		expect(spec('extractText').input.limits.kinds).toEqual(expect.arrayContaining(['pdf', 'zip', 'gif']));
		expect(spec('extractText').input.limits.maxMegabytes).toBe(200);
		expect(spec('extractText').modes).toBe('asyncOnly');
	});

	it.each([
		[{ ocrLanguages: Array.from({ length: 11 }, () => 'English').join(',') }, /1 to 10 language names/],
		[{ ocrLanguages: 'English;Digits' }, /1 to 10 language names/],
		[{ documentPassword: 'x'.repeat(33) }, /over PicWish's limit of 32/],
		[{ inputSource: 'url', imageUrl: 'https://docs.test:8443/a.pdf' }, /port PicWish's OCR cannot reach/],
	])('stops on %j', async (values, message) => {
		await expect(fields('extractText', values)).rejects.toThrow(message);
	});
});
