import { sleep } from 'n8n-workflow';

import { mapWithConcurrency } from '../../nodes/PicWish/helpers/concurrency';
import { Pacer } from '../../nodes/PicWish/transport/pacer';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from '../../nodes/PicWish/transport/retry';

describe('retry policy', () => {
	it('retries 429 and 5xx only', () => {
		expect([429, 500, 502, 503].every(isRetryableStatus)).toBe(true);
		expect([400, 401, 403, 404, 413].some(isRetryableStatus)).toBe(false);
	});

	it('reads Retry-After as seconds or as a date', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter(['1.5'], now)).toBe(1500);
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('backs off exponentially with jitter inside [ceiling/2, ceiling]', () => {
		expect(backoffDelay(1, () => 0)).toBe(250);
		expect(backoffDelay(1, () => 1)).toBe(500);
		expect(backoffDelay(3, () => 1)).toBe(2000);
		expect(backoffDelay(20, () => 1)).toBe(20000);
	});
});

describe('pacer', () => {
	it('never lets more than qps requests start within one window', async () => {
		const pacer = new Pacer(20);
		const starts: number[] = [];
		await Promise.all(Array.from({ length: 50 }, async () => {
			await pacer.acquire();
			starts.push(Date.now());
		}));
		starts.sort((a, b) => a - b);
		for (let index = 20; index < starts.length; index++) {
			// The 21st start after any start must be at least one window (1 s + guard) later.
			expect(starts[index] - starts[index - 20]).toBeGreaterThanOrEqual(1000);
		}
	});

	it('serves callers in the order they asked', async () => {
		const pacer = new Pacer(50);
		const order: number[] = [];
		await Promise.all([0, 1, 2, 3, 4, 5].map(async (n) => {
			await pacer.acquire();
			order.push(n);
		}));
		expect(order).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('holds everyone back for a Retry-After and widens its guard after a 429', async () => {
		const pacer = new Pacer(50);
		const before = pacer.windowMs;
		pacer.penalize(300);
		expect(pacer.windowMs).toBeGreaterThan(before);
		const started = Date.now();
		await pacer.acquire();
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});
});

describe('pacer timing (real clock)', () => {
	async function startTimes(pacer: Pacer, count: number): Promise<number[]> {
		const origin = Date.now();
		const starts: number[] = [];
		await Promise.all(Array.from({ length: count }, async () => {
			await pacer.acquire();
			starts.push(Date.now() - origin);
		}));
		return starts.sort((a, b) => a - b);
	}

	it('gives the first window after an idle spell a cold-start allowance, later windows only the guard', async () => {
		const pacer = new Pacer(2);
		const starts = await startTimes(pacer, 6);
		// Starts 0 and 1 at once; 2 and 3 one window + guard + the cold-start allowance later;
		// 4 and 5 one window + guard after those.
		expect(starts[1]).toBeLessThan(50);
		expect(starts[2]).toBeGreaterThanOrEqual(1100);
		expect(starts[4] - starts[2]).toBeGreaterThanOrEqual(1000);
		expect(starts[4] - starts[2]).toBeLessThan(1080);
	}, 10_000);

	it('recovers from a 429 within a few successful requests', () => {
		const pacer = new Pacer(2);
		const calm = pacer.windowMs;
		pacer.penalize();
		expect(pacer.windowMs).toBeGreaterThan(calm);
		for (let index = 0; index < 5; index++) pacer.reward();
		expect(pacer.windowMs).toBe(calm);
	});
});

describe('concurrency', () => {
	it('keeps results in item order and never runs more than the limit at once', async () => {
		let running = 0;
		let peak = 0;
		const outcomes = await mapWithConcurrency(20, 4, async (index) => {
			running++;
			peak = Math.max(peak, running);
			await sleep((20 - index) * 2);
			running--;
			return index * 10;
		});
		expect(peak).toBe(4);
		expect(outcomes.map((outcome) => (outcome?.ok ? outcome.value : undefined))).toEqual(
			Array.from({ length: 20 }, (_, index) => index * 10),
		);
	});

	it('starts no new item after a failure when asked to stop', async () => {
		const started: number[] = [];
		const outcomes = await mapWithConcurrency(10, 2, async (index) => {
			started.push(index);
			if (index === 1) throw new Error('boom');
			await sleep(5);
			return index;
		}, true);
		expect(outcomes[1]).toEqual({ ok: false, error: expect.any(Error) });
		expect(started.length).toBeLessThan(10);
		expect(Array.from(outcomes).filter((outcome) => outcome === undefined).length).toBe(10 - started.length);
	});
});
