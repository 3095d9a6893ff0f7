/**
 * Clothing Segmentation (`visual/clothing-segmentation`): masks of the garments in a fashion photo.
 * Class masks (`class_masks`, one per part) become binaries `mask_<part>`; all sub-masks as a ZIP
 * (`clothes_masks`) the output binary.
 */
import type { OperationSpec } from '../engine/spec';
import { STANDARD_IMAGE_INPUT } from './common.descriptions';

const OUTPUT_CODES: Record<string, string> = { classMasks: '1', zip: '2', both: '3' };

export const spec: OperationSpec = {
	name: 'clothingSegmentation',
	path: '/api/tasks/visual/clothing-segmentation',
	modes: 'syncOrAsync',
	input: STANDARD_IMAGE_INPUT,
	fields: [
		{
			displayName: 'Output',
			name: 'clothingOutput',
			type: 'options',
			options: [
				{ name: 'A Mask per Part', value: 'classMasks', description: 'Grey masks per class: tops, bottoms, dress, …' },
				{ name: 'All Masks as ZIP', value: 'zip', description: 'Every sub-mask in one ZIP file' },
				{ name: 'Both', value: 'both' },
			],
			default: 'classMasks',
			description: 'Which masks to return (output_type)',
		},
		{
			displayName: 'Parts',
			name: 'classType',
			type: 'options',
			options: [
				{ name: 'Clothing', value: '1', description: 'Clothes, tops, bottoms, dress, accessories' },
				{ name: 'Fashion', value: '2', description: 'Also bags and shoes' },
			],
			default: '1',
			description: 'Which parts to tell apart (class_type)',
		},
		{
			displayName: 'Detail',
			name: 'detailMode',
			type: 'options',
			options: [
				{ name: 'Fine', value: '1' },
				{ name: 'Ultra Fine', value: '2' },
			],
			default: '1',
			description: 'How fine the masks are (detail_mode)',
		},
		{
			displayName: 'Precision',
			name: 'segmentationQuality',
			type: 'options',
			options: [
				{ name: 'Normal', value: '1' },
				{ name: 'High', value: '2' },
			],
			default: '1',
			description: 'Edge precision (quality)',
		},
	],
	apiFields: (p) => ({
		output_type: OUTPUT_CODES[p.get('clothingOutput', 'classMasks')] ?? '1',
		class_type: p.get('classType', '1'),
		detail_mode: p.get('detailMode', '1'),
		quality: p.get('segmentationQuality', '1'),
	}),
	results: [
		{ field: 'class_masks', property: 'mask', label: 'part masks' },
		{ field: 'clothes_masks', property: 'output', label: 'ZIP of masks', kind: 'archive' },
	],
	wantedResults(p) {
		const output = p.get('clothingOutput', 'classMasks');
		if (output === 'zip') return ['clothes_masks'];
		return output === 'both' ? ['class_masks', 'clothes_masks'] : ['class_masks'];
	},
	wantedFromTask(data) {
		const output = Number(data.output_type);
		if (output === 2) return ['clothes_masks'];
		if (output === 3) return ['class_masks', 'clothes_masks'];
		return output === 1 ? ['class_masks'] : [];
	},
};
