/** Advanced Enhance (`visual/scale-pro`): PicWish's strongest enhancer; accepts files up to 30 MB. */
import type { OperationSpec } from '../engine/spec';
import { STANDARD_IMAGE_LIMITS } from './common.descriptions';

export const spec: OperationSpec = {
	name: 'advancedEnhance',
	path: '/api/tasks/visual/scale-pro',
	modes: 'syncOrAsync',
	input: {
		fileField: 'image_file',
		urlField: 'image_url',
		limits: { ...STANDARD_IMAGE_LIMITS, maxMegabytes: 30, maxUrlLength: 512 },
	},
	apiReturnTypes: [1, 2],
	fields: [
		{
			displayName: 'Quality',
			name: 'enhanceQuality',
			type: 'options',
			options: [
				{ name: 'Ultra HD', value: '0', description: 'The finest result (5 credits)' },
				{ name: 'HD', value: '1', description: 'A little less detail (4 credits)' },
			],
			default: '0',
			description: 'How far to go (type)',
		},
	],
	apiFields: (p) => ({ type: p.get('enhanceQuality', '0') }),
	results: [{ field: 'image', property: 'output', label: 'enhanced image' }],
	wantedResults: () => ['image'],
};
