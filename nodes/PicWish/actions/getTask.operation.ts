/** Get Task: read a task by ID, from the endpoint of the operation that made it; when done, its result. */
import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

export const GET_TASK = 'getTask';

/** "Task Made By" (which endpoint to read; default Remove Background, as saved workflows expect) and "Task ID". */
export function getTaskFields(operations: INodePropertyOptions[]): INodeProperties[] {
	const show = { show: { operation: [GET_TASK] } };
	return [
		{
			displayName: 'Task Made By',
			name: 'taskType',
			type: 'options',
			options: operations,
			default: 'removeBackground',
			description: 'The operation that created the task: each PicWish tool keeps its own tasks',
			displayOptions: show,
		},
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '5d7a8bb7-97aa-4e57-a22d-7620b08ded8e',
			description: 'The task_id of an async task, e.g. from a run with "Wait for Completion" off or a Callback URL',
			displayOptions: show,
		},
	];
}
