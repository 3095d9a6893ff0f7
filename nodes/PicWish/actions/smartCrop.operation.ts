/** Smart Crop & Correction (`visual/correction`): crop and straighten products or documents. */
import type { OperationSpec } from '../engine/spec';
import { STANDARD_IMAGE_INPUT } from './common.descriptions';

export const spec: OperationSpec = {
	name: 'smartCrop',
	path: '/api/tasks/visual/correction',
	modes: 'syncOrAsync',
	input: STANDARD_IMAGE_INPUT,
	apiReturnTypes: [1, 2, 3],
	fields: [
		{
			displayName: 'Correction',
			name: 'correctionType',
			type: 'options',
			options: [
				{ name: 'Product: Crop and Straighten', value: '3' },
				{ name: 'Product: Crop, Straighten and Remove Background', value: '4' },
				{ name: 'Document: Crop and Straighten', value: '0' },
				{ name: 'Document: Enhance Text', value: '1', description: 'PicWish\'s own default' },
				{ name: 'Document: Both', value: '2' },
			],
			default: '3',
			description: 'What to correct (type)',
		},
	],
	apiFields: (p) => ({ type: p.get('correctionType', '3') }),
	results: [{ field: 'image', property: 'output', label: 'corrected image' }],
	wantedResults: () => ['image'],
};
