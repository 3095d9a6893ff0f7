/** Remove Objects (`visual/inpaint`): erase stickers, price tags or props, given a mask or rectangles. */
import type { OperationSpec, Params } from '../engine/spec';
import { STANDARD_IMAGE_INPUT, STANDARD_IMAGE_LIMITS } from './common.descriptions';

const MAX_RECTANGLES = 50;

/** The rectangles field → the API's JSON string, checked: a list of ≤ 50 {x, y, width, height}. */
function rectanglesOf(p: Params): string {
	const raw = p.get<unknown>('rectangles', '');
	let list: unknown = raw;
	if (typeof raw === 'string') {
		try {
			list = JSON.parse(raw || '[]');
		} catch {
			p.fail('The field "Rectangles" is not valid JSON', 'Write a list like [{"x": 10, "y": 20, "width": 100, "height": 50}].');
		}
	}
	const valid =
		Array.isArray(list) &&
		list.every(
			(box) =>
				box !== null &&
				typeof box === 'object' &&
				['x', 'y', 'width', 'height'].every((key) => Number.isFinite(Number((box as Record<string, unknown>)[key])) && Number((box as Record<string, unknown>)[key]) >= 0),
		);
	if (!valid || !Array.isArray(list) || list.length === 0 || list.length > MAX_RECTANGLES) {
		p.fail(
			`The field "Rectangles" must list 1 to ${MAX_RECTANGLES} areas as {x, y, width, height} in pixels`,
			'Write a list like [{"x": 10, "y": 20, "width": 100, "height": 50}]: x and y are the top-left corner.',
		);
	}
	return JSON.stringify(
		(list as Array<Record<string, unknown>>).map(({ x, y, width, height }) => ({ x: Number(x), y: Number(y), width: Number(width), height: Number(height) })),
	);
}

export const spec: OperationSpec = {
	name: 'removeObjects',
	path: '/api/tasks/visual/inpaint',
	modes: 'syncOrAsync',
	input: STANDARD_IMAGE_INPUT,
	apiReturnTypes: [1, 2],
	fields: [
		{
			displayName: 'Area to Remove',
			name: 'removalArea',
			type: 'options',
			options: [
				{ name: 'Rectangles', value: 'rectangles', description: 'Up to 50 boxes in pixels' },
				{ name: 'Mask File', value: 'maskBinary', description: 'A black-and-white mask (white = remove) from a binary property' },
				{ name: 'Mask URL', value: 'maskUrl', description: 'A public link to such a mask' },
			],
			default: 'rectangles',
			description: 'Where the objects to erase are',
		},
		{
			displayName: 'Rectangles',
			name: 'rectangles',
			type: 'json',
			default: '[{"x": 0, "y": 0, "width": 100, "height": 100}]',
			description: 'A list of up to 50 areas {x, y, width, height} in pixels (x, y: top-left corner)',
			displayOptions: { show: { removalArea: ['rectangles'] } },
		},
		{
			displayName: 'Mask Binary Field',
			name: 'maskBinaryField',
			type: 'string',
			default: 'mask',
			description: 'The binary property holding the mask (same size as the photo)',
			displayOptions: { show: { removalArea: ['maskBinary'] } },
		},
		{
			displayName: 'Mask URL',
			name: 'maskUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/mask.png',
			description: 'Public http(s) link to the mask',
			displayOptions: { show: { removalArea: ['maskUrl'] } },
		},
	],
	async apiFields(p) {
		const area = p.get('removalArea', 'rectangles');
		if (area === 'maskBinary') return { mask_file: await p.binaryFile(p.get('maskBinaryField', 'mask'), 'Mask Binary Field', STANDARD_IMAGE_LIMITS) };
		if (area === 'maskUrl') return { mask_url: p.url(p.get('maskUrl', ''), 'Mask URL') };
		return { rectangles: rectanglesOf(p) };
	},
	results: [{ field: 'image', property: 'output', label: 'cleaned image' }],
	wantedResults: () => ['image'],
};
