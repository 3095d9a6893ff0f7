import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { PicWishApi } from '../../credentials/PicWishApi.credentials';
import { apiRequest, transportFor } from '../../nodes/PicWish/transport';
import { Pacer } from '../../nodes/PicWish/transport/pacer';
import { TICKET_HEADER, issueTicket, redeemTicket } from '../../nodes/PicWish/transport/sendGate';

const credentials = { apiKey: 'key-1' } as ICredentialDataDecryptedObject;

describe('the credential type adds the key (n8n calls authenticate() right before it sends)', () => {
	it('adds X-API-KEY and keeps the other headers; without a ticket nothing waits', async () => {
		const options: IHttpRequestOptions = { url: 'https://techhk.aoscdn.com/api/tasks/visual/segmentation', headers: { Accept: 'application/json' } };
		const sent = await new PicWishApi().authenticate(credentials, options);
		expect(sent.headers).toEqual({ Accept: 'application/json', 'X-API-KEY': 'key-1' });
		expect(sent.url).toBe(options.url);
	});

	it('removes the ticket header, whatever its case, so it never reaches PicWish', async () => {
		const pacer = new Pacer(50);
		const slot = await pacer.acquire();
		const ticket = issueTicket(pacer, slot);
		for (const name of [TICKET_HEADER, TICKET_HEADER.toLowerCase()]) {
			const sent = await new PicWishApi().authenticate(credentials, { url: 'https://x.test/', headers: { [name]: ticket, Accept: '*/*' } });
			expect(sent.headers).toEqual({ Accept: '*/*', 'X-API-KEY': 'key-1' });
		}
		expect(redeemTicket(ticket, slot)).toBe(slot);
	});
});

describe('a request still waiting to leave well after its slot takes a new one', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
	afterEach(() => jest.useRealTimers());

	/** Advances the fake clock until `promise` settles; resolves to its value and the time it took. */
	async function settled<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
		const started = Date.now();
		let done = false;
		void promise.then(() => (done = true));
		while (!done) await jest.advanceTimersByTimeAsync(1);
		return { value: await promise, ms: Date.now() - started };
	}

	it('onTime keeps a slot that is on time and replaces a late one, giving its place in the window back', async () => {
		const pacer = new Pacer(2);
		// Past scouting and the first rounds: free-running, two starts per window.
		for (let warm = 0; warm < 8; warm++) pacer.reward((await settled(pacer.acquire())).value);
		await jest.advanceTimersByTimeAsync(1100);
		const onTime = (await settled(pacer.acquire())).value;
		await jest.advanceTimersByTimeAsync(10);
		expect((await settled(pacer.onTime(onTime))).value).toBe(onTime);

		const late = (await settled(pacer.acquire())).value;
		// The window is full (two starts). The credential took 0.4 s to load: the late slot is given
		// back and a new one granted at once, as the window no longer counts the start that never left.
		await jest.advanceTimersByTimeAsync(400);
		const renewed = await settled(pacer.onTime(late));
		expect(renewed.value).not.toBe(late);
		expect(renewed.ms).toBeLessThanOrEqual(1);
		expect(pacer.stats.lateSends).toBe(1);
		// The next start waits for the window of the first one only.
		const next = await settled(pacer.acquire());
		expect(next.ms).toBeGreaterThan(500);
	});
});

describe('apiRequest with a slow credential load (real clock)', () => {
	it('a request held 0.4 s before it leaves goes in a new slot: the server never sees more than QPS in a rolling second', async () => {
		const sentAt: number[] = [];
		let calls = 0;
		const context = {
			getNode: () => ({ name: 'PicWish', type: 'n8n-nodes-picwish.picWish', typeVersion: 1, parameters: {}, id: 'n', position: [0, 0] }),
			getExecutionCancelSignal: () => undefined,
			helpers: {
				// As n8n does: load the credential (the second request's load is slow), authenticate, send.
				async httpRequestWithAuthentication(_type: string, request: IHttpRequestOptions) {
					if (++calls === 2) await sleep(400);
					const sent = await new PicWishApi().authenticate(credentials, request);
					expect(Object.keys(sent.headers ?? {})).not.toContain(TICKET_HEADER);
					sentAt.push(Date.now());
					return { statusCode: 200, headers: {}, body: Buffer.from('{"status":200,"data":{"task_id":"t"}}') };
				},
			},
		} as unknown as IExecuteFunctions;
		const transport = transportFor(
			{ baseUrl: 'https://techhk.aoscdn.com', keyId: `send-gate-${Date.now()}` },
			{ maxRequestsPerSecond: 2, maxRetries: 0, requestTimeoutSeconds: 5 },
		);
		await Promise.all(
			[0, 1, 2, 3].map(async (index) => await apiRequest.call(context, transport, { method: 'GET', path: `/api/tasks/visual/segmentation/${index}` }, index)),
		);
		sentAt.sort((a, b) => a - b);
		expect(sentAt).toHaveLength(4);
		// Any three sends span more than a second (two per second at most), the late one included.
		for (let index = 2; index < sentAt.length; index++) expect(sentAt[index] - sentAt[index - 2]).toBeGreaterThanOrEqual(1000);
		expect(transport.pacer.stats.lateSends).toBe(1);
	});
});
