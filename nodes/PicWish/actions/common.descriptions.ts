/** Fields both operations use: how results come back, and the options collection. */
import type { INodeProperties } from 'n8n-workflow';

export const returnTypeField: INodeProperties = {
	displayName: 'Return Type',
	name: 'returnType',
	type: 'options',
	options: [
		{
			name: 'Binary File',
			value: 'binary',
			description: 'The cut-out (and mask) as files in the item, ready for Write File, Google Drive, S3, …',
		},
		{
			name: 'URL',
			value: 'url',
			description: 'Download links from PicWish, valid for one hour',
		},
		{
			name: 'Base64',
			value: 'base64',
			description: 'The pictures as base64 text in the JSON',
		},
	],
	default: 'binary',
	description: 'How the result comes back',
};

export const optionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Mask Output Field',
			name: 'maskBinaryPropertyName',
			type: 'string',
			default: 'mask',
			description: 'Binary property that receives the black-and-white mask',
		},
		{
			displayName: 'Max Requests per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 2,
			description:
				'Your API key\'s QPS limit (2 unless PicWish raised it). Items run in parallel up to this rate, polls included; a "too many requests" answer slows down and retries.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 4,
			description:
				'How often a request is retried after "too many requests" (429), a PicWish server error (5xx) or a network failure, waiting longer each time. Wrong input or key is never retried.',
		},
		{
			displayName: 'Output Field',
			name: 'outputBinaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'Binary property that receives the cut-out image',
		},
		{
			displayName: 'Poll Interval (Ms)',
			name: 'pollIntervalMs',
			type: 'number',
			typeOptions: { minValue: 200 },
			default: 1000,
			description:
				'Async and Get Task: how long to wait between two status checks of a task. The first check waits for the typical processing time (about 1.2 s).',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: 'How long one HTTP request may take before it counts as failed (and is retried)',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description:
				'Async and Get Task: how long to wait for a task to finish before the item fails with a timeout error naming the task ID',
		},
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait until the task is done and return its result (Async and Get Task). Off: return the task (with its ID) at once, and fetch the result later with Get Task.',
		},
	],
};
