/** The node's form: the operation list, each operation's fields, and the fields they share. */
import type { INodeProperties } from 'n8n-workflow';

import { inputFields, optionsField, processingModeField, returnTypeField } from './common.descriptions';
import { GET_TASK, getTaskFields } from './getTask.operation';
import { OPERATIONS } from './operations';

/** An operation's own field, shown for that operation only (on top of its own conditions). */
function forOperation(name: string, field: INodeProperties): INodeProperties {
	const show = { ...(field.displayOptions?.show ?? {}), operation: [name] };
	return { ...field, displayOptions: { ...field.displayOptions, show } };
}

const names = OPERATIONS.map((operation) => operation.name);

/**
 * The operation list, written out (n8n's lint reads it as it stands): one entry per operation file
 * registered in ./operations.ts, Get Task last.
 */
export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['image'] } },
	options: [
		{
			name: 'Advanced Enhance',
			value: 'advancedEnhance',
			description: 'PicWish\'s strongest enhancer (Ultra HD or HD), files up to 30 MB',
			action: 'Enhance an image in ultra HD',
		},
		{
			name: 'Clothing Segmentation',
			value: 'clothingSegmentation',
			description: 'Masks of the garments in a fashion photo: a mask per part, or all as a ZIP',
			action: 'Segment the clothing in a fashion photo',
		},
		{
			name: 'Colorize',
			value: 'colorize',
			description: 'Bring colour to a black-and-white photo',
			action: 'Colorize a black and white photo',
		},
		{
			name: 'Compress',
			value: 'compress',
			description: 'Make a photo smaller: by quality or target size, with an optional new width and height',
			action: 'Compress or resize an image',
		},
		{
			name: 'Enhance',
			value: 'enhance',
			description: 'Sharpen and upscale a photo (2× or 4×), e.g. a supplier\'s small product shot',
			action: 'Enhance and upscale an image',
		},
		{
			name: 'Expand Image',
			value: 'expandImage',
			description: 'Grow the canvas on each side (e.g. to a square) with generated surroundings',
			action: 'Expand an image beyond its borders',
		},
		{
			name: 'Extract Text',
			value: 'extractText',
			description: 'Read the text of an image or document (OCR) into TXT, PDF, DOCX, XLSX or PPTX (async)',
			action: 'Extract text from an image or document',
		},
		{
			name: 'Face Cut-Out',
			value: 'faceCutout',
			description: 'Cut out the head of a portrait on a transparent background',
			action: 'Cut out the face of a portrait',
		},
		{
			name: 'Generate Background',
			value: 'generateBackground',
			description: 'Put a cut-out product on a new scene generated from a prompt or template (async)',
			action: 'Generate a new background for a product photo',
		},
		{
			name: 'Get Task',
			value: 'getTask',
			description: 'Fetch a task and its result by task ID (async runs, callbacks)',
			action: 'Get a task and its result',
		},
		{
			name: 'ID Photo',
			value: 'idPhoto',
			description: 'A passport-style photo of a given size on a solid colour',
			action: 'Make an ID photo from a portrait',
		},
		{
			name: 'Remove Background',
			value: 'removeBackground',
			description: 'Cut the subject out of a photo: a transparent PNG, a mask, or a JPG on a solid colour',
			action: 'Remove the background of an image',
		},
		{
			name: 'Remove Objects',
			value: 'removeObjects',
			description: 'Erase stickers, price tags or props inside rectangles or a mask',
			action: 'Remove objects from an image',
		},
		{
			name: 'Remove Watermark',
			value: 'removeWatermark',
			description: 'Remove watermarks and logos from a photo automatically',
			action: 'Remove the watermark from an image',
		},
		{
			name: 'Smart Crop',
			value: 'smartCrop',
			description: 'Crop and straighten a product or a document photo',
			action: 'Crop and straighten an image',
		},
	],
	default: 'removeBackground',
};

/** "Remove Background" for "removeBackground": the operation's name as the list shows it. */
export function operationLabel(value: string): string {
	return operationField.options?.find((option) => 'value' in option && option.value === value)?.name ?? value;
}

/**
 * One resource, "Image": it is how n8n finds an operation's `action` to describe the node as an AI
 * tool ("Enhance and upscale an image in PicWish"). Workflows saved without it get the default.
 */
export const resourceField: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Image', value: 'image', description: 'A photo or document, from a file or a URL' }],
	default: 'image',
};

/** Every field of the node, in the order the form shows them. */
export const properties: INodeProperties[] = [
	resourceField,
	operationField,
	...getTaskFields(names.map((name) => ({ name: operationLabel(name), value: name }))),
	...inputFields(names),
	processingModeField(OPERATIONS.filter((operation) => operation.modes === 'syncOrAsync').map((operation) => operation.name)),
	...OPERATIONS.flatMap((operation) => operation.fields.map((field) => forOperation(operation.name, field))),
	returnTypeField,
	optionsField,
];

/** The node's subtitle: the chosen operation's label. */
export const subtitle = `={{ ${JSON.stringify(Object.fromEntries([...names, GET_TASK].map((name) => [name, operationLabel(name)])))}[$parameter["operation"]] }}`;
