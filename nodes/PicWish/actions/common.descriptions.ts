/** Fields every operation shares: where the file comes from, how results come back, the options. */
import type { INodeProperties } from 'n8n-workflow';

import type { InputLimits, InputSpec } from '../engine/spec';

/** Most image endpoints: JPG, PNG, WEBP, BMP, TIFF (no GIF), 15 MB, 4096×4096 px (vendor document). */
export const STANDARD_IMAGE_LIMITS: InputLimits = {
	kinds: ['jpg', 'png', 'webp', 'bmp', 'tiff'],
	maxMegabytes: 15,
	maxSide: 4096,
};

export const STANDARD_IMAGE_INPUT: InputSpec = {
	fileField: 'image_file',
	urlField: 'image_url',
	limits: STANDARD_IMAGE_LIMITS,
};

/** Input Source, Input Binary Field and Image URL, shown for the operations that create tasks. */
export function inputFields(operations: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Input Source',
			name: 'inputSource',
			type: 'options',
			options: [
				{
					name: 'Binary File',
					value: 'binary',
					description: 'A file from an earlier node (Read Files, HTTP Request, Google Drive, …)',
				},
				{
					name: 'Image URL',
					value: 'url',
					description: 'A public link to the file; PicWish downloads it itself',
				},
			],
			default: 'binary',
			description: 'Where the photo comes from',
			displayOptions: { show: { operation: operations } },
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the binary property that holds the image',
			description: 'JPG, PNG, WEBP, BMP or TIFF; at most 15 MB and 4096×4096 px for most operations',
			displayOptions: { show: { operation: operations, inputSource: ['binary'] } },
		},
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://shop.example.com/images/product-123.jpg',
			description: 'Public http(s) address of the image (at most 15 MB for most operations)',
			displayOptions: { show: { operation: operations, inputSource: ['url'] } },
		},
	];
}

/** Sync or async, for the operations whose endpoint offers both. */
export function processingModeField(operations: string[]): INodeProperties {
	return {
		displayName: 'Processing Mode',
		name: 'processingMode',
		type: 'options',
		options: [
			{
				name: 'Sync',
				value: 'sync',
				description: 'One request returns the finished result (fastest for most images)',
			},
			{
				name: 'Async',
				value: 'async',
				description:
					'Create a task, then check it until it is done; can return the task ID at once. PicWish may need to enable async for your account.',
			},
		],
		default: 'sync',
		description: 'Whether to wait for the result in one request or to create a task and poll it',
		displayOptions: { show: { operation: operations } },
	};
}

export const returnTypeField: INodeProperties = {
	displayName: 'Return Type',
	name: 'returnType',
	type: 'options',
	options: [
		{
			name: 'Binary File',
			value: 'binary',
			description: 'The results as files in the item, ready for Write File, Google Drive, S3, …',
		},
		{
			name: 'URL',
			value: 'url',
			description: 'Download links from PicWish, valid for one hour',
		},
		{
			name: 'Base64',
			value: 'base64',
			description: 'The results as base64 text in the JSON',
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
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			placeholder: 'https://n8n.example.com/webhook/…/picwish',
			description:
				'PicWish calls this URL when each task is done (sent as callback_url). The node then returns the created tasks at once, without waiting. Paste the Production URL of a PicWish Trigger node here.',
		},
		{
			displayName: 'Mask Output Field',
			name: 'maskBinaryPropertyName',
			type: 'string',
			default: 'mask',
			description: 'Binary property that receives masks (Remove Background, Clothing Segmentation)',
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
			description: 'Binary property that receives the result (the cut-out, the enhanced photo, the document, …)',
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
				'Async and Get Task: how long to wait for a task to finish before the item fails with a timeout error naming the task ID. Default 60 (120 for Generate Background and Extract Text).',
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
