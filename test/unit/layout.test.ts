import { isEntryRound, layoutFor, membersOf, shareOf, takesWithoutContest, unitsAt } from '../../nodes/PicWish/transport/layout';

/** Every member of every tier in its place: the requests that reach each round of a cycle. */
function filled(processes: number, perRound: number): number[] {
	const layout = layoutFor(processes, perRound);
	const rounds = new Array<number>(layout.cycle).fill(0);
	layout.tiers.forEach((units, tier) => {
		const members = membersOf(layout, tier);
		units.forEach((count, round) => {
			rounds[round] += count * members;
		});
	});
	return rounds;
}

describe('layouts: how processes divide the rounds of one key', () => {
	it('3 processes at QPS 2: two in tier 0 (one request in rounds 1 and 2), one in tier 1 (two in round 0)', () => {
		const layout = layoutFor(3, 2);
		expect(layout.cycle).toBe(3);
		expect(layout.tiers).toEqual([
			[0, 1, 1],
			[2, 0, 0],
		]);
		expect(membersOf(layout, 0)).toBe(2);
		expect(membersOf(layout, 1)).toBe(1);
		expect(filled(3, 2)).toEqual([2, 2, 2]);
	});

	it.each([
		[2, 2],
		[3, 2],
		[4, 2],
		[5, 2],
		[7, 2],
		[2, 1],
		[3, 1],
		[4, 3],
		[6, 3],
		[3, 10],
		[12, 5],
	])('%i processes at %i requests a round: no round is ever overfull, and each process gets its share', (processes, perRound) => {
		const layout = layoutFor(processes, perRound);
		for (const carried of filled(processes, perRound)) expect(carried).toBeLessThanOrEqual(perRound);
		const fair = perRound / processes;
		layout.tiers.forEach((_, tier) => {
			// Never more than a fair share; less only where a round cannot be split evenly.
			expect(shareOf(layout, tier)).toBeLessThanOrEqual(fair + 1e-9);
			expect(shareOf(layout, tier)).toBeGreaterThanOrEqual(0.6 * fair);
		});
	});

	it('fills every round exactly when the processes divide the rounds evenly (QPS 2, 1)', () => {
		for (const processes of [2, 3, 4, 5, 6, 9]) expect(filled(processes, 2)).toEqual(new Array(layoutFor(processes, 2).cycle).fill(2));
		for (const processes of [2, 3, 4]) expect(filled(processes, 1)).toEqual(new Array(processes).fill(1));
	});

	it('all processes fit in one round: one tier, an equal part of each round', () => {
		const layout = layoutFor(3, 10);
		expect(layout.cycle).toBe(1);
		expect(layout.tiers).toEqual([[3]]);
		expect(takesWithoutContest(layout, 0)).toBe(true);
	});

	it('a process enters a tier in the first round of its block only, never in two rounds in a row', () => {
		const layout = layoutFor(5, 2);
		// tier 0: rounds 1, 2; tier 1: rounds 3, 4; tier 2 (one process): round 0.
		const entries = (tier: number) => Array.from({ length: 10 }, (_, round) => round).filter((round) => isEntryRound(layout, tier, round));
		expect(entries(0)).toEqual([1, 6]);
		expect(entries(1)).toEqual([3, 8]);
		expect(entries(2)).toEqual([0, 5]);
		expect(unitsAt(layout, 2, 10)).toBe(2);
		expect(unitsAt(layout, 0, -4)).toBe(1);
	});

	it('a tier meant for one process is taken without a contest; a full tier is contested', () => {
		expect(takesWithoutContest(layoutFor(3, 2), 1)).toBe(true);
		expect(takesWithoutContest(layoutFor(3, 2), 0)).toBe(false);
		expect(takesWithoutContest(layoutFor(4, 2), 1)).toBe(false);
		// At QPS 1 every tier holds one process, and another one's claim refuses an entry: contested.
		expect(takesWithoutContest(layoutFor(3, 1), 2)).toBe(false);
	});
});
