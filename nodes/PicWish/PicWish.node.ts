import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { properties, subtitle } from './actions/properties';
import { router } from './actions/router';

export class PicWish implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PicWish',
		name: 'picWish',
		icon: { light: 'file:../../icons/picwish.svg', dark: 'file:../../icons/picwish.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle,
		description:
			'PicWish image tools for product photos, from a file or a public URL: remove or generate backgrounds, enhance, compress, remove watermarks or objects, expand, ID photos, OCR',
		defaults: { name: 'PicWish' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'picWishApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
