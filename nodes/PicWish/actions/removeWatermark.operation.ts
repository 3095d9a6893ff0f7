/** Remove Watermark (`visual/external/watermark-remove`): note its own field names `file`/`url` and result `file`. */
import type { OperationSpec } from '../engine/spec';
import { STANDARD_IMAGE_LIMITS } from './common.descriptions';

export const spec: OperationSpec = {
	name: 'removeWatermark',
	path: '/api/tasks/visual/external/watermark-remove',
	modes: 'syncOrAsync',
	input: { fileField: 'file', urlField: 'url', limits: STANDARD_IMAGE_LIMITS },
	fields: [],
	apiFields: () => ({}),
	results: [{ field: 'file', property: 'output', label: 'cleaned image' }],
	wantedResults: () => ['file'],
};
