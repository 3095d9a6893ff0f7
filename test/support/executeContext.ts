/**
 * A stand-in for n8n's IExecuteFunctions, close to what n8n really does where the node depends on
 * it: HTTP goes through axios (so nock sees it) with n8n's option mapping, httpRequestWithAuthentication
 * lets the credential type's authenticate() add the X-API-KEY header and wraps failures in
 * NodeApiError, binary data is kept as base64 the way n8n's default mode does.
 */
import axios from 'axios';
import type { AxiosRequestConfig } from 'axios';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { PicWishApi } from '../../credentials/PicWishApi.credentials';

export interface ContextOptions {
	items?: INodeExecutionData[];
	parameters?: IDataObject | ((name: string, itemIndex: number) => unknown);
	credentials?: IDataObject;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	credentialId?: string;
}

export interface RecordedRequest {
	url: string;
	method: string;
	headers: Record<string, string>;
	authenticated: boolean;
}

let credentialCounter = 0;

export function binaryItem(bytes: Buffer, fileName = 'photo.jpg', mimeType = 'image/jpeg', property = 'data'): INodeExecutionData {
	return {
		json: { name: fileName },
		binary: { [property]: { data: bytes.toString('base64'), mimeType, fileName, fileExtension: fileName.split('.').pop() } },
	};
}

export function createContext(options: ContextOptions = {}) {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const credentials: IDataObject = options.credentials ?? {
		apiKey: 'test-key',
		region: 'custom',
		baseUrl: 'http://picwish.test',
	};
	// A fresh credential id per context keeps each test's pacer (rate limiter) to itself.
	const credentialId = options.credentialId ?? `cred-${++credentialCounter}`;
	const node: INode = {
		id: 'node-1',
		name: 'PicWish',
		type: 'n8n-nodes-picwish.picWish',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { picWishApi: { id: credentialId, name: 'PicWish account' } },
		onError: options.onError,
	};
	const requests: RecordedRequest[] = [];

	const getParameter = (name: string, itemIndex: number, fallback?: unknown): unknown => {
		const source = options.parameters;
		const value = typeof source === 'function' ? source(name, itemIndex) : source?.[name];
		return value === undefined ? fallback : value;
	};

	async function httpRequest(request: IHttpRequestOptions, authenticated = false): Promise<unknown> {
		const headers = { ...(request.headers as Record<string, string>) };
		requests.push({ url: request.url, method: request.method ?? 'GET', headers, authenticated });
		const config: AxiosRequestConfig = {
			url: request.url,
			method: request.method ?? 'GET',
			headers,
			data: request.body,
			responseType: request.encoding as AxiosRequestConfig['responseType'],
			timeout: request.timeout,
			maxRedirects: request.disableFollowRedirect ? 0 : (request.maxRedirects ?? 21),
			validateStatus: request.ignoreHttpStatusErrors ? () => true : (status) => status < 400,
		};
		const response = await axios.request(config);
		if (request.returnFullResponse) {
			return {
				body: response.data,
				headers: response.headers,
				statusCode: response.status,
				statusMessage: response.statusText,
			};
		}
		return response.data;
	}

	const context = {
		getInputData: () => items,
		getNode: () => node,
		getNodeParameter: getParameter,
		continueOnFail: () => node.onError === 'continueRegularOutput' || node.onError === 'continueErrorOutput',
		getCredentials: async () => credentials,
		getExecutionCancelSignal: () => undefined,
		helpers: {
			httpRequest: async (request: IHttpRequestOptions) => await httpRequest(request),
			httpRequestWithAuthentication: async function (_type: string, request: IHttpRequestOptions) {
				try {
					// As n8n does: the credential type's authenticate() makes the request it sends.
					return await httpRequest(await new PicWishApi().authenticate(credentials as ICredentialDataDecryptedObject, request), true);
				} catch (error) {
					throw new NodeApiError(node, error as never);
				}
			},
			getBinaryDataBuffer: async (itemIndex: number, property: string) =>
				Buffer.from(items[itemIndex].binary![property].data, 'base64'),
			prepareBinaryData: async (bytes: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> => ({
				data: bytes.toString('base64'),
				mimeType: mimeType ?? 'application/octet-stream',
				fileName,
				fileExtension: fileName?.split('.').pop(),
				fileSize: String(bytes.length),
			}),
		},
	} as unknown as IExecuteFunctions;

	return { context, requests, node };
}
