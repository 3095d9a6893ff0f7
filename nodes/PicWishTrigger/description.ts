/** The trigger's form: the secret, which endpoint's tasks it reads, and how results come back. */
import type { INodeProperties } from 'n8n-workflow';

import { operationLabel } from '../PicWish/actions/properties';
import { optionsField, returnTypeField } from '../PicWish/actions/common.descriptions';
import { OPERATIONS } from '../PicWish/actions/operations';
import { MIN_SECRET_LENGTH } from './webhook/secret';

/** The action node's options that make sense for a callback: output fields and the API client's limits (and one of its own). */
const TRIGGER_OPTIONS = ['outputBinaryPropertyName', 'maskBinaryPropertyName', 'maxRequestsPerSecond', 'maxRetries', 'requestTimeoutSeconds'];

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'In the PicWish node, set Options → Callback URL to this node\'s Production URL followed by <code>?secret=</code> and the Secret below. Publish (activate) this workflow first.',
		name: 'callbackNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: 'e.g. 3f9c2a7d81b64e0f9a5c7e21d4b8f603',
		description: `A long random text (at least ${MIN_SECRET_LENGTH} letters and digits, e.g. from a password manager). Calls whose URL does not carry it as ?secret=… are refused with 401/403 and start no run.`,
	},
	{
		displayName: 'Task Made By',
		name: 'taskType',
		type: 'options',
		options: OPERATIONS.map((operation) => ({ name: operationLabel(operation.name), value: operation.name })),
		default: 'removeBackground',
		description: 'The PicWish operation whose tasks call this URL: each PicWish tool keeps its own tasks',
	},
	returnTypeField,
	{
		...optionsField,
		options: [
			...(optionsField.options ?? []).filter((option) => TRIGGER_OPTIONS.includes(option.name)),
			{
				displayName: 'Use Result Sent With Callback',
				name: 'useCallbackResult',
				type: 'boolean',
				default: false,
				description:
					'Whether to take a finished task\'s result from the callback itself instead of reading the task from PicWish: saves one API request per image (about 1 instead of 2 with the create). Only a call carrying the Secret is read; PicWish does not document what it sends, so a call that is not a complete answer for a finished or failed task is read from PicWish as without this option. Results are still downloaded without your API key.',
			},
		],
	},
];
