/**
 * The one place that talks HTTP. API calls go through `httpRequestWithAuthentication` (n8n adds the
 * X-API-KEY), paced by the key's QPS and retried on 429/5xx/network failures. Result downloads go
 * to the storage host through plain `httpRequest`: the key is never sent there.
 */
import type { IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { apiError, httpFailureInfo } from '../helpers/errors';
import type { RawResponse } from '../helpers/interfaces';
import { classifyAnswer } from './answers';
import type { Accept, Verdict } from './answers';
import type { Pacer } from './pacer';
import { pacerFor } from './pacer';
import { backoffDelay, parseRetryAfter } from './retry';
import { TICKET_HEADER, issueTicket, redeemTicket } from './sendGate';

/** Where the engine runs: an action node's execution, or a trigger's webhook call. */
export type ApiContext = IExecuteFunctions | IWebhookFunctions;

export interface Transport {
	baseUrl: string;
	pacer: Pacer;
	maxRetries: number;
	requestTimeoutMs: number;
}

/** The API client for one run: the host, the key's shared pacer, and the run's retry and timeout options. */
export function transportFor(
	host: { baseUrl: string; keyId: string },
	options: { maxRequestsPerSecond: number; maxRetries: number; requestTimeoutSeconds: number },
): Transport {
	return {
		baseUrl: host.baseUrl,
		// One pacer per key in this process: every node and execution using the key shares its QPS.
		pacer: pacerFor(host.keyId, options.maxRequestsPerSecond),
		maxRetries: options.maxRetries,
		requestTimeoutMs: options.requestTimeoutSeconds * 1000,
	};
}

export interface ApiCall {
	method: IHttpRequestMethods;
	path: string;
	body?: Buffer;
	contentType?: string;
	/** `jsonOrImage` for a create call that asked for the picture's bytes (return_type 3). */
	accept?: Accept;
	/** Named in messages about this call. */
	taskId?: string;
}

/** A successful answer: the JSON envelope, or the picture itself. */
export type ApiAnswer = Extract<Verdict, { kind: 'ok' }>;

function isCancelled(context: ApiContext): boolean {
	return 'getExecutionCancelSignal' in context && context.getExecutionCancelSignal?.()?.aborted === true;
}

/** What a failed connection was, in words: "ECONNREFUSED", "timeout of 60000ms exceeded", … */
export function networkReason(error: unknown): string {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const { code } = current as { code?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return error instanceof Error ? error.message : String(error);
}

/**
 * Sends one API call, waiting for a pacer slot before each attempt. 429 and 5xx — in the HTTP status
 * or in the JSON `status`, or a proxy's error page — are retried and slow the pacer; anything else
 * that is not a success throws the item's error. Returns the successful answer.
 */
export async function apiRequest(
	this: ApiContext,
	transport: Transport,
	call: ApiCall,
	itemIndex: number,
): Promise<ApiAnswer> {
	const accept = call.accept ?? 'json';
	const options: IHttpRequestOptions = {
		method: call.method,
		url: `${transport.baseUrl}${call.path}`,
		headers: {
			Accept: accept === 'json' ? 'application/json' : 'application/json, image/*',
			...(call.contentType ? { 'Content-Type': call.contentType } : {}),
		},
		body: call.body,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// The key rides on every API request; a redirect could carry it elsewhere, so follow none.
		disableFollowRedirect: true,
		timeout: transport.requestTimeoutMs,
	};

	for (let attempt = 0; ; attempt++) {
		const granted = await transport.pacer.acquire();
		// The credential's authenticate() checks the slot is still on time once n8n has loaded the key.
		const ticket = issueTicket(transport.pacer, granted);
		let slot = granted;
		let response: RawResponse;
		try {
			const answer = (await this.helpers.httpRequestWithAuthentication.call(this, 'picWishApi', {
				...options,
				headers: { ...options.headers, [TICKET_HEADER]: ticket },
			})) as { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
			slot = redeemTicket(ticket, granted);
			response = {
				statusCode: answer.statusCode,
				headers: answer.headers ?? {},
				body: toBuffer(answer.body),
			};
		} catch (error) {
			slot = redeemTicket(ticket, granted);
			// No answer, but the request has left (or never will): the pacer need not wait for it.
			transport.pacer.settle(slot);
			if (isCancelled(this) || attempt >= transport.maxRetries) {
				throw apiError(
					this.getNode(),
					{
						message: `Could not reach PicWish at ${transport.baseUrl} (${networkReason(error)})`,
						description:
							'Check the PicWish credential\'s region or base URL and the network of your n8n server. The request was tried ' +
							`${attempt + 1} time(s).`,
						taskId: call.taskId,
					},
					itemIndex,
				);
			}
			await sleep(backoffDelay(attempt + 1));
			continue;
		}

		const verdict = classifyAnswer(response, accept);
		if (verdict.kind === 'ok') {
			transport.pacer.reward(slot);
			return verdict;
		}
		if (verdict.status !== 429) transport.pacer.settle(slot);
		// Under contention with other n8n processes, a 429 (HTTP or JSON) is a wait for a slot: the pacer
		// grants more attempts.
		const attempts = verdict.status === 429 ? transport.maxRetries + transport.pacer.extraRetriesFor429() : transport.maxRetries;
		if (verdict.kind === 'fail' || attempt >= attempts || isCancelled(this)) {
			throw apiError(this.getNode(), httpFailureInfo(verdict, undefined, call.taskId), itemIndex);
		}
		if (verdict.status === 429) {
			const retryAfter = parseRetryAfter(response.headers['retry-after']);
			// The pacer owns the wait after a 429: rate cut, full jitter, retry budget.
			transport.pacer.penalize(retryAfter, slot);
		} else {
			await sleep(backoffDelay(attempt + 1));
		}
	}
}

export function toBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (body === undefined || body === null) return Buffer.alloc(0);
	return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

export type DownloadOutcome =
	| { ok: true; bytes: Buffer; contentType?: string }
	| { ok: false; statusCode: number; body: string };

/**
 * Downloads a result from the storage host, without the API key. Storage is not rate limited, so
 * no pacer; network failures and 5xx are retried, a refusal (403: expired link) is returned.
 */
export async function downloadResult(
	this: ApiContext,
	transport: Transport,
	url: string,
	itemIndex: number,
): Promise<DownloadOutcome> {
	for (let attempt = 0; ; attempt++) {
		let answer: { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
		try {
			answer = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: transport.requestTimeoutMs,
				maxRedirects: 3,
			})) as typeof answer;
		} catch (error) {
			if (isCancelled(this) || attempt >= transport.maxRetries) {
				throw apiError(
					this.getNode(),
					{
						message: `Could not download the result from ${new URL(url).host} (${networkReason(error)})`,
						description:
							'The background was removed, but the download of the result failed. Run the item again, or use Return Type "URL" to download it yourself within one hour.',
					},
					itemIndex,
				);
			}
			await sleep(backoffDelay(attempt + 1));
			continue;
		}
		const body = toBuffer(answer.body);
		if (answer.statusCode >= 200 && answer.statusCode < 300) {
			const contentType = answer.headers?.['content-type'];
			return { ok: true, bytes: body, contentType: typeof contentType === 'string' ? contentType : undefined };
		}
		if (answer.statusCode < 500 || attempt >= transport.maxRetries) {
			return { ok: false, statusCode: answer.statusCode, body: body.toString('utf8', 0, 2000) };
		}
		await sleep(backoffDelay(attempt + 1));
	}
}
