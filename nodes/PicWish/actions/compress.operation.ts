/** Compress / Resize (`visual/imgcompress`): meet a marketplace's file-size and pixel rules. */
import type { OperationSpec } from '../engine/spec';
import { numberIn } from '../helpers/fieldChecks';
import { STANDARD_IMAGE_LIMITS } from './common.descriptions';

export const spec: OperationSpec = {
	name: 'compress',
	path: '/api/tasks/visual/imgcompress',
	modes: 'syncOrAsync',
	// Compression prices long edges up to 8000 px (credit page).
	input: { fileField: 'image_file', urlField: 'image_url', limits: { ...STANDARD_IMAGE_LIMITS, maxSide: 8000 } },
	apiReturnTypes: [1, 2],
	fields: [
		{
			displayName: 'Output Format',
			name: 'compressFormat',
			type: 'options',
			options: [
				{ name: 'Same as Input', value: 'keep', description: 'JPG stays JPG, PNG stays PNG; others PicWish picks' },
				{ name: 'JPG', value: 'jpg' },
				{ name: 'PNG', value: 'png' },
				{ name: 'WEBP', value: 'webp' },
			],
			default: 'keep',
			description: 'The compressed file\'s format',
		},
		{
			displayName: 'Compress By',
			name: 'compressBy',
			type: 'options',
			options: [
				{ name: 'Quality', value: 'quality', description: 'A quality from 1 (smallest) to 100 (best)' },
				{ name: 'Target File Size', value: 'size', description: 'At most this many kilobytes (not for PNG)' },
			],
			default: 'quality',
			description: 'How to say how small the file should be',
		},
		{
			displayName: 'Quality',
			name: 'quality',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 80,
			description: 'From 1 (smallest file) to 100 (best picture)',
			displayOptions: { show: { compressBy: ['quality'] } },
		},
		{
			displayName: 'Target Size (KB)',
			name: 'targetKilobytes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 51200 },
			default: 500,
			description: 'The largest file size, in kilobytes (kbyte; up to 51200)',
			displayOptions: { show: { compressBy: ['size'] } },
		},
		{
			displayName: 'Width (Px)',
			name: 'width',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 8000 },
			default: 0,
			description: 'Resize to this width; 0 keeps it (or follows the height proportionally)',
		},
		{
			displayName: 'Height (Px)',
			name: 'height',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 8000 },
			default: 0,
			description: 'Resize to this height; 0 keeps it (or follows the width proportionally)',
		},
	],
	apiFields(p) {
		const format = p.get('compressFormat', 'keep');
		const bySize = p.get('compressBy', 'quality') === 'size';
		if (bySize && format === 'png') {
			p.fail(
				'"Target File Size" does not work with Output Format PNG',
				'PicWish cannot compress a PNG to a target size: choose JPG or WEBP, or Compress By Quality.',
			);
		}
		const side = (name: string, label: string) => numberIn(p, name, label, { min: 0, max: 8000, fallback: 0, integer: true });
		const width = side('width', 'Width (Px)');
		const height = side('height', 'Height (Px)');
		return {
			format: format === 'keep' ? undefined : format,
			quality: bySize ? undefined : String(numberIn(p, 'quality', 'Quality', { min: 1, max: 100, fallback: 80, integer: true })),
			kbyte: bySize ? String(numberIn(p, 'targetKilobytes', 'Target Size (KB)', { min: 1, max: 51200, fallback: 500, integer: true })) : undefined,
			width: width > 0 ? String(width) : undefined,
			height: height > 0 ? String(height) : undefined,
		};
	},
	results: [{ field: 'image', property: 'output', label: 'compressed image' }],
	wantedResults: () => ['image'],
};
