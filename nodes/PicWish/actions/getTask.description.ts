/** The fields of Get Task. */
import type { INodeProperties } from 'n8n-workflow';

export const getTaskFields: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5d7a8bb7-97aa-4e57-a22d-7620b08ded8e',
		description: 'The task_id of an async task, e.g. from a Remove Background run with "Wait for Completion" off',
		displayOptions: { show: { operation: ['getTask'] } },
	},
];
