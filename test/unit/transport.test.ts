import { sleep } from 'n8n-workflow';

import { mapWithConcurrency } from '../../nodes/PicWish/helpers/concurrency';
import { backoffDelay, fullJitter, isRetryableStatus, parseRetryAfter } from '../../nodes/PicWish/transport/retry';

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

	it('full jitter draws a wait anywhere in [0, cap], and none without a cap', () => {
		expect(fullJitter(1000, () => 0)).toBe(0);
		expect(fullJitter(1000, () => 0.5)).toBe(500);
		expect(fullJitter(1000, () => 0.999)).toBe(999);
		expect(fullJitter(0, () => 0.5)).toBe(0);
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
