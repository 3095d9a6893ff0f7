/**
 * Runs the chosen operation for every item, in parallel up to the key's rate limit, and turns each
 * item's failure into what the node's "On Error" setting asks for: an error-output item paired with
 * its input, a regular item, or a stopped workflow naming the item.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { runGetTask, runOperation } from '../engine/task';
import type { OperationSpec } from '../engine/spec';
import { mapWithConcurrency } from '../helpers/concurrency';
import { asNodeError, errorItemJson } from '../helpers/errors';
import { readOptions } from '../helpers/options';
import { transportFor } from '../transport';
import { resolveApiHost } from '../transport/apiHost';
import { GET_TASK } from './getTask.operation';
import { operationSpec } from './operations';

/** Items in flight: enough to keep the QPS busy while others wait for PicWish, few enough to bound memory. */
export function concurrencyFor(maxRequestsPerSecond: number): number {
	return Math.min(32, Math.max(2, Math.ceil(maxRequestsPerSecond * 5)));
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const node = this.getNode();
	const operation = String(this.getNodeParameter('operation', 0, 'removeBackground') ?? 'removeBackground');
	const isGetTask = operation === GET_TASK;
	const taskType = isGetTask ? String(this.getNodeParameter('taskType', 0, 'removeBackground') ?? 'removeBackground') : operation;
	const spec: OperationSpec | undefined = operationSpec(taskType);
	if (!spec) {
		throw new NodeOperationError(node, `Unknown PicWish operation "${taskType}"`, {
			description: 'Pick an operation from the list; this workflow may come from a newer version of the node.',
		});
	}
	const execute = isGetTask ? runGetTask : runOperation;
	const continueOnFail = this.continueOnFail();

	// Rate limit, retries and timeouts belong to the key and the run, so they come from the first item.
	const runOptions = readOptions.call(this, 0);
	const host = await resolveApiHost.call(this);
	const transport = transportFor(host, runOptions);

	const outcomes = await mapWithConcurrency(
		items.length,
		concurrencyFor(runOptions.maxRequestsPerSecond),
		async (itemIndex) => await execute.call(this, spec, itemIndex, transport),
		!continueOnFail,
	);

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const outcome = outcomes[itemIndex];
		if (outcome === undefined) continue;
		if (outcome.ok) {
			returnData.push(...outcome.value);
			continue;
		}
		const error = asNodeError(node, outcome.error, itemIndex);
		if (!continueOnFail) throw error;
		returnData.push({
			json: errorItemJson(error, node.onError === 'continueErrorOutput'),
			// The input's files travel with the failed item, so nothing is lost on the error branch.
			binary: items[itemIndex].binary,
			pairedItem: { item: itemIndex },
		});
	}
	return [returnData];
}
