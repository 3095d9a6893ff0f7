/**
 * "Use Result Sent With Callback": the task as the callback's body describes it, when that body is a
 * complete answer for a finished task — the shape a GET of the task returns. PicWish does not
 * document what it POSTs, so this reads only what it can be sure of and gives up on anything else:
 * the trigger then reads the task from PicWish as usual (one GET), so an unexpected body costs a
 * request and nothing more.
 * A body is used when (after the secret check, which authenticates the caller):
 * - it is the JSON envelope `{ status: 200, data: { task_id, state, … } }` (status may be left out),
 *   or a form body (urlencoded fields, or multipart fields that n8n puts under `data`) of the same
 *   `data` fields, numbers and JSON objects written as text;
 * - its `task_id` is the one the call is about;
 * - its state is failed (< 0), or done (1) with every result the task should hold (as Get Task
 *   decides it) present as a link or base64.
 */
import type { IDataObject } from 'n8n-workflow';

import type { OperationSpec } from '../../PicWish/engine/spec';
import { entriesOf } from '../../PicWish/engine/results';
import { wantedFromTask } from '../../PicWish/engine/task';
import { isUrl } from '../../PicWish/engine/taskData';
import type { TaskData } from '../../PicWish/helpers/interfaces';

/** Task fields the API sends as numbers; a form body writes them as text. */
const NUMBER_FIELDS = new Set(['state', 'progress', 'output_type', 'return_type', 'created_at', 'processed_at', 'completed_at', 'batch_size']);

const BASE64 = /^(data:[\w.+/-]+;base64,)?[A-Za-z0-9+/\r\n]+={0,2}$/;

function isObject(value: unknown): value is IDataObject {
	return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/** A form's text fields as the API would send them; undefined when a field cannot be read back. */
function fromForm(fields: IDataObject): TaskData | undefined {
	const data: TaskData = {};
	for (const [key, raw] of Object.entries(fields)) {
		if (typeof raw !== 'string') return undefined;
		const text = raw.trim();
		if (NUMBER_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(text)) {
			data[key] = Number(text);
		} else if (text.startsWith('{') || text.startsWith('[')) {
			try {
				data[key] = JSON.parse(text) as IDataObject;
			} catch {
				return undefined;
			}
		} else {
			data[key] = raw;
		}
	}
	return data;
}

/** The task data a body carries, in the API's types; undefined for any other shape. */
function taskDataOf(body: unknown, contentType: string): TaskData | undefined {
	if (!isObject(body)) return undefined;
	if (/x-www-form-urlencoded|multipart\/form-data/i.test(contentType)) {
		// n8n puts multipart fields under `data` (files under `files`); urlencoded fields stay at the top.
		return fromForm(isObject(body.data) && /multipart/i.test(contentType) ? body.data : body);
	}
	if (!/json/i.test(contentType)) return undefined;
	if (body.status !== undefined && Number(body.status) !== 200) return undefined;
	return isObject(body.data) ? (body.data as TaskData) : undefined;
}

/** Every entry of a result is something the engine can turn into a file: a link or base64. */
function readable(value: unknown, field: string): boolean {
	const entries = entriesOf(value, [field]);
	return entries.length > 0 && entries.every((entry) => isUrl(entry.value) || (String(entry.value).length >= 16 && BASE64.test(entry.value)));
}

/**
 * The finished task the body describes, or undefined when the trigger must read the task itself:
 * another task, an unfinished or unknown state, a missing or unreadable result, an unknown shape.
 */
export function finishedTaskInBody(body: unknown, contentType: string, taskId: string, spec: OperationSpec): TaskData | undefined {
	const data = taskDataOf(body, contentType);
	if (!data || data.task_id !== taskId) return undefined;
	const state = data.state;
	if (typeof state !== 'number' || !Number.isInteger(state)) return undefined;
	if (state < 0) return data;
	if (state !== 1) return undefined;
	const wanted = wantedFromTask(spec, data);
	if (wanted.length === 0 || !wanted.every((field) => readable(data[field], field))) return undefined;
	return data;
}
