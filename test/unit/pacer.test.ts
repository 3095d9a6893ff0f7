import { sleep } from 'n8n-workflow';

import { Pacer, pacerFor, shareKey } from '../../nodes/PicWish/transport/pacer';

/** A seeded stand-in for Math.random, so jitter is the same on every run. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

async function startTimes(pacer: Pacer, count: number): Promise<number[]> {
	const origin = Date.now();
	const starts: number[] = [];
	await Promise.all(
		Array.from({ length: count }, async () => {
			await pacer.acquire();
			starts.push(Date.now() - origin);
		}),
	);
	return starts.sort((a, b) => a - b);
}

describe('pacer on its own (real clock)', () => {
	it('never lets more than qps requests start within one window', async () => {
		const pacer = new Pacer(20);
		const starts = await startTimes(pacer, 50);
		for (let index = 20; index < starts.length; index++) {
			// The 21st start after any start must be at least one window (1 s + guard) later.
			expect(starts[index] - starts[index - 20]).toBeGreaterThanOrEqual(1000);
		}
	});

	it('serves callers in the order they asked', async () => {
		const pacer = new Pacer(50);
		const order: number[] = [];
		await Promise.all(
			[0, 1, 2, 3, 4, 5].map(async (n) => {
				await pacer.acquire();
				order.push(n);
			}),
		);
		expect(order).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('holds everyone back for a Retry-After', async () => {
		const pacer = new Pacer(50);
		await pacer.acquire();
		pacer.penalize(300);
		const started = Date.now();
		await pacer.acquire();
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

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
});

describe('pacer: telling its own 429s from contention (fake clock)', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
	afterEach(() => jest.useRealTimers());

	/** Starts `count` requests as callers do, advancing the fake clock; returns their start times and slots. */
	async function run(pacer: Pacer, count: number, stepMs = 20): Promise<Array<{ at: number; slot: number }>> {
		const origin = Date.now();
		const out: Array<{ at: number; slot: number }> = [];
		const all = Promise.all(
			Array.from({ length: count }, async () => {
				const slot = await pacer.acquire();
				out.push({ at: Date.now() - origin, slot });
			}),
		);
		let done = false;
		void all.then(() => (done = true));
		while (!done) await jest.advanceTimersByTimeAsync(stepMs);
		return out.sort((a, b) => a.at - b.at);
	}

	it('a 429 that its own starts explain (cold start, one process) widens the guard and keeps the full rate', async () => {
		const pacer = new Pacer(2, { random: seeded(1) });
		const starts = await run(pacer, 3);
		const calm = pacer.windowMs;
		// The third request came back 429: the first two of ours were in its second.
		pacer.penalize(undefined, starts[2].slot);
		expect(pacer.windowMs).toBeGreaterThan(calm);
		expect(pacer.currentRate).toBe(2);
		expect(pacer.stats.own429s).toBe(1);
		for (let index = 0; index < 5; index++) pacer.reward();
		expect(pacer.windowMs).toBe(calm);
	});

	it('a 429 its own starts cannot explain (another process used the key) halves the rate', async () => {
		const pacer = new Pacer(2, { random: seeded(2) });
		const [first] = await run(pacer, 1);
		pacer.penalize(undefined, first.slot);
		expect(pacer.stats.contention429s).toBe(1);
		expect(pacer.currentRate).toBe(1);
		// At half the rate: one start per two slots of the shared grid (1025 ms / 2 each).
		const starts = await run(pacer, 4);
		for (let index = 1; index < starts.length; index++) {
			expect(starts[index].at - starts[index - 1].at).toBeGreaterThanOrEqual(1025 - 40);
			expect(starts[index].at - starts[index - 1].at).toBeLessThanOrEqual(1025 + 40);
		}
	});

	it('grants extra attempts to 429s only while other processes share the key', async () => {
		const pacer = new Pacer(2, { random: seeded(7) });
		const starts = await run(pacer, 3);
		pacer.penalize(undefined, starts[2].slot);
		expect(pacer.extraRetriesFor429()).toBe(0);
		const lone = new Pacer(2, { random: seeded(8) });
		const [first] = await run(lone, 1);
		lone.penalize(undefined, first.slot);
		// One refusal is not yet sustained contention.
		expect(lone.extraRetriesFor429()).toBe(0);
		await jest.advanceTimersByTimeAsync(2500);
		const [later] = await run(lone, 1);
		lone.penalize(undefined, later.slot);
		expect(lone.extraRetriesFor429()).toBeGreaterThan(0);
		await jest.advanceTimersByTimeAsync(61_000);
		expect(lone.extraRetriesFor429()).toBe(0);
	});

	it('counts the 429s of requests that left before a cut only once', async () => {
		const pacer = new Pacer(2, { random: seeded(3) });
		const starts = await run(pacer, 2);
		pacer.penalize(undefined, starts[0].slot);
		pacer.penalize(undefined, starts[1].slot);
		expect(pacer.stats.cuts).toBe(1);
		expect(pacer.currentRate).toBe(1);
	});

	it('below the full rate a first collision moves its slot and keeps the rate; a second one cuts it', async () => {
		const pacer = new Pacer(2, { sharedProcesses: 2, random: seeded(4) });
		for (let index = (await run(pacer, 4)).length; index > 0; index--) pacer.reward();
		const [collided] = await run(pacer, 1);
		pacer.penalize(undefined, collided.slot);
		expect(pacer.currentRate).toBe(1);
		expect(pacer.stats.cuts).toBe(0);
		const [again] = await run(pacer, 1);
		pacer.penalize(undefined, again.slot);
		expect(pacer.stats.cuts).toBe(1);
		expect(pacer.currentRate).toBeCloseTo(2 / 3);
	});

	it('"3 processes share this key" starts at a third of the QPS, on every third slot of the grid', async () => {
		const pacer = new Pacer(2, { sharedProcesses: 3, random: seeded(5) });
		expect(pacer.currentRate).toBeCloseTo(2 / 3);
		const starts = await run(pacer, 4);
		for (let index = 1; index < starts.length; index++) {
			expect(Math.abs(starts[index].at - starts[index - 1].at - 1537.5)).toBeLessThanOrEqual(40);
		}
	});

	it('after a calm spell tries for twice the rate; a refused try doubles the calm before the next', async () => {
		const pacer = new Pacer(2, { sharedProcesses: 4, random: seeded(6) });
		expect(pacer.currentRate).toBe(0.5);
		// 30 s without a 429 (the share was set, so the first try waits that long).
		await jest.advanceTimersByTimeAsync(30_001);
		pacer.reward();
		expect(pacer.currentRate).toBe(1);
		expect(pacer.stats.probes).toBe(1);
		const [refused] = await run(pacer, 1);
		pacer.penalize(undefined, refused.slot);
		pacer.penalize(undefined, (await run(pacer, 1))[0].slot);
		expect(pacer.currentRate).toBeLessThan(1);
		// The next try only after twice the calm.
		await jest.advanceTimersByTimeAsync(31_000);
		pacer.reward();
		expect(pacer.stats.probes).toBe(1);
		await jest.advanceTimersByTimeAsync(30_000);
		pacer.reward();
		expect(pacer.stats.probes).toBe(2);
	});

	it('a process refused again and again spends its retry budget and then backs off with jitter', async () => {
		const pacer = new Pacer(2, { random: () => 0.999 });
		const waits: number[] = [];
		for (let round = 0; round < 10; round++) {
			const [start] = await run(pacer, 1);
			waits.push(start.at);
			pacer.penalize(undefined, start.slot);
		}
		// Six tokens: the first refusals retry at the pace, the later ones wait seconds, growing.
		expect(pacer.stats.budget).toBeLessThan(0);
		expect(Math.max(...waits.slice(0, 5))).toBeLessThan(4000);
		expect(waits[9]).toBeGreaterThan(waits[6]);
		expect(waits[9]).toBeGreaterThanOrEqual(7000);
	});
});

describe('pacers of several processes sharing one key (fake clock, a rolling-second limiter)', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
	afterEach(() => jest.useRealTimers());

	/**
	 * `processes` pacers (n8n workers) send `perProcess` requests each, 10 at a time, to a server
	 * that accepts at most 2 in any rolling second and answers 429 otherwise. Returns the 429 count.
	 */
	async function shareKeyAcross(processes: number, perProcess: number, sharedProcesses: number, seed: number) {
		const random = seeded(seed);
		const accepted: number[] = [];
		let refused = 0;
		let sent = 0;
		const worker = async (index: number) => {
			const pacer = new Pacer(2, { sharedProcesses, random });
			let left = perProcess;
			const lane = async () => {
				while (left > 0) {
					left--;
					for (;;) {
						const slot = await pacer.acquire();
						await sleep(5 + index * 3 + random() * 20);
						const now = Date.now();
						sent++;
						while (accepted.length > 0 && accepted[0] <= now - 1000) accepted.shift();
						if (accepted.length < 2) {
							accepted.push(now);
							await sleep(1200);
							pacer.reward();
							break;
						}
						refused++;
						pacer.penalize(undefined, slot);
					}
				}
			};
			await Promise.all(Array.from({ length: 10 }, lane));
		};
		const started = Date.now();
		let done = false;
		void Promise.all(Array.from({ length: processes }, (_, index) => worker(index))).then(() => (done = true));
		while (!done) await jest.advanceTimersByTimeAsync(50);
		return { refused, sent, seconds: (Date.now() - started) / 1000 };
	}

	it('three processes told they share the key settle on different slots: few 429s, near the limit', async () => {
		const { refused, sent, seconds } = await shareKeyAcross(3, 20, 3, 11);
		expect(refused / sent).toBeLessThan(0.1);
		// 60 requests at 2/s take 30 s at best; a third of the key each is 0.9 of it with the headroom of the grid.
		expect(seconds).toBeLessThan(45);
	});

	it('a single process keeps the full rate (no contention to find)', async () => {
		const { refused, seconds } = await shareKeyAcross(1, 60, 1, 12);
		expect(refused).toBeLessThanOrEqual(1);
		expect(seconds).toBeLessThan(33);
	});
});

describe('pacerFor', () => {
	it('gives one pacer per key and takes the share recorded from the credential', () => {
		shareKey('host|cred-a', 3);
		const a = pacerFor('host|cred-a', 2);
		expect(pacerFor('host|cred-a', 2)).toBe(a);
		expect(a.currentRate).toBeCloseTo(2 / 3);
		const b = pacerFor('host|cred-b', 2);
		expect(b).not.toBe(a);
		expect(b.currentRate).toBe(2);
	});
});
