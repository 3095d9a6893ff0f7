/** The trigger's form: the secret, which endpoint's tasks it reads, and how results come back. */
import type { INodeProperties } from 'n8n-workflow';

import { operationLabel } from '../PicWish/actions/properties';
import { optionsField, returnTypeField } from '../PicWish/actions/common.descriptions';
import { OPERATIONS } from '../PicWish/actions/operations';
import { MIN_SECRET_LENGTH } from './webhook/secret';

/** The action node's options that make sense for a callback: output fields and the API client's limits. */
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
		options: (optionsField.options ?? []).filter((option) => TRIGGER_OPTIONS.includes(option.name)),
	},
];
