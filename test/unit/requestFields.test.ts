import { spec as removeBackground } from '../../nodes/PicWish/actions/removeBackground.operation';
import { chooseApiReturnType } from '../../nodes/PicWish/engine/task';
import { normalizeHexColor } from '../../nodes/PicWish/helpers/colors';
import { fakeParams } from '../support/params';

const defaults = { segmentationType: 'auto', outputType: 'image', crop: false, format: 'png', backgroundColor: '#FFFFFF' };

async function fields(values: Record<string, unknown> = {}) {
	const all = await removeBackground.apiFields(fakeParams({ ...defaults, ...values }));
	return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

describe('Remove Background fields become the API multipart fields', () => {
	it('sends the defaults the way the API documents them, leaving "type" out for auto', async () => {
		expect(await fields()).toEqual({ output_type: '2', crop: '0', format: 'png' });
	});

	it.each([
		['person', 'person'],
		['object', 'object'],
		['stamp', 'stamp'],
	] as const)('segmentation type %s is sent as type=%s', async (segmentationType, type) => {
		expect((await fields({ segmentationType })).type).toBe(type);
	});

	it.each([
		['image', '2', ['image']],
		['mask', '3', ['mask']],
		['imageAndMask', '1', ['image', 'mask']],
	] as const)('output %s is output_type=%s and asks for %j', async (outputType, code, wanted) => {
		expect((await fields({ outputType })).output_type).toBe(code);
		expect(removeBackground.wantedResults(fakeParams({ outputType }))).toEqual(wanted);
	});

	it('maps crop and jpg with a colour', async () => {
		expect(await fields({ crop: true, format: 'jpg', backgroundColor: '#FF0000' })).toMatchObject({ crop: '1', format: 'jpg', bg_color: 'ff0000' });
	});

	it('never sends bg_color with png', async () => {
		expect((await fields({ backgroundColor: '#ff0000' })).bg_color).toBeUndefined();
	});

	it('stops on a colour that is not one, naming the field', async () => {
		await expect(fields({ format: 'jpg', backgroundColor: 'sky blue' })).rejects.toThrow(/"Background Color" is not a colour/);
	});

	it('reads what a finished task of Get Task should hold from its output_type', () => {
		expect(removeBackground.wantedFromTask?.({ output_type: 1 })).toEqual(['image', 'mask']);
		expect(removeBackground.wantedFromTask?.({ output_type: 3 })).toEqual(['mask']);
		expect(removeBackground.wantedFromTask?.({})).toEqual([]);
	});
});

describe('the cheapest API return type for what the user asked', () => {
	const segmentation = { apiReturnTypes: [1, 2, 3] };
	it.each([
		['binary', ['image'], true, 3],
		['binary', ['mask'], true, 3],
		['binary', ['image', 'mask'], true, 2],
		['binary', ['image'], false, 2],
		['url', ['image'], true, 1],
		['url', ['image', 'mask'], false, 1],
		['base64', ['image'], true, 2],
	] as const)('%s / %j / sync %s → return_type %d', (returnType, wanted, sync, expected) => {
		expect(chooseApiReturnType(segmentation, returnType, [...wanted], sync)).toBe(expected);
	});

	it('uses base64 where the endpoint has no byte stream, links where it has neither', () => {
		expect(chooseApiReturnType({ apiReturnTypes: [1, 2] }, 'binary', ['image'], true)).toBe(2);
		expect(chooseApiReturnType({ apiReturnTypes: [1] }, 'binary', ['image'], true)).toBe(1);
		expect(chooseApiReturnType({}, 'binary', ['file'], true)).toBeUndefined();
	});

	it('never streams several pictures', () => {
		expect(chooseApiReturnType({ apiReturnTypes: [1, 2, 3], itemPerResult: true }, 'binary', ['image'], true)).toBe(2);
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
