/** Remove Background (`visual/segmentation`): a cut-out, a mask, or a JPG on a solid colour. */
import { readColor } from '../helpers/colors';
import type { OperationSpec } from '../engine/spec';
import { STANDARD_IMAGE_INPUT } from './common.descriptions';

/** API `output_type`: 1 image and mask, 2 image, 3 mask. */
const OUTPUT_TYPE_CODES: Record<string, number> = { imageAndMask: 1, image: 2, mask: 3 };

export const spec: OperationSpec = {
	name: 'removeBackground',
	path: '/api/tasks/visual/segmentation',
	modes: 'syncOrAsync',
	input: STANDARD_IMAGE_INPUT,
	apiReturnTypes: [1, 2, 3],
	fields: [
		{
			displayName: 'Segmentation Type',
			name: 'segmentationType',
			type: 'options',
			options: [
				{ name: 'Auto', value: 'auto', description: 'PicWish decides what the subject is' },
				{ name: 'Person', value: 'person', description: 'Cut out people (portraits, models)' },
				{ name: 'Object', value: 'object', description: 'Cut out products and other objects' },
				{ name: 'Stamp', value: 'stamp', description: 'Cut out a seal or stamp' },
			],
			default: 'auto',
			description: 'What kind of subject to keep',
		},
		{
			displayName: 'Output',
			name: 'outputType',
			type: 'options',
			options: [
				{ name: 'Cut-Out Image', value: 'image', description: 'The subject without its background' },
				{ name: 'Mask', value: 'mask', description: 'A black-and-white mask: white is the subject' },
				{ name: 'Image and Mask', value: 'imageAndMask', description: 'Both, as two binary properties' },
			],
			default: 'image',
			description: 'Which pictures to return',
		},
		{
			displayName: 'Crop to Subject',
			name: 'crop',
			type: 'boolean',
			default: false,
			description: 'Whether to crop the result to the edges of the subject instead of keeping the original size',
		},
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: [
				{ name: 'PNG (Transparent)', value: 'png', description: 'Transparent background' },
				{
					name: 'JPG (Solid Background)',
					value: 'jpg',
					description: 'No transparency: the subject on a solid colour, white unless you pick one (marketplace style)',
				},
			],
			default: 'png',
			description: 'File format of the cut-out image',
		},
		{
			displayName: 'Background Color',
			name: 'backgroundColor',
			type: 'color',
			default: '#FFFFFF',
			description: 'Colour behind the subject in the JPG, e.g. #FFFFFF for white',
			displayOptions: { show: { format: ['jpg'] } },
		},
	],
	apiFields(p) {
		const segmentationType = p.get('segmentationType', 'auto');
		const format = p.get('format', 'png');
		return {
			// "auto" is the API's default and is expressed by leaving the field out.
			type: segmentationType === 'auto' ? undefined : segmentationType,
			output_type: String(OUTPUT_TYPE_CODES[p.get('outputType', 'image')] ?? 2),
			crop: p.get('crop', false) ? '1' : '0',
			format,
			bg_color: format === 'jpg' ? readColor(p, 'backgroundColor', 'Background Color') : undefined,
		};
	},
	results: [
		{ field: 'image', property: 'output', label: 'cut-out image' },
		{ field: 'mask', property: 'mask', suffix: '-mask', label: 'mask' },
	],
	wantedResults(p) {
		const outputType = p.get('outputType', 'image');
		if (outputType === 'mask') return ['mask'];
		return outputType === 'imageAndMask' ? ['image', 'mask'] : ['image'];
	},
	describeStreamed: (p) => ({ output_type: OUTPUT_TYPE_CODES[p.get('outputType', 'image')] ?? 2 }),
	wantedFromTask(data) {
		const outputType = Number(data.output_type);
		if (outputType === 1) return ['image', 'mask'];
		if (outputType === 3) return ['mask'];
		return outputType === 2 ? ['image'] : [];
	},
};
