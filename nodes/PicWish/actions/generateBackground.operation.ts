/**
 * Generate Background (`visual/background`, async only): the product (a transparent cut-out, e.g. from
 * Remove Background) on a scene PicWish generates from a prompt or a scene template. Each generated
 * picture becomes its own output item (paired with the input), so the next nodes — Enhance, Compress,
 * Write Files — handle every variant like any other photo.
 */
import type { OperationSpec } from '../engine/spec';
import { numberIn, textUpTo } from '../helpers/fieldChecks';
import { STANDARD_IMAGE_INPUT } from './common.descriptions';

export const spec: OperationSpec = {
	name: 'generateBackground',
	path: '/api/tasks/visual/background',
	modes: 'asyncOnly',
	input: STANDARD_IMAGE_INPUT,
	itemPerResult: true,
	defaultTimeoutSeconds: 120,
	fields: [
		{
			displayName: 'Describe the Scene With',
			name: 'backgroundSource',
			type: 'options',
			options: [
				{ name: 'Prompt', value: 'prompt', description: 'Describe the scene in words (English works best)' },
				{ name: 'Scene Template', value: 'sceneType', description: 'A PicWish scene template ID' },
			],
			default: 'prompt',
			description: 'How to tell PicWish what the new background should be',
		},
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			required: true,
			placeholder: 'on a marble table in soft morning light, minimalist studio',
			description: 'The scene behind the product, at most 1024 characters',
			displayOptions: { show: { backgroundSource: ['prompt'] } },
		},
		{
			displayName: 'Scene Template ID',
			name: 'sceneType',
			type: 'number',
			default: 1,
			description: 'The ID of a PicWish scene template (scene_type)',
			displayOptions: { show: { backgroundSource: ['sceneType'] } },
		},
		{
			displayName: 'Negative Prompt',
			name: 'negativePrompt',
			type: 'string',
			default: '',
			placeholder: 'people, text, watermark',
			description: 'What the scene must not contain',
		},
		{
			displayName: 'Pictures per Photo',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 4 },
			default: 2,
			description:
				'How many scenes to generate for each photo (batch_size; 1 or 2 documented, the credit page prices up to 4). Each becomes its own output item.',
		},
	],
	apiFields(p) {
		const source = p.get('backgroundSource', 'prompt');
		return {
			batch_size: String(numberIn(p, 'batchSize', 'Pictures per Photo', { min: 1, max: 4, fallback: 2, integer: true })),
			prompt: source === 'prompt' ? textUpTo(p, 'prompt', 'Prompt', 1024, true) : undefined,
			scene_type:
				source === 'sceneType'
					? String(numberIn(p, 'sceneType', 'Scene Template ID', { min: 0, max: 1_000_000, fallback: 1, integer: true }))
					: undefined,
			negative_prompt: textUpTo(p, 'negativePrompt', 'Negative Prompt', 1024),
		};
	},
	results: [{ field: 'image', property: 'output', label: 'generated picture' }],
	wantedResults: () => ['image'],
};
