import { sleep } from 'n8n-workflow';

import { Pacer, pacerFor, shareKey } from '../../nodes/PicWish/transport/pacer';
import { runKeyModel, seeded } from '../support/keyModel';

const ROUND_MS = 1050;
const roundOf = (at: number) => Math.floor(at / ROUND_MS);
const offsetOf = (at: number) => at % ROUND_MS;

describe('pacer on its own (real clock)', () => {
	it('never lets more than qps requests start within one window', async () => {
		const pacer = new Pacer(20);
		const origin = Date.now();
		const starts: number[] = [];
		await Promise.all(
			Array.from({ length: 50 }, async () => {
				const slot = await pacer.acquire();
				starts.push(Date.now() - origin);
				pacer.reward(slot);
			}),
		);
		starts.sort((a, b) => a - b);
		for (let index = 20; index < starts.length; index++) expect(starts[index] - starts[index - 20]).toBeGreaterThanOrEqual(1000);
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

describe('pacer: entries, probes and claims in rounds (fake clock)', () => {
	/** A clock time `offset` ms into a round that is `position` of a 3-round cycle. */
	const at = (position: number, offset: number) => (Math.floor(1_700_000_000_000 / (3 * ROUND_MS)) * 3 + position) * ROUND_MS + offset;

	afterEach(() => jest.useRealTimers());

	/** Starts `count` requests as callers do, advancing the fake clock; `answer` is given to each at once. */
	async function run(pacer: Pacer, count: number, answer: 'none' | 'ok' | '429' = 'none'): Promise<Array<{ at: number; slot: number }>> {
		const out: Array<{ at: number; slot: number }> = [];
		const all = Promise.all(
			Array.from({ length: count }, async () => {
				const slot = await pacer.acquire();
				out.push({ at: Date.now(), slot });
				if (answer === 'ok') pacer.reward(slot);
				if (answer === '429') pacer.penalize(undefined, slot);
			}),
		);
		let done = false;
		void all.then(() => (done = true));
		while (!done) await jest.advanceTimersByTimeAsync(2);
		return out.sort((a, b) => a.at - b.at);
	}

	it('a first request leaves at once; the next ones wait for the entry, late in the first round of tier 0', async () => {
		jest.useFakeTimers({ now: at(2, 300) });
		const pacer = new Pacer(2, { random: seeded(1) });
		const [scout] = await run(pacer, 1, 'ok');
		expect(scout.at).toBe(at(2, 300));
		const [entry] = await run(pacer, 1);
		// Round 1 of the cycle (tier 0 of 3 processes: rounds 1 and 2), after the claims (8-14 ms).
		expect(roundOf(entry.at) % 3).toBe(1);
		expect(offsetOf(entry.at)).toBeGreaterThanOrEqual(18);
		expect(offsetOf(entry.at)).toBeLessThan(24);
		expect(pacer.stats.entering).toBe(true);
	});

	it('no first request at once when the entry is less than a round away: it would still count there', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { random: seeded(2) });
		const [first] = await run(pacer, 1);
		expect(first.at).toBe(at(1, 0) + Math.floor(offsetOf(first.at)));
		expect(pacer.stats.entering).toBe(true);
	});

	it('on its own: enters, tries one process fewer, then alone, and runs free at the full rate within six rounds', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { random: seeded(3) });
		const starts = await run(pacer, 20, 'ok');
		expect(pacer.stats.processes).toBe(1);
		expect(pacer.stats.probes).toBe(2);
		expect(pacer.stats.refusedProbes).toBe(0);
		// From the sixth round on, a pair every window (1 s + the 25 ms guard).
		const free = starts.filter((start) => start.at >= at(0, 500) + 6 * ROUND_MS);
		expect(free.length).toBeGreaterThanOrEqual(8);
		for (let index = 2; index < free.length; index++) expect(free[index].at - free[index - 2].at).toBeLessThanOrEqual(1030);
	});

	it('the round after an entry that went through stays quiet (a late entry would still count there)', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { sharedProcesses: 3, random: seeded(4) });
		const starts = await run(pacer, 5, 'ok');
		const rounds = starts.map((start) => roundOf(start.at) - roundOf(starts[0].at));
		// Entry in round 1 of the cycle, nothing in round 2, claims in rounds 4 and 5 (1 and 2), and so on.
		expect(rounds).toEqual([0, 3, 4, 6, 7]);
		expect(pacer.stats.units).toEqual([0, 1, 1]);
	});

	it('an entry refused in tier 0 means the tier is full: tier 1 at once, which one process takes without a contest', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { sharedProcesses: 3, random: seeded(5) });
		const [entry] = await run(pacer, 1, '429');
		expect(pacer.stats.refusedEntries).toBe(1);
		expect(pacer.stats.tier).toBe(1);
		expect(pacer.stats.entering).toBe(false);
		const claims = await run(pacer, 4, 'ok');
		// Two requests in round 0 of each cycle, sent first in the round (its claims lead for a while).
		expect(claims.map((claim) => roundOf(claim.at) % 3)).toEqual([0, 0, 0, 0]);
		expect(roundOf(claims[0].at)).toBeGreaterThan(roundOf(entry.at));
		for (const claim of claims.slice(0, 2)) expect(offsetOf(claim.at)).toBeLessThanOrEqual(6);
	});

	it('refused in every tier: the layout holds one process more, and the process takes the new last tier', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(1, { sharedProcesses: 2, random: seeded(6) });
		await run(pacer, 1, '429');
		expect(pacer.stats.tier).toBe(1);
		expect(pacer.stats.entering).toBe(true);
		await run(pacer, 1, '429');
		expect(pacer.stats.processes).toBe(3);
		expect(pacer.stats.tier).toBe(2);
		expect(pacer.stats.entering).toBe(false);
	});

	it('not told, an entry that went through is a guess: a probe of one process fewer; refused, the guess stands', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { random: seeded(7) });
		await run(pacer, 1, 'ok');
		expect(pacer.stats.provisional).toBe(true);
		// Claims in rounds 1 and 2 go through; the probe (round 0 of the cycle, last in the round) is refused.
		let probe: { at: number; slot: number } | undefined;
		for (let tries = 0; tries < 6 && !probe; tries++) {
			const [start] = await run(pacer, 1);
			if (pacer.stats.probes > 0 && roundOf(start.at) % 3 === 0) probe = start;
			else pacer.reward(start.slot);
		}
		expect(probe).toBeDefined();
		expect(offsetOf(probe!.at)).toBeGreaterThanOrEqual(30);
		pacer.penalize(undefined, probe!.slot);
		expect(pacer.stats.refusedProbes).toBe(1);
		expect(pacer.stats.provisional).toBe(false);
		expect(pacer.stats.processes).toBe(3);
		expect(pacer.stats.units).toEqual([0, 1, 1]);
	});

	it('refused claims: twice in a full tier, one process more (claims lead for a while); crowded again right after, the next tier', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { sharedProcesses: 3, random: seeded(8) });
		// Past the cold rounds and the settling after the start.
		await run(pacer, 8, 'ok');
		expect(pacer.stats.tier).toBe(0);
		const [first] = await run(pacer, 1, '429');
		expect(pacer.stats.conflicts).toBe(1);
		expect(pacer.stats.processes).toBe(3);
		await run(pacer, 1, '429');
		expect(pacer.stats.grown).toBe(1);
		expect(pacer.stats.processes).toBe(4);
		expect(pacer.stats.tier).toBe(0);
		const leading = await run(pacer, 2, 'ok');
		for (const claim of leading) expect(offsetOf(claim.at)).toBeLessThanOrEqual(6);
		expect(roundOf(leading[0].at)).toBeGreaterThan(roundOf(first.at));
		// Still refused within those cycles (past the settling): our tier holds one too many.
		for (let refusals = 0; refusals < 6 && pacer.stats.tier === 0; refusals++) await run(pacer, 1, '429');
		expect(pacer.stats.tier).toBe(1);
		expect(pacer.stats.entering).toBe(true);
	});

	it('where a process has a round to itself, one refused claim already means one process more', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { sharedProcesses: 2, random: seeded(9) });
		expect(pacer.stats.units).toEqual([1]);
		await run(pacer, 8, 'ok');
		await run(pacer, 1, '429');
		expect(pacer.stats.processes).toBe(3);
		expect(pacer.stats.grown).toBe(1);
	});

	it('a refused claim in the first rounds after a start is no conflict: those requests may leave late', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { sharedProcesses: 2, random: seeded(10) });
		await run(pacer, 2, '429');
		expect(pacer.stats.conflicts).toBe(0);
		expect(pacer.stats.processes).toBe(2);
	});

	it('after a minute of calm tries one process fewer; a refused try doubles the calm before the next', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { sharedProcesses: 4, random: seeded(11) });
		await run(pacer, 4, 'ok');
		expect(pacer.stats.probes).toBe(0);
		await jest.advanceTimersByTimeAsync(40_000);
		await run(pacer, 2, 'ok');
		expect(pacer.stats.probes).toBe(0);
		await jest.advanceTimersByTimeAsync(21_000);
		// The try: probes in the rounds 3 processes would give tier 0 (the next one refused).
		let probed = false;
		for (let tries = 0; tries < 8 && !probed; tries++) {
			const [start] = await run(pacer, 1);
			if (pacer.stats.probes > 0 && pacer.stats.refusedProbes === 0 && offsetOf(start.at) >= 30) {
				pacer.penalize(undefined, start.slot);
				probed = true;
			} else pacer.reward(start.slot);
		}
		expect(probed).toBe(true);
		expect(pacer.stats.processes).toBe(4);
		await jest.advanceTimersByTimeAsync(61_000);
		await run(pacer, 2, 'ok');
		expect(pacer.stats.probes).toBe(1);
	});

	it('grants extra attempts to 429s only while contention has lasted a while', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { sharedProcesses: 3, random: seeded(12) });
		await run(pacer, 1, '429');
		expect(pacer.extraRetriesFor429()).toBe(0);
		await jest.advanceTimersByTimeAsync(2500);
		await run(pacer, 1, '429');
		expect(pacer.extraRetriesFor429()).toBeGreaterThan(0);
		await jest.advanceTimersByTimeAsync(61_000);
		expect(pacer.extraRetriesFor429()).toBe(0);
	});

	it('a process refused again and again spends its retry budget and then backs off with jitter', async () => {
		jest.useFakeTimers({ now: at(0, 500) });
		const pacer = new Pacer(2, { sharedProcesses: 2, random: () => 0.999 });
		const waits: number[] = [];
		let last = Date.now();
		for (let round = 0; round < 10; round++) {
			const [start] = await run(pacer, 1, '429');
			waits.push(start.at - last);
			last = start.at;
		}
		expect(pacer.stats.budget).toBeLessThan(0);
		expect(Math.max(...waits.slice(0, 6))).toBeLessThan(4 * ROUND_MS);
		expect(waits[9]).toBeGreaterThanOrEqual(7000);
	});
});

describe('pacers of several n8n processes sharing one key (test/support/keyModel.js, fake clock)', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
	afterEach(() => jest.useRealTimers());

	const clock = { now: () => Date.now(), advance: async (ms: number) => await jest.advanceTimersByTimeAsync(ms) };

	async function runs(count: number, options: Parameters<typeof runKeyModel>[2]) {
		const results = [];
		for (let run = 0; run < count; run++) results.push(await runKeyModel(Pacer, clock, { ...options, seed: 11 * run + 3 }));
		return results;
	}

	it('three workers told they are three: one refusal settles who sends where, then the rounds fill', async () => {
		const results = await runs(8, { processes: 3, sharedProcesses: 3 });
		for (const result of results) {
			expect(result.lost).toBe(0);
			expect(result.refused).toBeLessThanOrEqual(1);
			expect(result.seconds / result.ceiling).toBeLessThan(1.15);
		}
		// Two in tier 0 (one request in 2 rounds of 3), one in tier 1 (two in the third).
		expect(results[0].stats.map((stats) => stats.tier).sort()).toEqual([0, 0, 1]);
	});

	it('three workers at the defaults find the same layout: a refusal for the third, one refused probe each for the others', async () => {
		const results = await runs(8, { processes: 3, sharedProcesses: 0 });
		for (const result of results) {
			expect(result.lost).toBe(0);
			expect(result.refused / result.requests).toBeLessThanOrEqual(0.1);
			expect(result.seconds / result.ceiling).toBeLessThan(1.15);
		}
		expect(results.filter((result) => result.refused === 3).length).toBeGreaterThanOrEqual(6);
	});

	it('one worker alone keeps the full rate: no refusal', async () => {
		const [result] = await runs(1, { processes: 1, sharedProcesses: 0 });
		expect(result.refused).toBe(0);
		expect(result.seconds / result.ceiling).toBeLessThan(1.1);
	});

	it('four workers told they are four: two refused entries, nothing lost', async () => {
		const results = await runs(4, { processes: 4, sharedProcesses: 4 });
		for (const result of results) {
			expect(result.lost).toBe(0);
			expect(result.refused).toBeLessThanOrEqual(2);
		}
	});

	it('four workers at the defaults (more than the starting guess): no storm, nothing lost', async () => {
		const results = await runs(4, { processes: 4, sharedProcesses: 0 });
		for (const result of results) {
			expect(result.lost).toBe(0);
			expect(result.refused / result.requests).toBeLessThan(0.3);
			expect(result.seconds / result.ceiling).toBeLessThan(1.5);
		}
	});
});

describe('pacerFor', () => {
	it('gives one pacer per key and takes the share recorded from the credential', async () => {
		shareKey('host|cred-a', 3);
		const a = pacerFor('host|cred-a', 2);
		expect(pacerFor('host|cred-a', 2)).toBe(a);
		expect(a.stats.processes).toBe(3);
		expect(a.currentRate).toBeCloseTo(2000 / (3 * ROUND_MS));
		const b = pacerFor('host|cred-b', 2);
		expect(b).not.toBe(a);
		await sleep(0);
	});
});
