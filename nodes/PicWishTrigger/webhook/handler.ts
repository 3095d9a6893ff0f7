/**
 * One callback → at most one run. The order of checks is the order of cost: the secret (nothing
 * else happens without it), the task ID, the duplicate check, then one GET of the task with the
 * credential. By default the body's own result is never used; with "Use Result Sent With Callback"
 * a body that is a complete answer for a finished task (webhook/bodyTask.ts) stands in for the GET,
 * and anything else is read with the GET as usual. A finished task becomes an item on "Succeeded"
 * (its data and results, like the action node's), a failed one an item on "Failed". Everything else
 * is answered without a run:
 *   401/403 no or wrong secret · 400 no task ID · 200 { received, ignored } for a duplicate, a task
 *   PicWish does not know (404) or one that is not finished.
 * The caller gets its answer as soon as the task's state is known (before the download), or a 202
 * after ANSWER_WITHIN_MS when the key's rate limit keeps the read waiting.
 * In queue mode this runs on the main (webhook) process: the GET and the result download happen
 * there, and binary results are stored through n8n's binary data manager for the workers.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { operationSpec } from '../../PicWish/actions/operations';
import type { OperationSpec } from '../../PicWish/engine/spec';
import { buildResultItems } from '../../PicWish/engine/results';
import { isFinalState, readTask } from '../../PicWish/engine/taskData';
import { readTaskById, wantedFromTask } from '../../PicWish/engine/task';
import { DEFAULT_OPTIONS } from '../../PicWish/helpers/options';
import type { ReturnType, TaskResult } from '../../PicWish/helpers/interfaces';
import { transportFor } from '../../PicWish/transport';
import { resolveApiHost } from '../../PicWish/transport/apiHost';
import { finishedTaskInBody } from './bodyTask';
import { SeenTasks } from './dedupe';
import { checkSecret } from './secret';
import { findTaskId, TASK_ID_PATTERN } from './taskId';

export interface TriggerOptions {
	outputBinaryPropertyName: string;
	maskBinaryPropertyName: string;
	maxRequestsPerSecond: number;
	maxRetries: number;
	requestTimeoutSeconds: number;
	/** Take a finished task's result from a complete callback body instead of reading the task. */
	useCallbackResult: boolean;
}

/** The trigger's options with defaults; nulls (queue mode) and bad numbers fall back to the default. */
export function readTriggerOptions(given: IDataObject | null | undefined): TriggerOptions {
	const value = given ?? {};
	const number = (key: 'maxRequestsPerSecond' | 'maxRetries' | 'requestTimeoutSeconds', minimum: number): number => {
		const read = Number(value[key] ?? DEFAULT_OPTIONS[key]);
		return Number.isFinite(read) && read >= minimum ? read : (DEFAULT_OPTIONS[key] as number);
	};
	const name = (key: 'outputBinaryPropertyName' | 'maskBinaryPropertyName'): string =>
		String(value[key] ?? '').trim() || DEFAULT_OPTIONS[key];
	return {
		outputBinaryPropertyName: name('outputBinaryPropertyName'),
		maskBinaryPropertyName: name('maskBinaryPropertyName'),
		maxRequestsPerSecond: number('maxRequestsPerSecond', 0.1),
		maxRetries: Math.min(10, Math.floor(number('maxRetries', 0))),
		requestTimeoutSeconds: number('requestTimeoutSeconds', 1),
		useCallbackResult: value.useCallbackResult === true,
	};
}

/** An item for the "Failed" output: what happened to which task, and what to do. */
function failedItem(taskId: string, error: unknown): INodeExecutionData {
	const json: IDataObject = { task_id: taskId };
	if (error instanceof NodeApiError) {
		const state = error.context.state;
		if (typeof state === 'number') json.state = state;
		if (error.httpCode) json.httpCode = Number(error.httpCode);
		json.error = error.message;
		json.description = error.description ?? '';
	} else {
		json.error = error instanceof Error ? error.message : String(error);
		json.description = 'Fetch the result with the PicWish node\'s Get Task operation and this task ID.';
	}
	return { json };
}

function isUnknownTask(error: unknown): boolean {
	return error instanceof NodeApiError && (error.httpCode === '404' || error.httpCode === '400') && error.context.state === undefined;
}

type Answer = { status: number; body: IDataObject };

/**
 * The caller waits at most this long. Reading the task normally takes well under a second, so the
 * answer says what became of the call; when the key's rate limit keeps the read waiting (a batch
 * whose creates use the same key), the call is answered 202 "received" and the work goes on.
 */
export const ANSWER_WITHIN_MS = 2000;

/** Answers the HTTP call once: the first answer wins, later ones are dropped. */
function replier(context: IWebhookFunctions) {
	let sent = false;
	return {
		send({ status, body }: Answer): void {
			if (sent) return;
			sent = true;
			// The answer is written here, so that n8n adds nothing of the run to it (the task's links stay private).
			context.getResponseObject().status(status).json(body);
		},
	};
}

const NO_RUN: IWebhookResponseData = { noWebhookResponse: true };

export async function handleCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const reply = replier(this);
	const query = (this.getQueryData() ?? {}) as IDataObject;
	const secret = checkSecret(String(this.getNodeParameter('secret', '') ?? ''), query.secret);
	if (!secret.ok) {
		reply.send({ status: secret.status, body: { received: false, error: secret.reason } });
		return NO_RUN;
	}

	const body = this.getBodyData();
	const contentType = String(this.getHeaderData()['content-type'] ?? '');
	const found = findTaskId(body, query, contentType);
	if (!found || !TASK_ID_PATTERN.test(found.taskId)) {
		reply.send({
			status: 400,
			body: { received: false, error: found ? 'The task_id is not a PicWish task ID' : 'The call carries no task_id (JSON body, form field or query string)' },
		});
		return NO_RUN;
	}
	const { taskId } = found;

	const taskType = String(this.getNodeParameter('taskType', 'removeBackground') ?? 'removeBackground');
	const spec: OperationSpec | undefined = operationSpec(taskType);
	if (!spec) {
		reply.send({ status: 500, body: { received: false, error: `The trigger's "Task Made By" (${taskType}) is not a PicWish operation` } });
		return NO_RUN;
	}

	const node = this.getNode();
	const seen = new SeenTasks(this.getWorkflowStaticData('node'), `${this.getWorkflow().id ?? ''}:${node.id}`);
	if (!seen.claim(taskId)) {
		reply.send({ status: 200, body: { received: true, task_id: taskId, ignored: 'duplicate: this task has started a run already' } });
		return NO_RUN;
	}
	void sleep(ANSWER_WITHIN_MS).then(() => reply.send({ status: 202, body: { received: true, task_id: taskId } }));

	const options = readTriggerOptions(this.getNodeParameter('options', {}) as IDataObject);
	const returnType = String(this.getNodeParameter('returnType', 'binary') ?? 'binary') as ReturnType;
	const failed = (error: unknown, state?: number): IWebhookResponseData => {
		reply.send({ status: 200, body: { received: true, task_id: taskId, ...(state !== undefined ? { state } : {}) } });
		return { workflowData: [[], [failedItem(taskId, error)]], noWebhookResponse: true };
	};
	let items: INodeExecutionData[] | undefined;
	try {
		const host = await resolveApiHost.call(this);
		// The same pacer as the action nodes using this key in this process: sender and trigger share the QPS.
		const transport = transportFor(host, options);
		const readFromApi = async (): Promise<TaskResult> => await readTaskById.call(this, transport, spec, taskId, 0);
		const resultItems = async (result: TaskResult, wanted: string[]): Promise<INodeExecutionData[]> =>
			await buildResultItems.call(this, transport, result, spec.results, {
				returnType,
				outputBinaryPropertyName: options.outputBinaryPropertyName,
				maskBinaryPropertyName: options.maskBinaryPropertyName,
				baseFileName: `picwish-${taskId}`,
				wanted,
				itemPerResult: spec.itemPerResult,
				refresh: readFromApi,
			}, 0);

		const sent = options.useCallbackResult ? finishedTaskInBody(body, contentType, taskId, spec) : undefined;
		if (sent) {
			// The body as if a GET had answered it: a failed state throws here with the same message.
			const result = readTask(node, { kind: 'ok', statusCode: 200, envelope: { status: 200, data: sent } }, 0, taskId);
			reply.send({ status: 200, body: { received: true, task_id: taskId, state: 1 } });
			try {
				items = await resultItems(result, wantedFromTask(spec, result.data));
			} catch (error) {
				// A result the body names could not be used (e.g. its link): read the task, as without the option.
				this.logger.debug(`PicWish Trigger: the callback's result for task ${taskId} could not be used, reading the task instead`, {
					error: error instanceof Error ? error.message : String(error),
				});
			}
		}
		if (!items) {
			const result = await readFromApi();
			if (!isFinalState(result.data.state)) {
				seen.release(taskId);
				reply.send({ status: 200, body: { received: true, task_id: taskId, ignored: `task not finished (state ${String(result.data.state)})` } });
				return NO_RUN;
			}
			const wanted = wantedFromTask(spec, result.data);
			if (wanted.length === 0) {
				seen.done(taskId);
				return failed(new Error(`PicWish finished task ${taskId} but it holds no result. Check "Task Made By": it must be the operation that created the task.`), 1);
			}
			// The task is done: the caller learns so now, the download follows.
			reply.send({ status: 200, body: { received: true, task_id: taskId, state: 1 } });
			items = await resultItems(result, wanted);
		}
	} catch (error) {
		if (isUnknownTask(error)) {
			seen.release(taskId);
			reply.send({ status: 200, body: { received: true, task_id: taskId, ignored: 'unknown task: PicWish does not know this task ID' } });
			return NO_RUN;
		}
		const state = error instanceof NodeApiError ? error.context.state : undefined;
		// A failed task is final: one run for it. A read or download that failed may work on a redelivery.
		if (typeof state === 'number' && state < 0) {
			seen.done(taskId);
			return failed(error, state);
		}
		seen.release(taskId);
		return failed(error);
	}
	seen.done(taskId);
	// A trigger's items start the run: they pair with nothing.
	const succeeded = items.map((item) => ({ json: item.json, ...(item.binary ? { binary: item.binary } : {}) }));
	return { workflowData: [succeeded, []], noWebhookResponse: true };
}
