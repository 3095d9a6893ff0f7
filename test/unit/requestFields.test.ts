import {
	buildSegmentationFields,
	chooseApiReturnType,
	normalizeHexColor,
} from '../../nodes/PicWish/helpers/requestFields';
import type { SegmentationSettings } from '../../nodes/PicWish/helpers/requestFields';
import { buildMultipart } from '../../nodes/PicWish/transport/multipart';
import { parseMultipart, png } from '../support/images';

const base: SegmentationSettings = {
	processingMode: 'sync',
	segmentationType: 'auto',
	outputType: 'image',
	returnType: 'binary',
	crop: false,
	format: 'png',
};

describe('node fields become the API multipart fields', () => {
	it('sends the defaults the way the API documents them, leaving "type" out for auto', () => {
		const fields = buildSegmentationFields(base, { url: 'https://x.test/a.jpg' });
		expect(fields).toEqual({
			image_url: 'https://x.test/a.jpg',
			sync: '1',
			return_type: '3',
			output_type: '2',
			crop: '0',
			format: 'png',
		});
	});

	it.each([
		['person', 'person'],
		['object', 'object'],
		['stamp', 'stamp'],
	] as const)('segmentation type %s is sent as type=%s', (segmentationType, type) => {
		expect(buildSegmentationFields({ ...base, segmentationType }, { url: 'https://x.test/a' }).type).toBe(type);
	});

	it.each([
		['image', '2'],
		['mask', '3'],
		['imageAndMask', '1'],
	] as const)('output %s is output_type=%s', (outputType, code) => {
		expect(buildSegmentationFields({ ...base, outputType }, { url: 'https://x.test/a' }).output_type).toBe(code);
	});

	it('maps async, crop and jpg with a colour', () => {
		const fields = buildSegmentationFields(
			{ ...base, processingMode: 'async', crop: true, format: 'jpg', backgroundColor: 'ff0000' },
			{ url: 'https://x.test/a' },
		);
		expect(fields).toMatchObject({ sync: '0', crop: '1', format: 'jpg', bg_color: 'ff0000' });
	});

	it('never sends bg_color with png', () => {
		expect(buildSegmentationFields({ ...base, backgroundColor: 'ff0000' }, { url: 'https://x.test/a' }).bg_color).toBeUndefined();
	});

	it('uploads a binary input as image_file with its name and type', () => {
		const bytes = png();
		const { body, contentType } = buildMultipart(
			buildSegmentationFields(base, { file: { fileName: 'shoe "red".png', contentType: 'image/png', bytes } }),
		);
		const parts = parseMultipart(body, contentType);
		expect(parts.image_file.fileName).toBe('shoe _red_.png');
		expect(parts.image_file.contentType).toBe('image/png');
		expect(Buffer.compare(parts.image_file.bytes, bytes)).toBe(0);
		expect(parts.sync.value).toBe('1');
		expect(parts.image_url).toBeUndefined();
	});
});

describe('the cheapest API return type for what the user asked', () => {
	it.each([
		['binary', 'image', 'sync', 3],
		['binary', 'mask', 'sync', 3],
		['binary', 'imageAndMask', 'sync', 2],
		['binary', 'image', 'async', 2],
		['url', 'image', 'sync', 1],
		['url', 'imageAndMask', 'async', 1],
		['base64', 'image', 'sync', 2],
	] as const)('%s / %s / %s → return_type %d', (returnType, outputType, mode, expected) => {
		expect(chooseApiReturnType(returnType, outputType, mode)).toBe(expected);
	});
});

describe('background colours', () => {
	it.each([
		['#FFFFFF', 'ffffff'],
		['ffffff', 'ffffff'],
		['#f00', 'ff0000'],
		[' #00Ff00 ', '00ff00'],
		['#0000ffff', '0000ff'],
		['rgb(255, 128, 0)', 'ff8000'],
	])('%s → %s', (input, expected) => {
		expect(normalizeHexColor(input)).toBe(expected);
	});

	it.each(['red', '#12345', '#gggggg', 'rgb(300,0,0)', '#00000080'])('rejects %s', (input) => {
		expect(normalizeHexColor(input)).toBeUndefined();
	});
});
