/** Colorize (`visual/colorization`): colours for black-and-white photos. */
import type { OperationSpec } from '../engine/spec';
import { STANDARD_IMAGE_INPUT } from './common.descriptions';

export const spec: OperationSpec = {
	name: 'colorize',
	path: '/api/tasks/visual/colorization',
	modes: 'syncOrAsync',
	input: STANDARD_IMAGE_INPUT,
	apiReturnTypes: [1, 2, 3],
	fields: [
		{
			displayName: 'Format',
			name: 'colorizeFormat',
			type: 'options',
			options: [
				{ name: 'JPG', value: 'jpg' },
				{ name: 'PNG', value: 'png' },
				{ name: 'WEBP', value: 'webp' },
			],
			default: 'jpg',
			description: 'File format of the coloured photo',
		},
	],
	apiFields: (p) => ({ format: p.get('colorizeFormat', 'jpg') }),
	results: [{ field: 'image', property: 'output', label: 'coloured image' }],
	wantedResults: () => ['image'],
};
