import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsField, returnTypeField } from './actions/common.descriptions';
import * as getTask from './actions/getTask.operation';
import * as removeBackground from './actions/removeBackground.operation';
import { router } from './actions/router';

export class PicWish implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PicWish',
		name: 'picWish',
		icon: { light: 'file:../../icons/picwish.svg', dark: 'file:../../icons/picwish.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "getTask" ? "Get task" : "Remove background" }}',
		description:
			'Remove the background of an image (file or public URL) with PicWish: returns a transparent PNG cut-out, a mask or a JPG on a solid colour',
		defaults: { name: 'PicWish' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'picWishApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Remove Background',
						value: 'removeBackground',
						description: 'Cut the subject out of a photo (file or URL)',
						action: 'Remove the background of an image',
					},
					{
						name: 'Get Task',
						value: 'getTask',
						description: 'Fetch an async task and its result by task ID',
						action: 'Get a background removal task',
					},
				],
				default: 'removeBackground',
			},
			...removeBackground.description,
			...getTask.description,
			returnTypeField,
			optionsField,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
