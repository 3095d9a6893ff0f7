/** The fields of Remove Background: where the picture comes from and every API parameter. */
import type { INodeProperties } from 'n8n-workflow';

const show = { show: { operation: ['removeBackground'] } };

export const removeBackgroundFields: INodeProperties[] = [
	{
		displayName: 'Input Source',
		name: 'inputSource',
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'An image file from an earlier node (Read Files, HTTP Request, Google Drive, …)',
			},
			{
				name: 'Image URL',
				value: 'url',
				description: 'A public link to the image; PicWish downloads it itself',
			},
		],
		default: 'binary',
		description: 'Where the photo comes from',
		displayOptions: show,
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the binary property that holds the image',
		description: 'JPG, PNG, WEBP, BMP or TIFF; at most 15 MB and 4096×4096 px',
		displayOptions: { show: { operation: ['removeBackground'], inputSource: ['binary'] } },
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://shop.example.com/images/product-123.jpg',
		description: 'Public http(s) address of the image (at most 15 MB)',
		displayOptions: { show: { operation: ['removeBackground'], inputSource: ['url'] } },
	},
	{
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
		displayOptions: show,
	},
	{
		displayName: 'Segmentation Type',
		name: 'segmentationType',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto', description: 'PicWish decides what the subject is' },
			{ name: 'Person', value: 'person', description: 'Cut out people (portraits, models)' },
			{ name: 'Object', value: 'object', description: 'Cut out products and other objects' },
			{ name: 'Stamp', value: 'stamp', description: 'Cut out a seal or stamp' },
		],
		default: 'auto',
		description: 'What kind of subject to keep',
		displayOptions: show,
	},
	{
		displayName: 'Output',
		name: 'outputType',
		type: 'options',
		options: [
			{ name: 'Cut-Out Image', value: 'image', description: 'The subject without its background' },
			{ name: 'Mask', value: 'mask', description: 'A black-and-white mask: white is the subject' },
			{ name: 'Image and Mask', value: 'imageAndMask', description: 'Both, as two binary properties' },
		],
		default: 'image',
		description: 'Which pictures to return',
		displayOptions: show,
	},
	{
		displayName: 'Crop to Subject',
		name: 'crop',
		type: 'boolean',
		default: false,
		description: 'Whether to crop the result to the edges of the subject instead of keeping the original size',
		displayOptions: show,
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'PNG (Transparent)', value: 'png', description: 'Transparent background' },
			{
				name: 'JPG (Solid Background)',
				value: 'jpg',
				description: 'No transparency: the subject on a solid colour, white unless you pick one (marketplace style)',
			},
		],
		default: 'png',
		description: 'File format of the cut-out image',
		displayOptions: show,
	},
	{
		displayName: 'Background Color',
		name: 'backgroundColor',
		type: 'color',
		default: '#FFFFFF',
		description: 'Colour behind the subject in the JPG, e.g. #FFFFFF for white',
		displayOptions: { show: { operation: ['removeBackground'], format: ['jpg'] } },
	},
];
