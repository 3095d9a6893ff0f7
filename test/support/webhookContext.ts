/**
 * A stand-in for n8n's IWebhookFunctions, for the PicWish Trigger: one incoming call (body, query,
 * headers), the node's parameters, the workflow's static data, and an Express-like response that
 * records what was answered. HTTP to PicWish goes through the same axios-backed helpers as the
 * action node's test context (so nock sees it and the key is added the way n8n adds it).
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { createContext } from './executeContext';
import type { RecordedRequest } from './executeContext';

export interface WebhookCall {
	body?: unknown;
	query?: IDataObject;
	headers?: Record<string, string>;
	method?: 'POST' | 'GET';
}

export interface WebhookContextOptions {
	parameters?: IDataObject;
	/** Shared between calls to model the workflow's saved static data. */
	staticData?: IDataObject;
	workflowId?: string;
	credentialId?: string;
}

export interface RecordedAnswer {
	status?: number;
	body?: unknown;
}

export function createWebhookContext(call: WebhookCall, options: WebhookContextOptions = {}) {
	const base = createContext({ credentialId: options.credentialId });
	const execute = base.context as unknown as {
		helpers: IDataObject;
		getCredentials: () => Promise<IDataObject>;
	};
	const staticData = options.staticData ?? {};
	const parameters: IDataObject = { secret: 'correct-horse-battery-staple', taskType: 'removeBackground', returnType: 'binary', options: {}, ...options.parameters };
	const node = { ...base.node, name: 'PicWish Trigger', type: 'n8n-nodes-picwish.picWishTrigger' };
	const answer: RecordedAnswer = {};
	const response = {
		status(code: number) {
			answer.status = code;
			return response;
		},
		json(body: unknown) {
			answer.body = body;
			return response;
		},
	};
	const context = {
		getNode: () => node,
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-1', name: 'callbacks', active: true }),
		getMode: () => 'webhook',
		getNodeParameter: (name: string, fallback?: unknown) => (parameters[name] === undefined ? fallback : parameters[name]),
		getCredentials: execute.getCredentials,
		getWorkflowStaticData: () => staticData,
		getBodyData: () => call.body ?? {},
		getQueryData: () => call.query ?? {},
		getHeaderData: () => Object.fromEntries(Object.entries(call.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value])),
		getRequestObject: () => ({ method: call.method ?? 'POST', body: call.body, query: call.query ?? {} }),
		getResponseObject: () => response,
		helpers: execute.helpers,
		logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
	} as unknown as IWebhookFunctions;
	return { context, answer, staticData, requests: base.requests as RecordedRequest[] };
}
