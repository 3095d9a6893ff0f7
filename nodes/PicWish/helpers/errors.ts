/**
 * Every way a PicWish call can fail, turned into a message a no-code user can act on.
 * Errors carry `httpCode`, `state` and `task_id` so the error output can show them.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';

export interface FailureInfo {
	message: string;
	description?: string;
	httpCode?: number;
	state?: number;
	taskId?: string;
}

interface StateText {
	message: string;
	description: string;
}

/** Failed task states (`data.state < 0`), as the vendor documents them (-4 and -6: document tasks). */
export const FAILED_STATES: Record<number, StateText> = {
	[-1]: {
		message: 'PicWish reported the task as failed (state -1)',
		description:
			'PicWish gives no reason for this state. Run the item again; for background removal, another Segmentation Type or a photo where the subject stands out may help. If it keeps failing, contact PicWish support with the task ID.',
	},
	[-2]: {
		message: 'PicWish finished the task but could not store the result (state -2)',
		description: 'This is a temporary problem on PicWish\'s side. Run the item again.',
	},
	[-3]: {
		message: 'PicWish could not download the image from the URL (state -3)',
		description:
			'Check that the Image URL is public (no login, no expired signature) and reachable from the internet.',
	},
	[-4]: {
		message: 'PicWish could not submit the task (state -4)',
		description: 'Run the item again; if it keeps failing, contact PicWish support with the task ID.',
	},
	[-5]: {
		message: 'The image at the URL is larger than 15 MB (state -5)',
		description: 'Use an image of 15 MB or less, e.g. a compressed JPG.',
	},
	[-6]: {
		message: 'PicWish could not open the document: wrong or missing password (state -6)',
		description: 'Set the document\'s password in the "Password" field.',
	},
	[-7]: {
		message: 'PicWish says the image is not a valid image file (state -7)',
		description:
			'The file may be corrupt or in a format this operation does not accept. Use JPG, PNG, WEBP, BMP or TIFF (no GIF), within the operation\'s size limits.',
	},
	[-8]: {
		message: 'PicWish timed out processing the image (state -8)',
		description: 'Processing is limited to 30 seconds. Run the item again, or use a smaller image.',
	},
};

/** States a new task may fix: the work failed on PicWish's side, not because of the image. */
export const RETRYABLE_STATES = new Set([-2, -8]);

/** Words that restate a failed state without adding to it. */
const EMPTY_DETAIL = /^(fail(ed|ure)?|error|complete[d]?|success|done|-?\d+)$/i;

/** `state_detail` where it says more than the state itself: "PicWish says: ...". */
export function stateDetailText(detail: unknown): string {
	const text = typeof detail === 'string' ? detail.trim().slice(0, 200) : '';
	return text && !EMPTY_DETAIL.test(text) ? `PicWish says: "${text}". ` : '';
}

export function failedStateInfo(state: number, taskId?: string, stateDetail?: unknown): FailureInfo {
	const text = FAILED_STATES[state] ?? {
		message: `PicWish reported the task as failed (state ${state})`,
		description: 'Run the item again; if it keeps failing, contact PicWish support with the task ID.',
	};
	return { message: text.message, description: `${stateDetailText(stateDetail)}${text.description}`, state, taskId };
}

const HTTP_TEXT: Record<number, StateText> = {
	400: {
		message: 'PicWish rejected the request parameters (HTTP 400)',
		description: 'Check the node\'s fields for this operation.',
	},
	401: {
		message: 'PicWish rejected the API key (HTTP 401)',
		description:
			'The key is wrong, or this PicWish service is not enabled for your account. Check the PicWish API credential (key and region).',
	},
	403: {
		message: 'PicWish refused the request (HTTP 403)',
		description: 'Check the PicWish API credential and your account\'s permissions.',
	},
	404: {
		message: 'PicWish did not find that (HTTP 404)',
		description:
			'The task ID is wrong, the task has expired or belongs to another operation ("Task Made By"), or the credential\'s base URL is wrong.',
	},
	413: {
		message: 'The file is larger than PicWish accepts (HTTP 413)',
		description: 'Use a smaller or compressed file within the operation\'s size limit (15 MB for most).',
	},
	429: {
		message: 'PicWish kept answering "too many requests" (HTTP 429)',
		description:
			'Lower "Max Requests per Second" in the node\'s options to your key\'s QPS (2 unless PicWish raised it), or run fewer workflows with this key at once.',
	},
};

export interface HttpFailure {
	status: number;
	/** Where the code came from: the HTTP status line or the JSON `status`. */
	source?: 'http' | 'json';
	apiMessage?: string;
	/** The start of a non-JSON answer (e.g. a proxy's HTML error page). */
	page?: string;
}

export function httpFailureInfo(failure: HttpFailure | number, apiMessage?: string, taskId?: string): FailureInfo {
	const { status, source = 'http', page, apiMessage: said = apiMessage } =
		typeof failure === 'number' ? { status: failure } : failure;
	const label = source === 'json' ? `status ${status} in the JSON answer` : `HTTP ${status}`;
	let text = HTTP_TEXT[status];
	if (status < 300 || (status >= 300 && status < 400)) {
		text = {
			message: `PicWish sent an answer that is not a task (${label})`,
			description:
				status >= 300
					? 'The API answered with a redirect, which the node does not follow (the API key must not travel elsewhere). Check the credential\'s region or base URL.'
					: 'Check that the credential\'s base URL points at the PicWish API, not a web page or proxy login.',
		};
	}
	text ??= {
		message: `PicWish answered with an error (HTTP ${status})`,
		description:
			status >= 500
				? 'PicWish (or a proxy in front of it) had a server problem and retries did not help. Try again later; if it persists, contact PicWish support.'
				: 'Check the node\'s fields and the credential.',
	};
	const message = text.message.replace(`(HTTP ${status})`, `(${label})`);
	const detail = said ? ` PicWish said: "${said}".` : page ? ` The answer was not JSON but a page beginning: "${page}".` : '';
	return { message, description: `${text.description}${detail}`, httpCode: status, taskId };
}

/**
 * Appends the task ID (for PicWish support) and n8n's usual "[item N]", so that the message alone
 * says what failed where: on n8n's error output the message is all that survives (see errorItemJson).
 */
function withItem(message: string, itemIndex: number, taskId?: string): string {
	const task = taskId && !message.includes(taskId) ? ` (task ${taskId})` : '';
	return `${message}${task} [item ${itemIndex}]`;
}

/** An error from the API or the network: the node's error output or a stopped workflow shows it. */
export function apiError(node: INode, info: FailureInfo, itemIndex: number): NodeApiError {
	const error = new NodeApiError(node, { ...info } as unknown as JsonObject, {
		message: withItem(info.message, itemIndex, info.taskId),
		description: info.description,
		httpCode: info.httpCode === undefined ? undefined : String(info.httpCode),
		itemIndex,
	});
	// n8n swaps messages that mention a network code (ECONNREFUSED, …) for a generic one: keep ours.
	error.message = withItem(info.message, itemIndex, info.taskId);
	error.context.state = info.state;
	error.context.taskId = info.taskId;
	return error;
}

/** A problem with the item or the node's fields, found before any request was sent. */
export function inputError(
	node: INode,
	message: string,
	description: string,
	itemIndex: number,
): NodeOperationError {
	const error = new NodeOperationError(node, withItem(message, itemIndex), { description, itemIndex });
	error.message = withItem(message, itemIndex);
	return error;
}

/** Any error as an n8n node error for this item (keeps ours, wraps the unexpected). */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, withItem(message, itemIndex), { itemIndex });
}

/**
 * The `json` of a failed item. On the main output ("On Error: Continue") it carries every detail.
 * n8n moves an item to the error output only when its json is `{ error }` or `{ error, message }`
 * (1.x; 2.x also allows `details`), and it replaces the json of items that carry an `error` object
 * with `{ error: message }`. So for the error output the item keeps the two keys n8n allows: `error`
 * (which names the state, HTTP code and task ID) and `message` (what to do); n8n adds the input
 * item's fields to it.
 */
export function errorItemJson(
	error: NodeApiError | NodeOperationError,
	forErrorOutput: boolean,
): IDataObject {
	if (forErrorOutput) return { error: error.message, message: error.description ?? error.message };
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	const httpCode = error instanceof NodeApiError ? error.httpCode : undefined;
	if (httpCode) json.httpCode = Number(httpCode);
	if (typeof error.context.state === 'number') json.state = error.context.state;
	if (typeof error.context.taskId === 'string') json.task_id = error.context.taskId;
	return json;
}
