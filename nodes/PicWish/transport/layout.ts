/**
 * How n8n processes that share one API key divide its rounds among them (see pacer.ts).
 *
 * The wall clock is cut into rounds, the same in every process, each holding the key's `perRound`
 * requests (its QPS). With `processes` processes on the key, the rounds form a cycle of `processes`
 * rounds (one round when they all fit in it), and each process is owed `perRound` requests per
 * cycle. Processes cannot tell each other apart, so those that send the same pattern form a tier: a
 * tier of `perRound` processes owns `perRound` rounds of the cycle, one request each per round; the
 * rest (fewer than `perRound` processes) own the remaining rounds, round 0 among them, each member
 * sending an equal part of them. Which tier a process belongs to is settled by the server: a process
 * enters a tier with one request sent late in the first round of the tier's block; when the tier is
 * full, its members' requests come first and the entry is refused, and the process tries the next.
 *
 * With 3 processes at QPS 2, tier 0 (two processes) sends one request each in rounds 1 and 2 of the
 * cycle, tier 1 (one process) two requests in round 0: every round carries exactly 2.
 */

export interface Layout {
	/** The processes the layout is made for. */
	processes: number;
	/** Requests the key allows in one round. */
	perRound: number;
	/** Rounds in a cycle. */
	cycle: number;
	/** Per tier: the requests one member sends in each round of the cycle. */
	tiers: number[][];
}

const layouts = new Map<string, Layout>();

/** The rounds of a cycle for `processes` processes (at least 2) sharing `perRound` requests a round. */
export function layoutFor(processes: number, perRound: number): Layout {
	const n = Math.max(2, Math.floor(processes));
	const q = Math.max(1, Math.floor(perRound));
	const key = `${n}/${q}`;
	const known = layouts.get(key);
	if (known) return known;
	let layout: Layout;
	if (n <= q) {
		// They all fit in one round: one tier, an equal part of each round.
		layout = { processes: n, perRound: q, cycle: 1, tiers: [[Math.floor(q / n)]] };
	} else {
		const tiers: number[][] = [];
		const full = Math.floor(n / q);
		const rest = n - full * q;
		// Tier g owns rounds 1 + g·q … (g + 1)·q of the cycle; the rest own the rounds after them,
		// which end with round 0.
		for (let tier = 0; tier < full; tier++) {
			const units = new Array<number>(n).fill(0);
			for (let step = 0; step < q; step++) units[(1 + tier * q + step) % n] = 1;
			tiers.push(units);
		}
		if (rest > 0) {
			const units = new Array<number>(n).fill(0);
			for (let step = 0; step < rest; step++) units[(1 + full * q + step) % n] = Math.floor(q / rest);
			tiers.push(units);
		}
		layout = { processes: n, perRound: q, cycle: n, tiers };
	}
	layouts.set(key, layout);
	return layout;
}

/** A member of `tier` (the last tier when there are fewer): its requests in each round of the cycle. */
export function unitsOf(layout: Layout, tier: number): number[] {
	return layout.tiers[Math.min(Math.max(0, tier), layout.tiers.length - 1)];
}

/** Requests a member of `tier` sends in global round `round`. */
export function unitsAt(layout: Layout, tier: number, round: number): number {
	const units = unitsOf(layout, tier);
	return units[((round % layout.cycle) + layout.cycle) % layout.cycle];
}

/**
 * Whether `round` is where a process enters `tier`: the first round of the tier's block. Entries are
 * never in two rounds in a row, so an entry that reaches the server late, and still counts in the
 * next round's window, cannot spoil another process's entry.
 */
export function isEntryRound(layout: Layout, tier: number, round: number): boolean {
	return unitsAt(layout, tier, round) > 0 && (layout.cycle === 1 || unitsAt(layout, tier, round - 1) === 0);
}

/** Processes `tier` is meant for: `perRound` in a full tier, the rest in the last one. */
export function membersOf(layout: Layout, tier: number): number {
	if (layout.tiers.length === 1) return layout.processes;
	const rest = layout.processes % layout.perRound;
	return tier >= layout.tiers.length - 1 && rest > 0 ? rest : layout.perRound;
}

/**
 * Whether a process that lands in `tier` takes it without a contest: when there is one tier for all
 * (nobody to be refused in favour of), or the tier is meant for one process (its member sends the
 * round's worth: an entry could not tell a second one).
 */
export function takesWithoutContest(layout: Layout, tier: number): boolean {
	if (layout.tiers.length === 1) return true;
	const rest = layout.processes % layout.perRound;
	return tier >= layout.tiers.length - 1 && rest === 1;
}

/** Requests per round a member of `tier` sends on average. */
export function shareOf(layout: Layout, tier: number): number {
	return unitsOf(layout, tier).reduce((sum, count) => sum + count, 0) / layout.cycle;
}
