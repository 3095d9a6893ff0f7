/** Face Cut-Out (`visual/self-face-cutout`): the head cut out on a transparent (or white) background. */
import type { OperationSpec } from '../engine/spec';
import { STANDARD_IMAGE_INPUT } from './common.descriptions';

export const spec: OperationSpec = {
	name: 'faceCutout',
	path: '/api/tasks/visual/self-face-cutout',
	modes: 'syncOrAsync',
	input: STANDARD_IMAGE_INPUT,
	fields: [
		{
			displayName: 'Crop to Face',
			name: 'faceCrop',
			type: 'boolean',
			default: false,
			description: 'Whether to crop the result to the face instead of keeping the original size',
		},
		{
			displayName: 'Format',
			name: 'faceFormat',
			type: 'options',
			options: [
				{ name: 'PNG (Transparent)', value: 'png' },
				{ name: 'JPG', value: 'jpg' },
			],
			default: 'png',
			description: 'File format of the result (output_format)',
		},
	],
	apiFields: (p) => ({ crop: p.get('faceCrop', false) ? '1' : '0', output_format: p.get('faceFormat', 'png') }),
	results: [{ field: 'image', property: 'output', label: 'face cut-out' }],
	wantedResults: () => ['image'],
};
