/**
 * Async tasks: read a task, or poll it until it is done, failed or out of time. The first poll waits
 * for the typical processing time, so most images cost one create and one read.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { apiRequest, SEGMENTATION_PATH } from '../transport';
import type { Transport } from '../transport';
import { readTaskResponse, isFinalState } from './apiResponse';
import { apiError } from './errors';
import type { TaskResult } from './interfaces';

/** PicWish usually needs 1–2 s per image (vendor FAQ): polling sooner mostly wastes QPS. */
export const TYPICAL_PROCESSING_MS = 1200;

export interface PollSettings {
	pollIntervalMs: number;
	timeoutSeconds: number;
}

export async function readTask(
	this: IExecuteFunctions,
	transport: Transport,
	taskId: string,
	itemIndex: number,
): Promise<TaskResult> {
	const response = await apiRequest.call(
		this,
		transport,
		{ method: 'GET', path: `${SEGMENTATION_PATH}/${encodeURIComponent(taskId)}` },
		itemIndex,
	);
	return readTaskResponse(this.getNode(), response, itemIndex, { taskId });
}

export async function waitForTask(
	this: IExecuteFunctions,
	transport: Transport,
	taskId: string,
	settings: PollSettings,
	itemIndex: number,
	options: { startedAt?: number; firstPollDelayMs?: number } = {},
): Promise<TaskResult> {
	const startedAt = options.startedAt ?? Date.now();
	const deadline = startedAt + settings.timeoutSeconds * 1000;
	const firstDelay = options.firstPollDelayMs ?? Math.max(settings.pollIntervalMs, TYPICAL_PROCESSING_MS);
	let delay = Math.max(0, startedAt + firstDelay - Date.now());
	for (;;) {
		const remaining = deadline - Date.now();
		if (delay > 0) await sleep(Math.min(delay, Math.max(0, remaining)));
		const result = await readTask.call(this, transport, taskId, itemIndex);
		if (isFinalState(result.data.state)) return result;
		if (Date.now() >= deadline) {
			throw apiError(
				this.getNode(),
				{
					message: `PicWish task ${taskId} was not finished after ${settings.timeoutSeconds} s (state ${String(result.data.state)})`,
					description:
						'Raise "Timeout (Seconds)" in the node\'s options, or fetch the result later with the Get Task operation and this task ID.',
					state: Number(result.data.state),
					taskId,
				},
				itemIndex,
			);
		}
		delay = settings.pollIntervalMs;
	}
}
