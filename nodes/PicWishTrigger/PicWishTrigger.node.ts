import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { triggerProperties } from './description';
import { handleCallback } from './webhook/handler';
import { secretProblem } from './webhook/secret';

export class PicWishTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PicWish Trigger',
		name: 'picWishTrigger',
		icon: { light: 'file:../../icons/picwish.svg', dark: 'file:../../icons/picwish.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "tasks of " + $parameter["taskType"] }}',
		description: 'Starts the workflow when a PicWish task created with a Callback URL is done, with its result',
		defaults: { name: 'PicWish Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Succeeded', 'Failed'],
		credentials: [{ name: 'picWishApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'picwish' },
			// Query-only callbacks (…/picwish?secret=…&task_id=…) work too.
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: 'picwish' },
		],
		properties: triggerProperties,
	};

	/**
	 * Nothing is registered at PicWish (the URL travels with each task), so the lifecycle only checks
	 * that the Secret is usable before the workflow goes live.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const problem = secretProblem(String(this.getNodeParameter('secret', '') ?? ''));
				if (problem) {
					throw new NodeOperationError(this.getNode(), problem, {
						description: 'Set the PicWish Trigger\'s Secret to a long random text of letters and digits, and use the same in the Callback URL.',
					});
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleCallback.call(this);
	}
}
