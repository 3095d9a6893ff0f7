/** ID Photo (`visual/idphoto`): a passport-style photo of a given size on a solid or transparent background. */
import type { OperationSpec } from '../engine/spec';
import { readColor } from '../helpers/colors';
import { STANDARD_IMAGE_INPUT } from './common.descriptions';

export const spec: OperationSpec = {
	name: 'idPhoto',
	path: '/api/tasks/visual/idphoto',
	modes: 'syncOrAsync',
	input: STANDARD_IMAGE_INPUT,
	apiReturnTypes: [1, 2],
	fields: [
		{
			displayName: 'Size (Px)',
			name: 'idPhotoSize',
			type: 'string',
			default: '',
			placeholder: '295x413',
			description: 'Width x height in pixels, each 100–2000 (e.g. 295x413); empty keeps the photo\'s size',
		},
		{
			displayName: 'Format',
			name: 'idPhotoFormat',
			type: 'options',
			options: [
				{ name: 'PNG (Transparent)', value: 'png' },
				{ name: 'JPG (Solid Background)', value: 'jpg' },
			],
			default: 'jpg',
			description: 'Transparent PNG, or a JPG on a solid colour',
		},
		{
			displayName: 'Background Color',
			name: 'idPhotoBackground',
			type: 'color',
			default: '#FFFFFF',
			description: 'The JPG\'s background, e.g. #FFFFFF white or #438EDB blue',
			displayOptions: { show: { idPhotoFormat: ['jpg'] } },
		},
	],
	apiFields(p) {
		const size = String(p.get('idPhotoSize', '')).trim().toLowerCase().replace(/\s+/g, '').replace('×', 'x');
		if (size) {
			const match = /^(\d+)x(\d+)$/.exec(size);
			if (!match || [match[1], match[2]].some((side) => Number(side) < 100 || Number(side) > 2000)) {
				p.fail(
					`The field "Size (Px)" must be width x height with each side from 100 to 2000, not "${size.slice(0, 40)}"`,
					'Write it like 295x413 (a lowercase x between the numbers), or leave it empty to keep the photo\'s size.',
				);
			}
		}
		const format = p.get('idPhotoFormat', 'jpg');
		return {
			size: size || undefined,
			format,
			bg_color: format === 'jpg' ? readColor(p, 'idPhotoBackground', 'Background Color')?.toUpperCase() : undefined,
		};
	},
	results: [{ field: 'image', property: 'output', label: 'ID photo' }],
	wantedResults: () => ['image'],
};
