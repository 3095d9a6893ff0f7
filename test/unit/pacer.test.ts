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

const ROUND_MS = 1050;

/** Start times of `count` requests that are answered at once (a success each). */
async function startTimes(pacer: Pacer, count: number): Promise<number[]> {
	const origin = Date.now();
	const starts: number[] = [];
	await Promise.all(
		Array.from({ length: count }, async () => {
			const slot = await pacer.acquire();
			starts.push(Date.now() - origin);
			pacer.reward(slot);
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
				const slot = await pacer.acquire();
				order.push(n);
				pacer.reward(slot);
			}),
		);
		expect(order).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('holds everyone back for a Retry-After', async () => {
		const pacer = new Pacer(50);
		pacer.reward(await pacer.acquire());
		await pacer.acquire();
		pacer.penalize(300);
		const started = Date.now();
		await pacer.acquire();
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});
});

describe('pacer: scouting, rounds and shares (fake clock)', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
	afterEach(() => jest.useRealTimers());

	/** Starts `count` requests as callers do, advancing the fake clock; returns their start times and slots. */
	async function run(pacer: Pacer, count: number, { answer = false, stepMs = 5 } = {}): Promise<Array<{ at: number; abs: number; slot: number }>> {
		const origin = Date.now();
		const out: Array<{ at: number; abs: number; slot: number }> = [];
		const all = Promise.all(
			Array.from({ length: count }, async () => {
				const slot = await pacer.acquire();
				out.push({ at: Date.now() - origin, abs: Date.now(), slot });
				if (answer) pacer.reward(slot);
			}),
		);
		let done = false;
		void all.then(() => (done = true));
		while (!done) await jest.advanceTimersByTimeAsync(stepMs);
		return out.sort((a, b) => a.at - b.at);
	}

	/** A pacer past scouting and its aligned rounds: free-running at the full rate. */
	async function warm(pacer: Pacer): Promise<void> {
		await run(pacer, 8, { answer: true });
		await jest.advanceTimersByTimeAsync(1100);
	}

	it('after an idle spell, until the first answer, a request waits for the answer to the one before (at most 0.6 s)', async () => {
		const pacer = new Pacer(2, { random: seeded(1) });
		const [scout] = await run(pacer, 1);
		let second: number | undefined;
		const asked = Date.now();
		void pacer.acquire().then(() => (second = Date.now()));
		await jest.advanceTimersByTimeAsync(400);
		expect(second).toBeUndefined();
		pacer.reward(scout.slot);
		await jest.advanceTimersByTimeAsync(ROUND_MS + 50);
		expect(second).toBeDefined();
		expect(second! - asked).toBeGreaterThanOrEqual(400);

		// An answer that does not come holds the next request 0.6 s, no longer.
		const slow = new Pacer(2, { random: seeded(2) });
		await run(slow, 1);
		const [next] = await run(slow, 1);
		expect(next.at).toBeGreaterThanOrEqual(600);
		expect(next.at).toBeLessThan(700);

		// Told it shares the key, a process waits for that answer up to 3 s: its share is smaller anyway.
		const shared = new Pacer(2, { sharedProcesses: 3, random: seeded(2) });
		await run(shared, 1);
		const [held] = await run(shared, 1);
		expect(held.at).toBeGreaterThanOrEqual(3000);
		expect(held.at).toBeLessThan(3000 + 3 * ROUND_MS);
	});

	it('after scouting, sends its first rounds at the start of the rounds every process shares, then at the full rate', async () => {
		const pacer = new Pacer(2, { random: seeded(3) });
		await run(pacer, 1, { answer: true });
		const starts = await run(pacer, 8, { answer: true });
		// Three rounds at round starts; the first holds one request, as the scout's window has not
		// passed. A process on its own takes the largest share, so it sends last in a round
		// (24–30 ms in): in a round that others use too, it is the one refused.
		const rounds = new Set(starts.slice(0, 5).map(({ abs }) => Math.floor(abs / ROUND_MS)));
		expect(rounds.size).toBe(3);
		for (const { abs } of starts.slice(0, 5)) {
			expect(abs % ROUND_MS).toBeGreaterThanOrEqual(24);
			expect(abs % ROUND_MS).toBeLessThanOrEqual(31);
		}
		// Then a pair per window of 1 s + the 25 ms guard, wherever the window ends.
		expect(starts[5].at - starts[4].at).toBeGreaterThanOrEqual(1025);
		expect(starts[5].at - starts[4].at).toBeLessThan(ROUND_MS);
		expect(starts[6].at).toBe(starts[5].at);
		expect(pacer.currentRate).toBe(2);
	});

	it('a 429 that its own starts explain (one process, timing) widens the guard and keeps the full rate', async () => {
		const pacer = new Pacer(2, { random: seeded(4) });
		await warm(pacer);
		const starts = await run(pacer, 3, { answer: false });
		const calm = pacer.windowMs;
		// The third request came back 429: our first two were still in its second.
		pacer.penalize(undefined, starts[2].slot);
		expect(pacer.windowMs).toBeGreaterThan(calm);
		expect(pacer.currentRate).toBe(2);
		expect(pacer.stats.own429s).toBe(1);
		for (let index = 0; index < 5; index++) pacer.reward();
		expect(pacer.windowMs).toBe(calm);
	});

	it('a refused scout (others sent the window\'s worth) means at least 2 others: 2 requests in every 3 rounds', async () => {
		const pacer = new Pacer(2, { random: seeded(5) });
		const [scout] = await run(pacer, 1);
		pacer.penalize(undefined, scout.slot);
		expect(pacer.stats.contention429s).toBe(1);
		expect(pacer.stats.processes).toBe(3);
		expect(pacer.stats.units.reduce((sum, units) => sum + units, 0)).toBe(2);
		expect(pacer.currentRate).toBeCloseTo(2000 / (3 * ROUND_MS));
		const starts = await run(pacer, 6, { answer: true });
		const rounds = starts.map(({ abs }) => Math.floor(abs / ROUND_MS));
		// One request per round, in 2 of every 3 rounds.
		expect(new Set(rounds).size).toBe(6);
		expect(rounds[5] - rounds[0]).toBeGreaterThanOrEqual(7);
		expect(rounds[5] - rounds[0]).toBeLessThanOrEqual(9);
	});

	it('one of a pair refused while the other went through: one other process, one request in every round', async () => {
		const pacer = new Pacer(2, { random: seeded(6) });
		await warm(pacer);
		const [, second] = await run(pacer, 2);
		pacer.penalize(undefined, second.slot);
		expect(pacer.stats.processes).toBe(2);
		expect(pacer.stats.units).toEqual([1, 1]);
		// With a request in every round, a refusal leaves nowhere to move to: one process more.
		const [next] = await run(pacer, 1);
		await jest.advanceTimersByTimeAsync(5 * ROUND_MS);
		pacer.penalize(undefined, next.slot);
		expect(pacer.stats.processes).toBe(3);
	});

	it('in rounds, a refusal moves its request to another round of the cycle; the share stays, the round that went through stays', async () => {
		const pacer = new Pacer(2, { sharedProcesses: 3, random: seeded(7) });
		const before = pacer.stats.units;
		expect(before.filter((units) => units === 1)).toHaveLength(2);
		const [first] = await run(pacer, 1, { answer: true });
		const [refused] = await run(pacer, 1);
		const from = Math.floor(refused.abs / ROUND_MS) % 3;
		const kept = Math.floor(first.abs / ROUND_MS) % 3;
		expect(from).not.toBe(kept);
		pacer.penalize(undefined, refused.slot);
		const after = pacer.stats.units;
		expect(pacer.stats.moves).toBe(1);
		expect(pacer.stats.processes).toBe(3);
		expect(after.reduce((sum, units) => sum + units, 0)).toBe(2);
		expect(after[from]).toBe(before[from] - 1);
		expect(after[kept]).toBeGreaterThanOrEqual(1);
		// It went to the round the process left free (room is likeliest there), not into a pair.
		expect(after[before.indexOf(0)]).toBe(1);
		expect(Math.max(...after)).toBe(1);
	});

	it('refused again in the round it moved to, it makes a pair in its other round instead of moving back', async () => {
		const pacer = new Pacer(2, { sharedProcesses: 3, random: seeded(15) });
		await run(pacer, 8, { answer: true });
		const position = (start: { abs: number }) => Math.floor(start.abs / ROUND_MS) % 3;
		/** The next request sent in a round at `wanted` of the cycle (the ones before it succeed). */
		const nextIn = async (wanted: number) => {
			for (let tries = 0; tries < 6; tries++) {
				const [start] = await run(pacer, 1);
				if (position(start) === wanted) return start;
				pacer.reward(start.slot);
			}
			throw new Error(`no request in round ${wanted} of the cycle`);
		};
		const before = pacer.stats.units;
		const free = before.indexOf(0);
		const from = (free + 1) % 3;
		const other = (free + 2) % 3;
		pacer.penalize(undefined, (await nextIn(from)).slot);
		expect(pacer.stats.units[free]).toBe(1);
		expect(pacer.stats.units[from]).toBe(0);
		// The round it moved to is full too (its requests come last there as well).
		pacer.penalize(undefined, (await nextIn(free)).slot);
		expect(pacer.stats.units[other]).toBe(2);
		expect(pacer.stats.units[from]).toBe(0);
		expect(pacer.stats.processes).toBe(3);
		expect(pacer.stats.moves).toBe(2);
	});

	it('in a round, a process that takes a larger share sends later, so an overfull round refuses it first', async () => {
		const offsets = async (sharedProcesses: number) => {
			const pacer = new Pacer(2, { sharedProcesses, random: seeded(14) });
			const starts = await run(pacer, 6, { answer: true, stepMs: 1 });
			return starts.map(({ abs }) => abs % ROUND_MS);
		};
		const four = await offsets(4);
		const three = await offsets(3);
		const two = await offsets(2);
		expect(Math.max(...four)).toBeLessThan(Math.min(...three));
		expect(Math.max(...three)).toBeLessThan(Math.min(...two));
		// All within the first 30 ms of the round: far from the next one.
		expect(Math.max(...two)).toBeLessThan(30);
	});

	it('with a request in every round of its cycle, a refusal cannot be moved: one process more', async () => {
		const pacer = new Pacer(2, { sharedProcesses: 2, random: seeded(13) });
		expect(pacer.stats.units).toEqual([1, 1]);
		await run(pacer, 4, { answer: true });
		const [refused] = await run(pacer, 1);
		pacer.penalize(undefined, refused.slot);
		expect(pacer.stats.processes).toBe(3);
		expect(pacer.stats.moves).toBe(0);
	});

	it('refused again and again in one estimate\'s cycles: one process more than estimated', async () => {
		const pacer = new Pacer(2, { sharedProcesses: 3, random: seeded(8) });
		// Past the settling turns of the first estimate.
		await run(pacer, 8, { answer: true });
		for (let refusal = 0; pacer.stats.processes === 3 && refusal < 6; refusal++) {
			const [start] = await run(pacer, 1);
			pacer.penalize(undefined, start.slot);
		}
		expect(pacer.stats.processes).toBe(4);
		expect(pacer.stats.moves).toBeGreaterThanOrEqual(1);
		expect(pacer.stats.cuts).toBe(1);
	});

	it('counts 429s of requests sent under an earlier estimate once', async () => {
		const pacer = new Pacer(2, { random: seeded(9) });
		await warm(pacer);
		const [a, b] = await run(pacer, 2);
		pacer.penalize(undefined, b.slot);
		const estimate = pacer.stats.processes;
		// The sibling's 429 answered the share the process has just left.
		pacer.penalize(undefined, a.slot);
		expect(pacer.stats.processes).toBe(estimate);
		expect(pacer.stats.cuts).toBe(1);
	});

	it('after 30 s of calm tries one process fewer; a refused try doubles the calm before the next', async () => {
		const pacer = new Pacer(2, { sharedProcesses: 4, random: seeded(10) });
		expect(pacer.stats.processes).toBe(4);
		await jest.advanceTimersByTimeAsync(30_001);
		pacer.reward();
		expect(pacer.stats.processes).toBe(3);
		expect(pacer.stats.probes).toBe(1);
		const [refused] = await run(pacer, 1);
		pacer.penalize(undefined, refused.slot);
		await jest.advanceTimersByTimeAsync(31_000);
		pacer.reward();
		expect(pacer.stats.probes).toBe(1);
		await jest.advanceTimersByTimeAsync(30_000);
		pacer.reward();
		expect(pacer.stats.probes).toBe(2);
	});

	it('grants extra attempts to 429s only while other processes share the key', async () => {
		const lone = new Pacer(2, { random: seeded(11) });
		await warm(lone);
		const starts = await run(lone, 3);
		lone.penalize(undefined, starts[2].slot);
		expect(lone.extraRetriesFor429()).toBe(0);
		const shared = new Pacer(2, { random: seeded(12) });
		const [scout] = await run(shared, 1);
		shared.penalize(undefined, scout.slot);
		// One refusal is not yet sustained contention.
		expect(shared.extraRetriesFor429()).toBe(0);
		await jest.advanceTimersByTimeAsync(2500);
		const [later] = await run(shared, 1);
		shared.penalize(undefined, later.slot);
		expect(shared.extraRetriesFor429()).toBeGreaterThan(0);
		await jest.advanceTimersByTimeAsync(61_000);
		expect(shared.extraRetriesFor429()).toBe(0);
	});

	it('a process refused again and again spends its retry budget and then backs off with jitter', async () => {
		const pacer = new Pacer(2, { sharedProcesses: 2, random: () => 0.999 });
		const waits: number[] = [];
		for (let round = 0; round < 10; round++) {
			const [start] = await run(pacer, 1);
			waits.push(start.at);
			pacer.penalize(undefined, start.slot);
		}
		// Six tokens: the first refusals retry in their rounds, the later ones wait seconds, growing.
		expect(pacer.stats.budget).toBeLessThan(0);
		expect(Math.max(...waits.slice(0, 5))).toBeLessThan(6000);
		expect(waits[9]).toBeGreaterThan(waits[6]);
		expect(waits[9]).toBeGreaterThanOrEqual(7000);
	});
});

describe('pacers of several processes sharing one key (fake clock, a rolling-second limiter)', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
	afterEach(() => jest.useRealTimers());

	/**
	 * `processes` pacers (n8n workers) take `jobs` requests from one queue, 10 at a time each, and
	 * send them to a server that accepts at most 2 in any rolling second and answers 429 otherwise.
	 */
	async function shareKeyAcross(processes: number, jobs: number, sharedProcesses: number, seed: number) {
		const random = seeded(seed);
		const accepted: number[] = [];
		const perProcess = new Array<number>(processes).fill(0);
		let refused = 0;
		let sent = 0;
		let left = jobs;
		const worker = async (index: number) => {
			const pacer = new Pacer(2, { sharedProcesses, random });
			const lane = async () => {
				while (left > 0) {
					left--;
					for (;;) {
						const slot = await pacer.acquire();
						await sleep(3 + index * 2 + random() * 12);
						const now = Date.now();
						sent++;
						while (accepted.length > 0 && accepted[0] <= now - 1000) accepted.shift();
						if (accepted.length < 2) {
							accepted.push(now);
							await sleep(1200);
							pacer.reward(slot);
							perProcess[index]++;
							break;
						}
						refused++;
						await sleep(5);
						pacer.penalize(undefined, slot);
					}
				}
			};
			await Promise.all(Array.from({ length: 10 }, lane));
		};
		const started = Date.now();
		let done = false;
		void Promise.all(Array.from({ length: processes }, (_, index) => worker(index))).then(() => (done = true));
		while (!done) await jest.advanceTimersByTimeAsync(5);
		return { refused, sent, seconds: (Date.now() - started) / 1000, perProcess };
	}

	/** `runs` runs of `shareKeyAcross` with different seeds: the 429s of all, the slowest, the least served. */
	async function manyRuns(runs: number, sharedProcesses: number) {
		let refused = 0;
		let sent = 0;
		let slowest = 0;
		let leastServed = Infinity;
		const refusedPerRun: number[] = [];
		for (let run = 0; run < runs; run++) {
			const result = await shareKeyAcross(3, 60, sharedProcesses, 8 * run + 1);
			refused += result.refused;
			sent += result.sent;
			refusedPerRun.push(result.refused);
			slowest = Math.max(slowest, result.seconds);
			leastServed = Math.min(leastServed, ...result.perProcess);
		}
		return { share: refused / sent, refusedPerRun, slowest, leastServed };
	}

	it('three processes told they share the key settle on rounds that fit: few 429s, near the limit', async () => {
		const { share, refusedPerRun, slowest, leastServed } = await manyRuns(12, 3);
		// Random first rounds collide now and then: a 429 or two per run, over 12 runs about 2 %.
		expect(share).toBeLessThan(0.03);
		expect(refusedPerRun.filter((refused) => refused <= 1).length).toBeGreaterThanOrEqual(6);
		// 60 requests at 2/s: 29.5 s + 1.2 s at best; rounds of 1.05 s cost 5 %.
		expect(slowest).toBeLessThan(36);
		expect(leastServed).toBeGreaterThanOrEqual(15);
	});

	it('three processes at the defaults find their shares: none starves, 429s stay a minority', async () => {
		const { share, slowest, leastServed } = await manyRuns(12, 0);
		expect(share).toBeLessThan(0.14);
		expect(slowest).toBeLessThan(40);
		expect(leastServed).toBeGreaterThanOrEqual(12);
	});

	it('a single process keeps the full rate (no contention to find)', async () => {
		const { refused, seconds } = await shareKeyAcross(1, 60, 0, 23);
		expect(refused).toBeLessThanOrEqual(1);
		expect(seconds).toBeLessThan(34);
	});
});

describe('pacerFor', () => {
	it('gives one pacer per key and takes the share recorded from the credential', () => {
		shareKey('host|cred-a', 3);
		const a = pacerFor('host|cred-a', 2);
		expect(pacerFor('host|cred-a', 2)).toBe(a);
		expect(a.stats.processes).toBe(3);
		expect(a.currentRate).toBeCloseTo(2000 / (3 * ROUND_MS));
		const b = pacerFor('host|cred-b', 2);
		expect(b).not.toBe(a);
		expect(b.currentRate).toBe(2);
	});
});
