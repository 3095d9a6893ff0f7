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
	options: [
		{
			name: 'Remove Background',
			value: 'removeBackground',
			description: 'Cut the subject out of a photo: a transparent PNG, a mask, or a JPG on a solid colour',
			action: 'Remove the background of an image',
		},
		{
			name: 'Get Task',
			value: 'getTask',
			description: 'Fetch a task and its result by task ID (async runs, callbacks)',
			action: 'Get a task and its result',
		},
	],
	default: 'removeBackground',
};

/** "Remove Background" for "removeBackground": the operation's name as the list shows it. */
export function operationLabel(value: string): string {
	return operationField.options?.find((option) => 'value' in option && option.value === value)?.name ?? value;
}

/** Every field of the node, in the order the form shows them. */
export const properties: INodeProperties[] = [
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
