/**
 * The task engine: every PicWish operation runs through here. Create the task (multipart), wait for
 * it (in the same request, or by polling), turn failed states into errors and results into items.
 * An operation only says which fields it sends and which results it reads (engine/spec.ts).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { apiError, asNodeError, inputError, RETRYABLE_STATES } from '../helpers/errors';
import type { PicWishOptions, ReturnType, TaskData, TaskResult } from '../helpers/interfaces';
import { readOptions } from '../helpers/options';
import { apiRequest } from '../transport';
import type { ApiContext, Transport } from '../transport';
import { buildMultipart } from '../transport/multipart';
import type { FormFields } from '../transport/multipart';
import { paramsFor, readBinaryInput, validateUrl } from './input';
import { baseNameOf, buildResultItems, entriesOf } from './results';
import type { OperationSpec, Params } from './spec';
import { isFinalState, readTask } from './taskData';

/** PicWish usually needs 1–2 s per image (vendor FAQ): polling sooner mostly wastes QPS. */
export const TYPICAL_PROCESSING_MS = 1200;

export async function readTaskById(
	this: ApiContext,
	transport: Transport,
	spec: OperationSpec,
	taskId: string,
	itemIndex: number,
): Promise<TaskResult> {
	const answer = await apiRequest.call(
		this,
		transport,
		{ method: 'GET', path: `${spec.path}/${encodeURIComponent(taskId)}`, taskId },
		itemIndex,
	);
	return readTask(this.getNode(), answer, itemIndex, taskId);
}

export interface PollSettings {
	pollIntervalMs: number;
	timeoutSeconds: number;
}

/** Polls until the task is done or failed; the first poll waits for the typical processing time. */
export async function waitForTask(
	this: IExecuteFunctions,
	transport: Transport,
	spec: OperationSpec,
	taskId: string,
	settings: PollSettings,
	itemIndex: number,
	timing: { startedAt?: number; firstPollDelayMs?: number } = {},
): Promise<TaskResult> {
	const startedAt = timing.startedAt ?? Date.now();
	const deadline = startedAt + settings.timeoutSeconds * 1000;
	const firstDelay = timing.firstPollDelayMs ?? Math.max(settings.pollIntervalMs, TYPICAL_PROCESSING_MS);
	let delay = Math.max(0, startedAt + firstDelay - Date.now());
	for (;;) {
		const remaining = deadline - Date.now();
		if (delay > 0) await sleep(Math.min(delay, Math.max(0, remaining)));
		const result = await readTaskById.call(this, transport, spec, taskId, itemIndex);
		if (isFinalState(result.data.state)) return result;
		if (Date.now() >= deadline) {
			const detail = typeof result.data.state_detail === 'string' && result.data.state_detail ? `, "${result.data.state_detail}"` : '';
			throw apiError(
				this.getNode(),
				{
					message: `PicWish task ${taskId} was not finished after ${settings.timeoutSeconds} s (state ${String(result.data.state)}${detail})`,
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

/**
 * The cheapest `return_type` that gives what was asked for: the bytes in the same response where the
 * endpoint can (sync, one picture), else base64 in the JSON (no second download, no expiring link);
 * links only when the user wants links. Undefined: the endpoint has no such field (links only).
 */
export function chooseApiReturnType(
	spec: Pick<OperationSpec, 'apiReturnTypes' | 'itemPerResult'>,
	returnType: ReturnType,
	wanted: string[],
	sync: boolean,
): number | undefined {
	const allowed = spec.apiReturnTypes;
	if (!allowed || allowed.length === 0) return undefined;
	if (returnType === 'url') return allowed.includes(1) ? 1 : allowed[0];
	if (returnType === 'binary' && sync && wanted.length === 1 && !spec.itemPerResult && allowed.includes(3)) return 3;
	return allowed.includes(2) ? 2 : allowed[0];
}

/** The options, with the operation's own default timeout where the user left it. */
export function operationOptions(this: IExecuteFunctions, spec: OperationSpec, itemIndex: number): PicWishOptions {
	const options = readOptions.call(this, itemIndex);
	const given = this.getNodeParameter('options', itemIndex, {}) as { timeoutSeconds?: unknown } | null;
	if (spec.defaultTimeoutSeconds && (given?.timeoutSeconds === undefined || given?.timeoutSeconds === null)) {
		options.timeoutSeconds = spec.defaultTimeoutSeconds;
	}
	return options;
}

function checkOutputProperties(p: Params, options: PicWishOptions, spec: OperationSpec, wanted: string[], returnType: ReturnType): void {
	const properties = new Set(spec.results.filter((result) => wanted.includes(result.field)).map((result) => result.property));
	if (returnType === 'binary' && properties.size > 1 && options.outputBinaryPropertyName === options.maskBinaryPropertyName) {
		p.fail(
			`"Output Field" and "Mask Output Field" are both "${options.outputBinaryPropertyName}"`,
			'The mask would overwrite the image. Give them different names under Options.',
		);
	}
}

/** Creates a task for one item and returns its result items (one, or one per picture). */
export async function runOperation(
	this: IExecuteFunctions,
	spec: OperationSpec,
	itemIndex: number,
	transport: Transport,
): Promise<INodeExecutionData[]> {
	const p = paramsFor(this, itemIndex);
	const options = operationOptions.call(this, spec, itemIndex);
	const returnType = p.get<ReturnType>('returnType', 'binary');
	const callbackUrl = options.callbackUrl ? validateUrl.call(this, itemIndex, options.callbackUrl, 'Callback URL') : undefined;
	const sync = spec.modes === 'syncOrAsync' && !callbackUrl && p.get('processingMode', 'sync') === 'sync';
	const wanted = spec.wantedResults(p);
	checkOutputProperties(p, options, spec, wanted, returnType);

	const fields: FormFields = {};
	let sourceName: string | undefined;
	if (p.get('inputSource', 'binary') === 'url') {
		const url = validateUrl.call(this, itemIndex, p.get('imageUrl', ''), 'Image URL', spec.input.limits.maxUrlLength);
		fields[spec.input.urlField] = url;
		sourceName = url;
	} else {
		const input = await readBinaryInput.call(this, itemIndex, String(p.get('binaryPropertyName', 'data')).trim(), spec.input.limits);
		fields[spec.input.fileField] = input.file;
		sourceName = input.fileName;
	}
	// Async-only endpoints document no `sync` field: send none.
	if (spec.modes === 'syncOrAsync') fields.sync = sync ? '1' : '0';
	for (const [name, value] of Object.entries(await spec.apiFields(p))) {
		if (value !== undefined) fields[name] = value;
	}
	const apiReturnType = chooseApiReturnType(spec, returnType, wanted, sync);
	if (apiReturnType !== undefined) fields.return_type = String(apiReturnType);
	if (callbackUrl) fields.callback_url = callbackUrl;
	const { body, contentType } = buildMultipart(fields);

	const run = async (): Promise<TaskResult> => {
		const startedAt = Date.now();
		const answer = await apiRequest.call(
			this,
			transport,
			{ method: 'POST', path: spec.path, body, contentType, accept: apiReturnType === 3 ? 'jsonOrImage' : 'json' },
			itemIndex,
		);
		const created = readTask(this.getNode(), answer, itemIndex);
		if (created.streamed && spec.describeStreamed) Object.assign(created.data, spec.describeStreamed(p));
		const taskId = created.data.task_id;
		if (created.streamed || isFinalState(created.data.state) || !taskId) return created;
		if (callbackUrl || (!sync && !options.waitForCompletion)) return created;
		return await waitForTask.call(this, transport, spec, taskId, options, itemIndex, { startedAt });
	};

	let result: TaskResult;
	try {
		result = await run();
	} catch (error) {
		// -2 (storing failed) and -8 (timed out) are PicWish's own hiccups: one new task may succeed.
		const state = error instanceof NodeApiError ? error.context.state : undefined;
		if (typeof state !== 'number' || !RETRYABLE_STATES.has(state)) throw asNodeError(this.getNode(), error, itemIndex);
		result = await run();
	}

	if (!result.streamed && !isFinalState(result.data.state)) return [{ json: result.data, pairedItem: { item: itemIndex } }];
	const taskId = result.data.task_id;
	return await buildResultItems.call(this, transport, result, spec.results, {
		returnType,
		outputBinaryPropertyName: options.outputBinaryPropertyName,
		maskBinaryPropertyName: options.maskBinaryPropertyName,
		baseFileName: baseNameOf(sourceName, taskId ? `picwish-${taskId}` : 'picwish'),
		wanted,
		itemPerResult: spec.itemPerResult,
		refresh: taskId ? async () => await readTaskById.call(this, transport, spec, taskId, itemIndex) : undefined,
	}, itemIndex);
}

/** The results a finished task holds, for Get Task: what its endpoint says, else every non-empty one. */
export function wantedFromTask(spec: OperationSpec, data: TaskData): string[] {
	const declared = spec.wantedFromTask?.(data);
	if (declared && declared.length > 0) return declared;
	return spec.results.filter((result) => entriesOf(data[result.field], [result.field]).length > 0).map((result) => result.field);
}

/** Reads a task of `spec`'s endpoint by ID; when it is done, returns its result like the operation. */
export async function runGetTask(
	this: IExecuteFunctions,
	spec: OperationSpec,
	itemIndex: number,
	transport: Transport,
): Promise<INodeExecutionData[]> {
	const p = paramsFor(this, itemIndex);
	const options = operationOptions.call(this, spec, itemIndex);
	const taskId = String(p.get('taskId', '')).trim();
	if (!taskId) {
		throw inputError(this.getNode(), 'The field "Task ID" is empty', 'Map the task_id of an async result, e.g. {{ $json.task_id }}.', itemIndex);
	}
	if (!/^[\w-]{1,128}$/.test(taskId)) {
		throw inputError(
			this.getNode(),
			`The field "Task ID" does not look like a PicWish task ID: "${taskId.slice(0, 80)}"`,
			'A task ID is letters, digits and dashes, like 5d7a8bb7-97aa-4e57-a22d-7620b08ded8e.',
			itemIndex,
		);
	}
	let result = await readTaskById.call(this, transport, spec, taskId, itemIndex);
	if (!isFinalState(result.data.state)) {
		if (!options.waitForCompletion) return [{ json: result.data, pairedItem: { item: itemIndex } }];
		result = await waitForTask.call(this, transport, spec, taskId, options, itemIndex, { firstPollDelayMs: options.pollIntervalMs });
	}
	const wanted = wantedFromTask(spec, result.data);
	if (wanted.length === 0) {
		throw apiError(
			this.getNode(),
			{
				message: 'PicWish finished the task but it holds no result',
				description: 'Check "Task Made By": it must be the operation that created this task. Otherwise run the item again.',
				state: Number(result.data.state),
				taskId,
			},
			itemIndex,
		);
	}
	return await buildResultItems.call(this, transport, result, spec.results, {
		returnType: p.get<ReturnType>('returnType', 'binary'),
		outputBinaryPropertyName: options.outputBinaryPropertyName,
		maskBinaryPropertyName: options.maskBinaryPropertyName,
		baseFileName: `picwish-${taskId}`,
		wanted,
		itemPerResult: spec.itemPerResult,
		refresh: async () => await readTaskById.call(this, transport, spec, taskId, itemIndex),
	}, itemIndex);
}
