/** Enhance / Upscale (`visual/scale`): sharper, larger photos (e.g. a supplier's small product shots). */
import type { OperationSpec } from '../engine/spec';
import { STANDARD_IMAGE_INPUT } from './common.descriptions';

export const spec: OperationSpec = {
	name: 'enhance',
	path: '/api/tasks/visual/scale',
	modes: 'syncOrAsync',
	input: STANDARD_IMAGE_INPUT,
	apiReturnTypes: [1, 2, 3],
	fields: [
		{
			displayName: 'Enhance For',
			name: 'enhanceType',
			type: 'options',
			options: [
				{ name: 'Products and Scenes', value: 'clean', description: 'Everything that is not a portrait (type clean)' },
				{ name: 'Faces', value: 'face', description: 'Portraits, up to 10 faces (type face)' },
			],
			default: 'clean',
			description: 'What the photo shows',
		},
		{
			displayName: 'Scale Factor',
			name: 'scaleFactor',
			type: 'options',
			options: [
				{
					name: 'Auto',
					value: 'auto',
					description: 'By the short side: up to 512 px ×4, up to 1024 px ×2, larger ×1',
				},
				{ name: '1× (Same Size, Sharper)', value: '1' },
				{ name: '2×', value: '2' },
				{ name: '4×', value: '4' },
			],
			default: 'auto',
			description: 'How much larger the result is',
		},
	],
	apiFields: (p) => {
		const scaleFactor = p.get('scaleFactor', 'auto');
		return { type: p.get('enhanceType', 'clean'), scale_factor: scaleFactor === 'auto' ? undefined : scaleFactor };
	},
	results: [{ field: 'image', property: 'output', label: 'enhanced image' }],
	wantedResults: () => ['image'],
};
