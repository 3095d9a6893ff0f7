/**
 * Reads what the API answered: a JSON envelope `{ status, message, data }`, or (return_type 3) the
 * picture itself. HTTP errors and failed task states become item errors here.
 */
import type { INode } from 'n8n-workflow';

import { apiError, failedStateInfo, httpFailureInfo } from './errors';
import { sniffImageKind } from './imageInfo';
import type { ApiEnvelope, RawResponse, TaskData, TaskResult } from './interfaces';

/** `\u0026` left in a URL by a JSON tool is really `&` (vendor FAQ); repair before use. */
export function repairUrl(value: string): string {
	return value.replace(/\\u0026/gi, '&').replace(/\\\//g, '/');
}

export function isUrl(value: unknown): value is string {
	return typeof value === 'string' && /^https?:\/\//i.test(value.trim());
}

/** The task with every result URL repaired. */
export function repairTaskUrls(data: TaskData): TaskData {
	const repaired: TaskData = { ...data };
	for (const key of ['image', 'mask'] as const) {
		const value = repaired[key];
		if (typeof value === 'string' && /^https?:/i.test(value)) repaired[key] = repairUrl(value);
	}
	return repaired;
}

function parseEnvelope(body: Buffer): ApiEnvelope | undefined {
	try {
		const parsed: unknown = JSON.parse(body.toString('utf8'));
		return parsed && typeof parsed === 'object' ? (parsed as ApiEnvelope) : undefined;
	} catch {
		return undefined;
	}
}

function headerText(response: RawResponse, name: string): string {
	const value = response.headers[name];
	return typeof value === 'string' ? value : '';
}

export interface ReadOptions {
	/** The picture a streamed answer (return_type 3) holds. */
	streamedKind?: 'image' | 'mask';
	taskId?: string;
}

/**
 * Any answer → the task's data. Throws an item error for an HTTP error, an unreadable answer or a
 * failed state; a pending task (state 0/2/3/4) is returned as it is.
 */
export function readTaskResponse(
	node: INode,
	response: RawResponse,
	itemIndex: number,
	options: ReadOptions = {},
): TaskResult {
	const { statusCode, body } = response;
	const contentType = headerText(response, 'content-type');
	if (statusCode === 200 && !/json|text/i.test(contentType) && sniffImageKind(body)) {
		return {
			data: { state: 1, progress: 100, return_type: 3 },
			streamed: { kind: options.streamedKind ?? 'image', bytes: body },
		};
	}

	const envelope = parseEnvelope(body);
	const status = typeof envelope?.status === 'number' ? envelope.status : statusCode;
	if (statusCode >= 400 || status >= 400) {
		throw apiError(
			node,
			httpFailureInfo(statusCode >= 400 ? statusCode : status, envelope?.message, options.taskId),
			itemIndex,
		);
	}
	const data = envelope?.data;
	if (!envelope || !data || typeof data !== 'object') {
		throw apiError(
			node,
			{
				message: `PicWish sent an answer that is not a task (HTTP ${statusCode})`,
				description: `Check that the credential's base URL points at the PicWish API. The answer began: ${body
					.toString('utf8', 0, 200)
					.replace(/\s+/g, ' ')}`,
				httpCode: statusCode,
				taskId: options.taskId,
			},
			itemIndex,
		);
	}
	const state = Number(data.state);
	if (Number.isFinite(state) && state < 0) {
		throw apiError(node, failedStateInfo(state, data.task_id ?? options.taskId), itemIndex);
	}
	return { data: repairTaskUrls(data) };
}

/** Done (1) or failed (< 0): stop polling. */
export function isFinalState(state: unknown): boolean {
	const value = Number(state);
	return value === 1 || value < 0;
}
