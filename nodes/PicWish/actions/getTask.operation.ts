/** Get Task: read an async task by ID; when it is done, return its result like Remove Background. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { isFinalState } from '../helpers/apiResponse';
import { inputError } from '../helpers/errors';
import type { ReturnType } from '../helpers/interfaces';
import { readOptions } from '../helpers/options';
import { readTask, waitForTask } from '../helpers/polling';
import { buildResultItem } from '../helpers/results';
import type { Transport } from '../transport';

export { getTaskFields as description } from './getTask.description';

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	transport: Transport,
): Promise<INodeExecutionData> {
	const options = readOptions.call(this, itemIndex);
	const taskId = String(this.getNodeParameter('taskId', itemIndex, '') ?? '').trim();
	if (!taskId) {
		throw inputError(
			this.getNode(),
			'The field "Task ID" is empty',
			'Map the task_id of an async Remove Background result, e.g. {{ $json.task_id }}.',
			itemIndex,
		);
	}
	if (!/^[\w-]{1,128}$/.test(taskId)) {
		throw inputError(
			this.getNode(),
			`The field "Task ID" does not look like a PicWish task ID: "${taskId.slice(0, 80)}"`,
			'A task ID is letters, digits and dashes, like 5d7a8bb7-97aa-4e57-a22d-7620b08ded8e.',
			itemIndex,
		);
	}

	let result = await readTask.call(this, transport, taskId, itemIndex);
	if (!isFinalState(result.data.state)) {
		if (!options.waitForCompletion) return { json: result.data, pairedItem: { item: itemIndex } };
		result = await waitForTask.call(this, transport, taskId, options, itemIndex, { firstPollDelayMs: options.pollIntervalMs });
	}
	return await buildResultItem.call(
		this,
		transport,
		result,
		{
			returnType: this.getNodeParameter('returnType', itemIndex, 'binary') as ReturnType,
			outputBinaryPropertyName: options.outputBinaryPropertyName,
			maskBinaryPropertyName: options.maskBinaryPropertyName,
			baseFileName: `picwish-${taskId}`,
			refresh: async () => await readTask.call(this, transport, taskId, itemIndex),
		},
		itemIndex,
	);
}
