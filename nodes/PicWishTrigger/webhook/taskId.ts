/**
 * Where a callback carries the task ID. What PicWish POSTs is not documented, so every likely shape
 * is read: the JSON envelope of a task answer (`{ data: { task_id } }`), a flat JSON object, a form
 * body (urlencoded or multipart, whose fields n8n puts under `data`), a JSON text in a field or in a
 * plain-text body, and last the query string. Only the ID is taken here: the result is read from
 * PicWish (or, with "Use Result Sent With Callback", from a complete body: bodyTask.ts).
 */
import type { IDataObject } from 'n8n-workflow';

/** A PicWish task ID: letters, digits, dashes (a UUID in practice). */
export const TASK_ID_PATTERN = /^[\w-]{1,128}$/;

const ID_KEYS = ['task_id', 'taskId', 'taskid', 'id'];
/** Objects the ID may sit in, as the first level of an envelope. */
const NESTED_KEYS = ['data', 'task', 'result', 'body', 'payload'];

export type TaskIdSource = 'json' | 'form' | 'query';

export interface FoundTaskId {
	taskId: string;
	source: TaskIdSource;
}

function parseJsonText(value: string): unknown {
	const text = value.trim();
	if (!text.startsWith('{')) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function idFrom(value: unknown): string | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text === 'number' && Number.isFinite(text)) return String(text);
	return typeof text === 'string' && text.trim() ? text.trim() : undefined;
}

/** The task ID in an object: its own keys first (`id` only where no `task_id` is), then one level down. */
function findIn(value: unknown, depth: number): string | undefined {
	const object = typeof value === 'string' ? parseJsonText(value) : value;
	if (!object || typeof object !== 'object' || Array.isArray(object)) return undefined;
	const record = object as IDataObject;
	for (const key of ID_KEYS) {
		// `id` alone is too common a name to trust at the top of a form; in `data` it is the task's.
		if (key === 'id' && depth === 0) continue;
		const found = idFrom(record[key]);
		if (found) return found;
	}
	if (depth >= 2) return undefined;
	for (const key of NESTED_KEYS) {
		const found = findIn(record[key], depth + 1);
		if (found) return found;
	}
	return undefined;
}

/**
 * The task ID of a callback, and where it was found; undefined when the call has none.
 * `contentType` tells a form body from a JSON one (for the answer and the tests; both are read alike).
 */
export function findTaskId(body: unknown, query: IDataObject, contentType = ''): FoundTaskId | undefined {
	const fromBody = findIn(body, 0);
	if (fromBody) {
		const form = /x-www-form-urlencoded|multipart\/form-data/i.test(contentType);
		return { taskId: fromBody, source: form ? 'form' : 'json' };
	}
	const fromQuery = idFrom(query.task_id) ?? idFrom(query.taskId);
	return fromQuery ? { taskId: fromQuery, source: 'query' } : undefined;
}
