/**
 * The one place that decides what an API answer means: a success, a failure worth another try, or a
 * final failure. PicWish puts an error code in the HTTP status OR in the JSON `status` (vendor: "Http
 * status 或 Json status"), and a proxy in front of it may answer with an HTML page: all are read alike.
 */
import { sniffImageKind } from '../helpers/imageInfo';
import type { ApiEnvelope, RawResponse } from '../helpers/interfaces';
import { isRetryableStatus } from './retry';

/** What the request may get back: JSON only, or (return_type 3) the picture's bytes as well. */
export type Accept = 'json' | 'jsonOrImage';

export type Verdict =
	| { kind: 'ok'; statusCode: number; envelope: ApiEnvelope }
	| { kind: 'ok'; statusCode: number; image: Buffer }
	| {
			kind: 'retry' | 'fail';
			/** The code that decided: the HTTP status, or the JSON status when HTTP said 200. */
			status: number;
			/** Where that code came from, for messages. */
			source: 'http' | 'json';
			/** The API's own `message`, when the answer was JSON. */
			apiMessage?: string;
			/** The start of a non-JSON answer (an HTML error page), for messages. */
			page?: string;
	  };

function headerText(response: RawResponse, name: string): string {
	const value = response.headers[name];
	return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : '';
}

export function parseEnvelope(body: Buffer): ApiEnvelope | undefined {
	if (body.length === 0 || body.length > 64 * 1024 * 1024) return undefined;
	try {
		const parsed: unknown = JSON.parse(body.toString('utf8'));
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ApiEnvelope) : undefined;
	} catch {
		return undefined;
	}
}

/** The first words of a page, without markup: "502 Bad Gateway nginx". */
export function pageText(body: Buffer): string {
	return body
		.toString('utf8', 0, 2000)
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 160);
}

export function classifyAnswer(response: RawResponse, accept: Accept): Verdict {
	const { statusCode, body } = response;
	const contentType = headerText(response, 'content-type');
	if (
		accept === 'jsonOrImage' &&
		statusCode >= 200 &&
		statusCode < 300 &&
		!/json|text|html/i.test(contentType) &&
		sniffImageKind(body)
	) {
		return { kind: 'ok', statusCode, image: body };
	}
	const envelope = parseEnvelope(body);
	const jsonStatus = typeof envelope?.status === 'number' ? envelope.status : Number(envelope?.status);
	const apiMessage = typeof envelope?.message === 'string' ? envelope.message : undefined;

	if (statusCode >= 300 || !envelope) {
		// An HTTP error, a redirect we do not follow, or an answer that is not JSON at all.
		const status = statusCode >= 300 ? statusCode : Number.isFinite(jsonStatus) && jsonStatus >= 400 ? jsonStatus : statusCode;
		const verdict = { status, source: 'http' as const, apiMessage, page: envelope ? undefined : pageText(body) };
		if (statusCode >= 300 && isRetryableStatus(statusCode)) return { kind: 'retry', ...verdict };
		return { kind: 'fail', ...verdict };
	}
	if (Number.isFinite(jsonStatus) && jsonStatus >= 400) {
		const verdict = { status: jsonStatus, source: 'json' as const, apiMessage };
		return isRetryableStatus(jsonStatus) ? { kind: 'retry', ...verdict } : { kind: 'fail', ...verdict };
	}
	return { kind: 'ok', statusCode, envelope };
}
