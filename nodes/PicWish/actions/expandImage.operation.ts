/** Expand Image (`visual/advanced-image-expand`): pad a photo (e.g. to a square) with generated surroundings. */
import type { InputLimits, OperationSpec } from '../engine/spec';
import { numberIn } from '../helpers/fieldChecks';

/** This endpoint's own limits: JPG/PNG only, 5 MB, 64–4096 px, links up to 512 characters. */
const EXPAND_LIMITS: InputLimits = { kinds: ['jpg', 'png'], maxMegabytes: 5, maxSide: 4096, minSide: 64, maxUrlLength: 512 };

const SIDES = [
	['top', 'expandTop', 'Top'],
	['bottom', 'expandBottom', 'Bottom'],
	['left', 'expandLeft', 'Left'],
	['right', 'expandRight', 'Right'],
] as const;

export const spec: OperationSpec = {
	name: 'expandImage',
	path: '/api/tasks/visual/advanced-image-expand',
	modes: 'syncOrAsync',
	input: { fileField: 'image_file', urlField: 'image_url', limits: EXPAND_LIMITS },
	apiReturnTypes: [1, 2],
	fields: [
		{
			displayName: 'Expand By',
			name: 'expandBy',
			type: 'options',
			options: [
				{ name: 'Side Ratios', value: 'sides', description: 'Add a share of the size on each side' },
				{ name: 'Canvas Mask File', value: 'maskBinary', description: 'A mask the size of the photo from a binary property' },
				{ name: 'Canvas Mask URL', value: 'maskUrl', description: 'A public link to such a mask' },
			],
			default: 'sides',
			description: 'How to say where the picture grows',
		},
		...SIDES.map(([, name, label]) => ({
			displayName: `${label} (Ratio)`,
			name,
			type: 'number' as const,
			typeOptions: { minValue: 0.01, maxValue: 1, numberPrecision: 2 },
			default: 0.1,
			description: `How much to add at the ${label.toLowerCase()}, as a share of the photo (more than 0, at most 1)`,
			displayOptions: { show: { expandBy: ['sides'] } },
		})),
		{
			displayName: 'Mask Binary Field',
			name: 'expandMaskBinaryField',
			type: 'string',
			default: 'mask',
			description: 'The binary property holding the canvas mask (same size as the photo)',
			displayOptions: { show: { expandBy: ['maskBinary'] } },
		},
		{
			displayName: 'Mask URL',
			name: 'expandMaskUrl',
			type: 'string',
			default: '',
			description: 'Public http(s) link to the canvas mask',
			displayOptions: { show: { expandBy: ['maskUrl'] } },
		},
	],
	async apiFields(p) {
		const by = p.get('expandBy', 'sides');
		if (by === 'maskBinary') return { mask_file: await p.binaryFile(p.get('expandMaskBinaryField', 'mask'), 'Mask Binary Field', EXPAND_LIMITS) };
		if (by === 'maskUrl') return { mask_url: p.url(p.get('expandMaskUrl', ''), 'Mask URL', 512) };
		return Object.fromEntries(
			SIDES.map(([field, name, label]) => [field, String(numberIn(p, name, `${label} (Ratio)`, { min: 0, max: 1, fallback: 0.1, exclusiveMin: true }))]),
		);
	},
	results: [{ field: 'image', property: 'output', label: 'expanded image' }],
	wantedResults: () => ['image'],
};
