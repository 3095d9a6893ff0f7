import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { presentTicket } from '../nodes/PicWish/transport/sendGate';

/** API hosts by region (vendor: global = Hong Kong, china = Shenzhen). */
export const API_HOSTS: Record<string, string> = {
	global: 'https://techhk.aoscdn.com',
	china: 'https://techsz.aoscdn.com',
};

export class PicWishApi implements ICredentialType {
	name = 'picWishApi';

	displayName = 'PicWish API';

	icon: Icon = { light: 'file:../icons/picwish.svg', dark: 'file:../icons/picwish.dark.svg' };

	documentationUrl = 'https://github.com/picwish-n8n/n8n-nodes-picwish#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your PicWish API key (sent as the X-API-KEY header), from the PicWish developer console',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{
					name: 'Global (techhk.aoscdn.com)',
					value: 'global',
				},
				{
					name: 'Mainland China (techsz.aoscdn.com)',
					value: 'china',
				},
				{
					name: 'Custom Base URL',
					value: 'custom',
				},
			],
			default: 'global',
			description: 'Which PicWish API host to use: the one your key was issued for',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8787',
			description: 'Address of a PicWish-compatible API, e.g. a proxy or a local simulator',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'N8n Processes Sharing This Key',
			name: 'sharedProcesses',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
			default: 1,
			description:
				'How many n8n processes send requests with this key at the same time, e.g. the number of workers in queue mode. Each process starts as one of that many and takes its share of the rate limit. With 1, a single n8n runs at the full rate, and up to three processes find their shares from the rate-limit answers they get; set it for four or more.',
		},
	];

	/**
	 * Adds the X-API-KEY header. n8n calls this after it has loaded the credential, right before it
	 * sends: the node's requests check here that their rate-limit slot is still on time (see
	 * nodes/PicWish/transport/sendGate.ts).
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const options = await presentTicket(requestOptions);
		return { ...options, headers: { ...options.headers, 'X-API-KEY': String(credentials.apiKey ?? '') } };
	}

	// Reading a task that cannot exist costs nothing: a working key gets PicWish's JSON answer "not
	// found". Every other answer fails the test: a wrong key (401), rate limiting (429), a server or
	// proxy error (5xx, in the HTTP status or the JSON), and anything that is not PicWish's JSON
	// envelope at all (an HTML page: no `status` in it).
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.region === "custom" ? String($credentials.baseUrl).replace(/\\/+$/, "") : $credentials.region === "china" ? "https://techsz.aoscdn.com" : "https://techhk.aoscdn.com" }}',
			url: '/api/tasks/visual/segmentation/n8n-credential-test',
			method: 'GET',
			ignoreHttpStatusErrors: true,
			json: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status',
					value: 401,
					message:
						'PicWish rejected this API key (HTTP 401): the key is wrong, or the service is not enabled for the account',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status',
					value: 429,
					message: 'PicWish is rate limiting this key right now (HTTP 429): wait a second and test again',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status',
					value: 403,
					message: 'PicWish refused the request (HTTP 403): check the key and the region',
				},
			},
			...[500, 502, 503, 504].map((status) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'status',
					value: status,
					message: `PicWish (or a proxy in front of it) answered with a server error (HTTP ${status}): try again later`,
				},
			})),
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status',
					value: undefined,
					message:
						'The Base URL did not answer like the PicWish API (no JSON status in the answer, e.g. an HTML page): check Region and Base URL',
				},
			},
		],
	};
}
