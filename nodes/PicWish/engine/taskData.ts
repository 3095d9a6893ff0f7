/**
 * A successful API answer → the task it describes. A failed task state becomes the item's error here;
 * a pending task (state 0/2/3/4) is returned as it is.
 */
import type { INode } from 'n8n-workflow';

import { apiError, failedStateInfo } from '../helpers/errors';
import type { TaskData, TaskResult } from '../helpers/interfaces';
import type { ApiAnswer } from '../transport';

/** `\u0026` left in a URL by a JSON tool is really `&` (vendor FAQ); repair before use. */
export function repairUrl(value: string): string {
	return value.replace(/\\u0026/gi, '&').replace(/\\\//g, '/');
}

export function isUrl(value: unknown): value is string {
	return typeof value === 'string' && /^https?:\/\//i.test(value.trim());
}

/** Every link in the task repaired, wherever it sits (a field, a list, a map of masks). */
function repairLinks<T>(value: T): T {
	if (typeof value === 'string') return (isUrl(value) ? repairUrl(value.trim()) : value) as T;
	if (Array.isArray(value)) return value.map((entry: unknown) => repairLinks(entry)) as T;
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, repairLinks(entry)])) as T;
	}
	return value;
}

/** Done (1) or failed (< 0): stop polling. */
export function isFinalState(state: unknown): boolean {
	const value = Number(state);
	return value === 1 || value < 0;
}

export function readTask(node: INode, answer: ApiAnswer, itemIndex: number, taskId?: string): TaskResult {
	if ('image' in answer) {
		return { data: { state: 1, progress: 100, return_type: 3 }, streamed: answer.image };
	}
	const data = answer.envelope.data;
	if (!data || typeof data !== 'object' || Array.isArray(data)) {
		throw apiError(
			node,
			{
				message: `PicWish sent an answer without a task (HTTP ${answer.statusCode})`,
				description: `Check that the credential's base URL points at the PicWish API. The answer began: ${JSON.stringify(
					answer.envelope,
				).slice(0, 200)}`,
				httpCode: answer.statusCode,
				taskId,
			},
			itemIndex,
		);
	}
	const state = Number(data.state);
	if (Number.isFinite(state) && state < 0) {
		throw apiError(node, failedStateInfo(state, (data.task_id as string) ?? taskId, data.state_detail), itemIndex);
	}
	return { data: repairLinks(data as TaskData) };
}
