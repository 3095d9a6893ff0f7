/**
 * Keeps requests to one API key within its rate limit (QPS), shared by every item of an execution
 * and by concurrent executions in this n8n process that use the same key.
 *
 * In n8n's queue mode several processes (workers) send with one key and cannot talk to each other:
 * each finds its share from the server's answers. What they agree on without talking is the clock:
 * it is cut into rounds of one window plus a guard, the same rounds in every process, each holding
 * the key's QPS requests. Processes divide the rounds by a layout (layout.ts): with 3 processes at
 * QPS 2, two of them (tier 0) send one request each in rounds 1 and 2 of a 3-round cycle, the third
 * (tier 1) two requests in round 0.
 *
 * A request in a round is one of three kinds, sent at three points of the round: a *claim* (a
 * request of the process's own share) first, an *entry* (a try for a place in a tier) later, a
 * *probe* (a try for a larger share) last. When a round is overfull the server refuses whatever
 * comes last, so:
 * - a process enters a tier with one request in the first round of the tier's block; when the tier
 *   is full, its members' claims came first and the entry is refused: the process tries the next
 *   tier. Processes that start together settle their tiers in one round, with one refusal for each
 *   process past tier 0.
 * - a probe is refused when the requests it tried for are someone else's: the larger share is not
 *   there. A probe that goes through makes the larger share the process's own (additive increase).
 * - a refused claim means more processes in our rounds than the layout holds: refused twice within
 *   two cycles (once, where each process has its exact part of a round), the process counts one
 *   process more (multiplicative decrease) and, for a while, sends its claims first of all, so that
 *   the others in its rounds are refused and count one more too. Crowded again right after, the
 *   trouble is its tier: it tries the next.
 *
 * A process that is not told how many share the key ("n8n processes sharing this key" at 1) starts as
 * one of QPS + 1 processes (3 at QPS 2: the fewest that need tiers) and probes for a larger share
 * until a probe is refused: on its own it runs free at the full rate after its first few rounds, and
 * three workers that start together sort themselves out in their first cycle. Told it shares the key
 * with n processes, it starts as one of n and tries for a larger share only after a long calm. After
 * a minute without requests it starts afresh.
 *
 * On its own ("alone") a process sends at the full QPS without rounds: at most `qps` starts in any
 * window of one second plus a small guard for the jitter between our start and the server's clock
 * (a 429 our own starts explain widens the guard a step, a run of successes takes it back). A 429
 * they do not explain means another process: back to rounds.
 *
 * A retry budget (tokens spent by 429s, earned by successes) makes a process that keeps being
 * refused back off exponentially, with full jitter, instead of retrying at its pace.
 */
import { sleep } from 'n8n-workflow';

import type { Layout } from './layout';
import { isEntryRound, layoutFor, membersOf, shareOf, takesWithoutContest, unitsAt, unitsOf } from './layout';
import { fullJitter } from './retry';

const WINDOW_MS = 1000;
const INITIAL_GUARD_MS = 25;
/**
 * Alone, a run of successes narrows the guard a millisecond each down to this: requests reach the
 * server within a few milliseconds of their start once a process is warm, and every millisecond of
 * guard is a millisecond of every window lost.
 */
const MIN_GUARD_MS = 15;
/** After an idle spell, alone, the first requests' slots count this much later (they leave late). */
const COLD_START_MS = 120;
const MAX_GUARD_MS = 1000;
const GUARD_STEP_MS = 40;
const GUARD_RECOVERY_MS = 8;
/** Alone, our own starts "explain" a 429 when `qps` of them lie within a window plus this skew before it. */
const OWN_SKEW_MS = 40;
const COLD_SKEW_MS = 400;
/** This many 429s our own starts explain, within this span, are contention all the same. */
const SUSTAINED_429S = 3;
const SUSTAINED_MS = 10_000;
/** A round is one window plus this guard: requests of neighbouring rounds never meet in a window. */
const ROUND_GUARD_MS = 50;
type Kind = 'free' | 'scout' | 'claim' | 'entry' | 'probe';
/** Where in its round each kind of request leaves, plus a random part up to `OFFSET_SPREAD_MS`. */
const OFFSET_MS: Record<Kind, number> = { free: 0, scout: 0, claim: 8, entry: 18, probe: 30 };
/** Claims of a process that has just counted one process more leave before everyone else's. */
const FIRST_OFFSET_MS = 0;
const OFFSET_SPREAD_MS = 6;
/** A slot that began this long ago may still be used (timers fire a little late). */
const LATE_ROUND_MS = 40;
/**
 * A request still waiting to leave this long after its slot (n8n was loading the credential) would
 * reach the server late, among the next round's requests: it takes a new slot (`onTime`). Alone, a
 * process allows a delay as long as the window's guard, which absorbs it. An entry leaves only on
 * time: a worker that is slow to load a credential is slow to send it too.
 */
const LATE_SEND_MS = 30;
const LATE_ENTRY_MS = 5;
/**
 * An entry or a probe with no 429 this long after it left went through (a refusal comes at once; a
 * success may take the whole processing time). Until then an entering process sends nothing else.
 */
const VERDICT_WAIT_MS = 600;
const POLL_MS = 10;
/** Requests in the first rounds after a start afresh may leave late: a refused claim there is no conflict. */
const COLD_ROUNDS = 3;
/** The most processes a pacer counts on one key. */
const MAX_PROCESSES = 16;
/** Refused claims within two cycles that mean "more processes here than the layout holds". */
const CONFLICTS = 2;
/** After a change of place, refused claims are no conflicts for this many cycles: the others are changing too. */
const SETTLE_CYCLES = 2;
/** After counting one more, claims leave first for this many cycles; crowded again within them: next tier. */
const FIRST_CYCLES = 3;
/** Calm (no 429) this long before trying a larger share; doubled after a try that was refused. */
const PROBE_AFTER_MS = 60_000;
const MAX_PROBE_AFTER_MS = 480_000;
/** After this long without a request, what we learnt about other processes is stale: start afresh. */
const FORGET_AFTER_MS = 60_000;
/** Retry budget: a 429 spends a token, a success earns some back; below zero the process backs off. */
const BUDGET_TOKENS = 6;
const BUDGET_EARN = 0.5;
const MAX_BACKOFF_MS = 8000;
const SLOTS_KEPT = 256;
/**
 * While other processes take the key's rounds, a request may meet several 429s before its process
 * finds its share: it gets this many attempts beyond Max Retries (each one waits for its round).
 */
const CONTENTION_EXTRA_RETRIES = 6;
const CONTENTION_MEMORY_MS = 60_000;
/** Contention counts as sustained (worth the extra attempts) once it has lasted this long. */
const CONTENTION_SUSTAINED_MS = 2000;

export interface PacerOptions {
	/** n8n processes sharing this key: each starts as one of them. 0 or 1 = not told. */
	sharedProcesses?: number;
	now?: () => number;
	random?: () => number;
}

interface Slot {
	kind: Kind;
	startedAt: number;
	/** What it counts as in the window (alone, a cold start counts later). */
	countedAt: number;
	/** The round it was sent in (NaN alone), and the place it was sent from. */
	round: number;
	epoch: number;
	cold: boolean;
	refused: boolean;
	answered: boolean;
}

/** A place in rounds: one of `processes` processes on the key, in `tier`. */
interface Place {
	processes: number;
	tier: number;
}

/** A try for a larger share: the place it would be (undefined: alone), and the probes sent for it. */
interface Probe {
	place: Place | undefined;
	round: number | undefined;
	slots: number[];
	sentAt: number;
	/** Part of the start (the estimate is a guess), or a try after a long calm. */
	purpose: 'start' | 'calm';
}

/** What the pacer has seen: for tests, the benchmark and debugging. */
export interface PacerStats {
	/** Requests per second it allows itself now. */
	rate: number;
	/** Processes it counts on the key (1: alone), and its tier among them. */
	processes: number;
	tier: number;
	/** Its requests in each round of its cycle. */
	units: number[];
	entering: boolean;
	/** The estimate is a starting guess that probes may lower. */
	provisional: boolean;
	guardMs: number;
	budget: number;
	entries: number;
	refusedEntries: number;
	probes: number;
	refusedProbes: number;
	conflicts: number;
	/** Times it counted one process more. */
	grown: number;
	contention429s: number;
	own429s: number;
	/** Requests that were still waiting to leave well after their slot, and took a new one. */
	lateSends: number;
}

export class Pacer {
	private readonly now: () => number;
	private readonly random: () => number;
	private sharedProcesses: number;
	private queue: Promise<void> = Promise.resolve();
	private holdUntil = 0;
	private lastStartAt = Number.NEGATIVE_INFINITY;
	private budget = BUDGET_TOKENS;
	private readonly slots = new Map<number, Slot>();
	private nextSlotId = 1;

	// Alone: window pacing.
	private readonly starts: number[] = [];
	private guardMs = INITIAL_GUARD_MS;
	private coldUntil = 0;
	private readonly refusedStarts: number[] = [];

	// Rounds.
	/** Where the process sends; undefined: alone. */
	private place: Place | undefined;
	private layout: Layout | undefined;
	/** Entering its tier: the entry request, while it awaits its verdict. */
	private entering = false;
	private entrySlot: number | undefined;
	/**
	 * Nothing leaves before this time: a refused scout (see `nextPlan`) was refused because others' first
	 * requests came just before it, and they still count in the server's window until then.
	 */
	private quietUntil = Number.NEGATIVE_INFINITY;
	/** The scout of this start has left (one a start: two in a row would meet in one window). */
	private scouted = false;
	/**
	 * The round after an entry that went through: the entry may have reached the server late (a
	 * worker's first requests do) and still count in that round's window, so the process sends
	 * nothing there. Nobody enters in that round: entries are in the first round of a block.
	 */
	private quietRound = Number.NaN;
	private provisional = false;
	private probe: Probe | undefined;
	/** Bumped by every change of place: verdicts on requests sent from an older one are stale. */
	private epoch = 0;
	private readonly used = new Map<number, Record<Kind, number>>();
	private plan: { round: number; kind: Kind; at: number; epoch: number } | undefined;
	private readonly conflictRounds: number[] = [];
	/** Until this round, refused claims are no conflicts: the last change needs time to settle. */
	private settleUntilRound = Number.NEGATIVE_INFINITY;
	/** Until this round, claims leave first (the process has just counted one more). */
	private firstUntilRound = Number.NEGATIVE_INFINITY;
	private coldUntilRound = Number.NEGATIVE_INFINITY;
	private calmSince: number;
	private probeAfterMs = PROBE_AFTER_MS;
	private lastContentionAt = Number.NEGATIVE_INFINITY;
	private contentionSince = Number.NEGATIVE_INFINITY;
	private readonly counters = {
		entries: 0,
		refusedEntries: 0,
		probes: 0,
		refusedProbes: 0,
		conflicts: 0,
		grown: 0,
		contention429s: 0,
		own429s: 0,
		lateSends: 0,
	};

	constructor(
		private qps: number,
		nowOrOptions: (() => number) | PacerOptions = {},
	) {
		const options = typeof nowOrOptions === 'function' ? { now: nowOrOptions } : nowOrOptions;
		this.now = options.now ?? Date.now;
		this.random = options.random ?? Math.random;
		this.sharedProcesses = normalizeShared(options.sharedProcesses);
		this.calmSince = this.now();
		this.startAfresh();
	}

	setQps(qps: number, sharedProcesses?: number): void {
		const shared = sharedProcesses === undefined ? this.sharedProcesses : normalizeShared(sharedProcesses);
		if (qps === this.qps && shared === this.sharedProcesses) return;
		this.qps = qps;
		this.sharedProcesses = shared;
		// A new rate or a new count: what was found under the old one means nothing now.
		this.startAfresh();
	}

	get windowMs(): number {
		return WINDOW_MS + this.guardMs;
	}

	/** The requests per second this process allows itself right now (≤ the configured QPS). */
	get currentRate(): number {
		if (!this.place || !this.layout) return this.qps;
		return Math.min(this.qps, (shareOf(this.layout, this.place.tier) * 1000) / this.roundMs());
	}

	get stats(): PacerStats {
		return {
			rate: this.currentRate,
			processes: this.place?.processes ?? 1,
			tier: this.place?.tier ?? 0,
			units: this.layout && this.place ? [...unitsOf(this.layout, this.place.tier)] : [],
			entering: this.entering,
			provisional: this.provisional,
			guardMs: this.guardMs,
			budget: this.budget,
			...this.counters,
		};
	}

	/**
	 * Resolves when a request may start; callers are served in the order they asked. The number it
	 * resolves to names the slot: give it to `penalize`, `reward` or `settle` so the answer is judged
	 * against that start.
	 */
	async acquire(): Promise<number> {
		const turn = this.queue.then(async () => await this.waitForSlot());
		// The chain must survive a rejected turn; waitForSlot only sleeps, so none is expected.
		this.queue = turn.then(
			() => undefined,
			() => undefined,
		);
		return await turn;
	}

	/**
	 * The request granted `slotId` is about to leave (n8n has loaded the credential). Resolves to that
	 * slot while it is on time; a request that would leave well after its slot gives the slot back and
	 * waits for a new one (a late request would meet the next round's in the server's window).
	 */
	async onTime(slotId: number): Promise<number> {
		const slot = this.slots.get(slotId);
		if (!slot || slot.answered || this.now() - slot.startedAt <= this.allowedDelay(slot.kind)) return slotId;
		this.counters.lateSends++;
		// Not sent: it leaves the window, and an entry or probe it was is owed no verdict.
		const index = this.starts.indexOf(slot.countedAt);
		if (index >= 0) this.starts.splice(index, 1);
		if (this.entrySlot === slotId) this.entrySlot = undefined;
		if (this.probe?.slots.includes(slotId)) {
			this.probe.slots = this.probe.slots.filter((id) => id !== slotId);
			if (this.probe.slots.length === 0) this.probe.round = undefined;
		}
		this.slots.delete(slotId);
		return await this.acquire();
	}

	/**
	 * The server said 429 for the request started in `slotId` (default: the latest start). Keeps
	 * everyone waiting at least `retryAfterMs` when the server said so; learns what the refusal says
	 * about the other processes; over the retry budget, backs off with full jitter.
	 */
	penalize(retryAfterMs = 0, slotId?: number): void {
		const now = this.now();
		const id = slotId !== undefined && this.slots.has(slotId) ? slotId : this.nextSlotId - 1;
		const slot = this.slots.get(id);
		const first = slot !== undefined && !slot.refused;
		if (slot) {
			slot.answered = true;
			slot.refused = true;
		}
		this.calmSince = now;
		this.budget -= 1;

		if (!slot || slot.kind === 'free') this.refusedAlone(now, slot);
		else if (first) this.refusedInRound(now, slot, id);

		let wait = retryAfterMs;
		if (this.budget < 0) {
			// Over budget: the whole process backs off exponentially, with full jitter.
			const cycle = this.layout ? this.roundMs() * this.layout.cycle : this.windowMs;
			wait += fullJitter(Math.min(MAX_BACKOFF_MS, cycle * 2 ** Math.min(4, -this.budget)), this.random);
		}
		if (wait > 0) this.holdUntil = Math.max(this.holdUntil, now + wait);
	}

	/**
	 * Extra attempts a 429 may take beyond Max Retries: some while other processes have been taking
	 * the key's rounds for a while (a 429 there is a wait for a round, not a failure), none otherwise.
	 */
	extraRetriesFor429(): number {
		const sustained = this.lastContentionAt - this.contentionSince >= CONTENTION_SUSTAINED_MS;
		return sustained && this.now() - this.lastContentionAt <= CONTENTION_MEMORY_MS ? CONTENTION_EXTRA_RETRIES : 0;
	}

	/**
	 * The request started in `slotId` got an answer other than a 429, or none (a network failure):
	 * it has left, and the server did not refuse it.
	 */
	settle(slotId?: number): void {
		const id = slotId ?? this.nextSlotId - 1;
		const slot = this.slots.get(id);
		if (!slot || slot.answered) return;
		slot.answered = true;
		if (slot.epoch !== this.epoch) return;
		if (slot.kind === 'entry' && this.entering && this.entrySlot === id) this.admitted();
		if (slot.kind === 'probe' && this.probe?.slots.includes(id)) this.probeWentThrough(id);
	}

	/** A request went through: earn back budget and guard. */
	reward(slotId?: number): void {
		this.settle(slotId);
		this.budget = Math.min(BUDGET_TOKENS, this.budget + BUDGET_EARN);
		if (this.guardMs > INITIAL_GUARD_MS) this.guardMs = Math.max(INITIAL_GUARD_MS, this.guardMs - GUARD_RECOVERY_MS);
		else if (!this.place) this.guardMs = Math.max(MIN_GUARD_MS, this.guardMs - 1);
	}

	private allowedDelay(kind: Kind): number {
		if (kind === 'free') return this.guardMs;
		return kind === 'entry' ? LATE_ENTRY_MS : LATE_SEND_MS;
	}

	// ----- Alone -----

	private refusedAlone(now: number, slot: Slot | undefined): void {
		const ownInWindow = this.ownStartsBefore(slot);
		const explained = slot === undefined || ownInWindow >= this.perRound();
		this.refusedStarts.push(slot?.startedAt ?? now);
		while (this.refusedStarts.length > 0 && now - this.refusedStarts[0] > SUSTAINED_MS) this.refusedStarts.shift();
		const sustained = this.refusedStarts.length >= SUSTAINED_429S;
		if (!this.place && explained && !sustained) {
			this.counters.own429s++;
			this.guardMs = Math.min(MAX_GUARD_MS, this.guardMs + GUARD_STEP_MS);
			return;
		}
		this.contention(now);
		if (this.place) return;
		// Another process used the key. With none of our own requests in the window, it sent the
		// window's worth on its own: at least `qps` others.
		const others = ownInWindow === 0 ? this.perRound() : 1;
		this.moveTo({ processes: Math.max(this.sharedProcesses, 1 + others), tier: 0 }, { enter: true, provisional: false });
	}

	/** Our starts that were not refused, within one window (plus the arrival skew) before this one. */
	private ownStartsBefore(slot: Slot | undefined): number {
		if (!slot) return 0;
		const span = (this.qps < 1 ? WINDOW_MS / this.qps : WINDOW_MS) + (slot.cold ? COLD_SKEW_MS : OWN_SKEW_MS);
		let own = 0;
		for (const other of this.slots.values()) {
			if (other !== slot && !other.refused && other.startedAt <= slot.startedAt && slot.startedAt - other.startedAt <= span) own++;
		}
		return own;
	}

	// ----- Rounds -----

	private refusedInRound(now: number, slot: Slot, slotId: number): void {
		this.contention(now);
		if (slot.kind === 'scout') {
			// At least the round's worth from others in this second: the process would lose tier 0.
			if (slot.epoch === this.epoch && this.entering && this.place?.tier === 0) {
				this.quietUntil = slot.startedAt + WINDOW_MS + ROUND_GUARD_MS;
				this.nextTier();
			}
			return;
		}
		if (slot.kind === 'entry') {
			this.counters.refusedEntries++;
			// The tier was full: its members' claims came first. (Also when the verdict came late and
			// the process had taken the place: it was not its to take.)
			if (slot.epoch === this.epoch) this.nextTier();
			return;
		}
		if (slot.kind === 'probe') {
			this.counters.refusedProbes++;
			if (this.probe?.slots.includes(slotId)) this.probeRefused();
			return;
		}
		// A claim refused: someone else sends in our rounds.
		if (!this.place || !this.layout || slot.epoch !== this.epoch || slot.cold || slot.round < this.settleUntilRound) return;
		this.counters.conflicts++;
		this.conflictRounds.push(slot.round);
		while (this.conflictRounds.length > 0 && slot.round - this.conflictRounds[0] >= 2 * Math.max(2, this.layout.cycle)) this.conflictRounds.shift();
		// Where a process has a round's worth to itself, or one tier is for all, one refused claim
		// already means one more.
		const alone = this.layout.tiers.length === 1 || membersOf(this.layout, this.place.tier) === 1;
		const needed = alone ? 1 : CONFLICTS;
		if (this.conflictRounds.length >= needed) this.crowded();
	}

	/** The entry was refused: the next tier (past the last one, the layout holds one process more). */
	private nextTier(): void {
		if (!this.place || !this.layout) return;
		// Refused, the process knows the key is full: the others must make room, and hear of it sooner
		// when its claims leave first.
		const tier = this.place.tier + 1;
		if (tier < this.layout.tiers.length) {
			this.moveTo({ processes: this.place.processes, tier }, { enter: true, provisional: false, first: true });
		} else {
			// Refused in every tier: the layout holds one process more, and the process takes the new
			// last tier without asking (entering it would only be refused by claims of the old layout).
			this.moveTo({ processes: this.place.processes + 1, tier }, { enter: false, provisional: false, first: true });
		}
	}

	/**
	 * Refused claims: more processes in our rounds than the layout holds. Count one more, keeping our
	 * tier, and send first for a while so that the others hear of it too; crowded again within that
	 * while, our tier holds one process too many: try the next.
	 */
	private crowded(): void {
		if (!this.place || !this.layout) return;
		const round = this.currentRound();
		if (round < this.firstUntilRound && this.place.tier < this.layout.tiers.length - 1) {
			this.moveTo({ processes: this.place.processes, tier: this.place.tier + 1 }, { enter: true, provisional: false });
			return;
		}
		this.counters.grown++;
		this.moveTo({ processes: this.place.processes + 1, tier: this.place.tier }, { enter: false, provisional: false, first: true });
	}

	/** The entry went through (or no 429 came for it in time): a member of its tier. */
	private admitted(): void {
		// Told it shares the key, the process keeps the round after its entry quiet; on a guess it
		// would rather not wait (on its own, a quiet round is only lost time).
		const entry = this.entrySlot === undefined ? undefined : this.slots.get(this.entrySlot);
		if (entry && !this.provisional) this.quietRound = entry.round + 1;
		this.entering = false;
		this.entrySlot = undefined;
		this.plan = undefined;
	}

	private probeWentThrough(slotId: number): void {
		const probe = this.probe;
		if (!probe) return;
		probe.slots = probe.slots.filter((id) => id !== slotId);
		if (probe.slots.length > 0) return;
		// Every probe of the round went through: the larger share is free. Take it; on a starting
		// guess, try the next one.
		this.probe = undefined;
		if (!probe.place) this.alone();
		else this.moveTo(probe.place, { enter: false, provisional: probe.purpose === 'start' });
	}

	private probeRefused(): void {
		const probe = this.probe;
		this.probe = undefined;
		this.plan = undefined;
		// The share is someone else's: our place stands. A try after a calm waits longer next time.
		if (probe?.purpose === 'calm') this.probeAfterMs = Math.min(MAX_PROBE_AFTER_MS, this.probeAfterMs * 2);
		this.provisional = false;
		this.calmSince = this.now();
	}

	/**
	 * Sends in rounds from `place` (at most `MAX_PROCESSES` processes): entering its tier (a contest,
	 * unless it is taken without one) or as a member.
	 */
	private moveTo(place: Place, how: { enter: boolean; provisional: boolean; first?: boolean }): void {
		const layout = layoutFor(Math.min(MAX_PROCESSES, place.processes), this.perRound());
		this.place = { processes: layout.processes, tier: Math.min(Math.max(0, place.tier), layout.tiers.length - 1) };
		this.layout = layout;
		this.provisional = how.provisional;
		this.entering = how.enter && !takesWithoutContest(layout, this.place.tier);
		if (this.entering) this.counters.entries++;
		this.entrySlot = undefined;
		this.probe = undefined;
		this.plan = undefined;
		this.conflictRounds.length = 0;
		this.epoch++;
		const round = this.currentRound();
		this.settleUntilRound = round + SETTLE_CYCLES * layout.cycle;
		this.firstUntilRound = how.first ? round + FIRST_CYCLES * layout.cycle : Number.NEGATIVE_INFINITY;
		this.calmSince = this.now();
	}

	private alone(): void {
		// The window pacing starts from the requests that just left in rounds.
		const now = this.now();
		this.starts.length = 0;
		for (const slot of this.slots.values()) {
			if (!slot.refused && now - slot.countedAt < this.freeWindow()) this.starts.push(slot.countedAt);
		}
		this.starts.sort((a, b) => a - b);
		this.place = undefined;
		this.layout = undefined;
		this.entering = false;
		this.entrySlot = undefined;
		this.probe = undefined;
		this.plan = undefined;
		this.provisional = false;
		this.epoch++;
	}

	private startAfresh(): void {
		const told = this.sharedProcesses > 1;
		const q = this.perRound();
		// Not told: start as one of the fewest processes that need tiers (at QPS 2: 3), or as one of
		// two at a higher QPS, and probe for more.
		const guess = told ? this.sharedProcesses : q <= 2 ? q + 1 : 2;
		this.moveTo({ processes: guess, tier: 0 }, { enter: true, provisional: !told });
		this.guardMs = INITIAL_GUARD_MS;
		this.budget = BUDGET_TOKENS;
		this.refusedStarts.length = 0;
		this.starts.length = 0;
		this.probeAfterMs = PROBE_AFTER_MS;
		this.coldUntilRound = this.currentRound() + COLD_ROUNDS;
		this.scouted = false;
	}

	private contention(now: number): void {
		this.counters.contention429s++;
		if (now - this.lastContentionAt > CONTENTION_MEMORY_MS) this.contentionSince = now;
		this.lastContentionAt = now;
	}

	/** Requests the key allows in one window (one round). */
	private perRound(): number {
		return Math.max(1, Math.floor(this.qps));
	}

	/** One round of the clock every process shares: a window (1/QPS s below 1 request/s) plus the guard. */
	private roundMs(): number {
		return (WINDOW_MS + ROUND_GUARD_MS) / Math.min(1, this.qps);
	}

	private currentRound(): number {
		return Math.floor(this.now() / this.roundMs());
	}

	/**
	 * Verdicts that time has settled (an entry or probe with no 429 for `VERDICT_WAIT_MS` went
	 * through), and tries for a larger share: at once on a starting guess, after a long calm otherwise.
	 */
	private review(now: number): void {
		if (this.entering && this.entrySlot !== undefined) {
			const slot = this.slots.get(this.entrySlot);
			if (!slot || now - slot.startedAt >= VERDICT_WAIT_MS) this.admitted();
		}
		if (this.probe && this.probe.slots.length > 0 && now - this.probe.sentAt >= VERDICT_WAIT_MS) {
			for (const id of [...this.probe.slots]) {
				const slot = this.slots.get(id);
				if (slot) slot.answered = true;
				this.probeWentThrough(id);
			}
		}
		if (this.place && !this.entering && !this.probe) {
			if (this.provisional) this.startProbe('start');
			else if (now - this.calmSince > this.probeAfterMs) this.startProbe('calm');
		}
	}

	/** A try for the share of one process fewer (alone, from two). */
	private startProbe(purpose: 'start' | 'calm'): void {
		if (!this.place) return;
		const processes = this.place.processes - 1;
		const place = processes <= 1 ? undefined : { processes, tier: Math.min(this.place.tier, layoutFor(processes, this.perRound()).tiers.length - 1) };
		this.probe = { place, round: undefined, slots: [], sentAt: 0, purpose };
		this.plan = undefined;
		if (purpose === 'calm') this.calmSince = this.now();
	}

	/** Requests the probed place would send in `round` beyond ours. */
	private probeUnitsIn(round: number): number {
		if (!this.probe || !this.place || !this.layout) return 0;
		const { place } = this.probe;
		const wanted = place ? unitsAt(layoutFor(place.processes, this.perRound()), place.tier, round) : this.perRound();
		return Math.max(0, wanted - unitsAt(this.layout, this.place.tier, round));
	}

	private usedIn(round: number): Record<Kind, number> {
		let used = this.used.get(round);
		if (!used) {
			used = { free: 0, scout: 0, claim: 0, entry: 0, probe: 0 };
			this.used.set(round, used);
			for (const old of this.used.keys()) if (old < round - 4) this.used.delete(old);
		}
		return used;
	}

	/** The next slot in rounds: its round, kind and time; the same plan until it is taken or stale. */
	private nextPlan(now: number): { round: number; kind: Kind; at: number } | undefined {
		if (this.plan && this.plan.epoch === this.epoch && this.plan.at >= now - LATE_ROUND_MS) return this.plan;
		this.plan = undefined;
		const { place, layout } = this;
		if (!place || !layout) return undefined;
		const length = this.roundMs();
		const first = Math.floor((now - LATE_ROUND_MS) / length);
		for (let round = first; round <= first + 2 * layout.cycle + 1; round++) {
			const used = this.usedIn(round);
			const mine = unitsAt(layout, place.tier, round);
			const kinds: Kind[] = [];
			if (this.entering) {
				// One entry, in the first round of the tier's block (where its members claim first).
				const usable = round * length + OFFSET_MS.entry >= now - LATE_ROUND_MS;
				if (this.entrySlot === undefined && usable && isEntryRound(layout, place.tier, round)) {
					// More than a round before the entry, the first request of a start leaves at once, a
					// *scout*: a single request, or a test in the editor, does not wait for the entry. It no
					// longer counts when the entry leaves. Refused, it tells that the key is busy: the
					// process would lose tier 0, and skips it.
					const scout = !this.scouted && place.tier === 0 && round * length - now >= length;
					this.scouted = true;
					if (scout) {
						this.plan = { round: Math.floor(now / length), kind: 'scout', at: now, epoch: this.epoch };
						return this.plan;
					}
					kinds.push('entry');
				}
			} else if (round !== this.quietRound) {
				if (used.claim < mine) kinds.push('claim');
				const probe = this.probe;
				if (probe && (probe.round === undefined || probe.round === round) && used.probe < this.probeUnitsIn(round)) kinds.push('probe');
			}
			for (const kind of kinds) {
				const offset = kind === 'claim' && round < this.firstUntilRound ? FIRST_OFFSET_MS : OFFSET_MS[kind];
				const at = round * length + offset + this.random() * OFFSET_SPREAD_MS;
				if (at >= now - LATE_ROUND_MS && at >= this.quietUntil) {
					this.plan = { round, kind, at, epoch: this.epoch };
					return this.plan;
				}
			}
		}
		return undefined;
	}

	private async waitForSlot(): Promise<number> {
		for (;;) {
			const now = this.now();
			if (this.lastStartAt > Number.NEGATIVE_INFINITY && now - this.lastStartAt > FORGET_AFTER_MS) {
				this.lastStartAt = Number.NEGATIVE_INFINITY;
				this.startAfresh();
			}
			if (this.holdUntil > now) {
				await sleep(this.holdUntil - now);
				continue;
			}
			this.review(now);
			if (!this.place) {
				const slot = this.freeSlot(now);
				if (slot !== undefined) return slot;
				await sleep(Math.max(1, this.starts[0] + this.freeWindow() - now));
				continue;
			}
			if (this.entering && this.entrySlot !== undefined) {
				// The entry's verdict decides where we send: nothing else leaves until it comes.
				await sleep(POLL_MS);
				continue;
			}
			const plan = this.nextPlan(now);
			if (!plan) {
				await sleep(this.roundMs());
				continue;
			}
			if (plan.at > now) {
				// Wake at the slot, or earlier for a verdict that may change the plan.
				await sleep(Math.min(plan.at - now, this.probe ? POLL_MS * 10 : this.roundMs()));
				continue;
			}
			return this.take(now, plan);
		}
	}

	private freeWindow(): number {
		return this.qps < 1 ? this.windowMs / this.qps : this.windowMs;
	}

	/** Alone: a start now if the window has room. */
	private freeSlot(now: number): number | undefined {
		const window = this.freeWindow();
		// Idle for two windows: the connection and n8n's credential cache are cold again.
		if (now - this.lastStartAt > 2 * window) this.coldUntil = now + window;
		while (this.starts.length > 0 && this.starts[0] <= now - window) this.starts.shift();
		if (this.starts.length >= this.perRound()) return undefined;
		const cold = now < this.coldUntil;
		const countedAt = cold ? now + COLD_START_MS : now;
		this.starts.push(countedAt);
		return this.record({ kind: 'free', startedAt: now, countedAt, round: Number.NaN, epoch: this.epoch, cold, refused: false, answered: false });
	}

	private take(now: number, plan: { round: number; kind: Kind }): number {
		this.plan = undefined;
		const used = this.usedIn(plan.round);
		used[plan.kind]++;
		// An entry stands for the member's request in that round.
		if (plan.kind === 'entry') used.claim++;
		const cold = plan.round < this.coldUntilRound;
		const id = this.record({ kind: plan.kind, startedAt: now, countedAt: now, round: plan.round, epoch: this.epoch, cold, refused: false, answered: false });
		if (plan.kind === 'entry') this.entrySlot = id;
		if (plan.kind === 'probe' && this.probe) {
			this.probe.round = plan.round;
			this.probe.slots.push(id);
			this.probe.sentAt = now;
			this.counters.probes++;
		}
		return id;
	}

	private record(slot: Slot): number {
		this.lastStartAt = slot.startedAt;
		const id = this.nextSlotId++;
		this.slots.set(id, slot);
		this.slots.delete(id - SLOTS_KEPT);
		return id;
	}
}

function normalizeShared(value: number | undefined): number {
	const shared = Math.floor(Number(value ?? 0));
	return Number.isFinite(shared) && shared > 1 ? Math.min(shared, MAX_PROCESSES) : 1;
}

const pacers = new Map<string, Pacer>();
const sharedByKey = new Map<string, number>();

/** Records the credential's "n8n processes sharing this key" for `pacerFor` (resolveApiHost calls it). */
export function shareKey(key: string, sharedProcesses: number): void {
	sharedByKey.set(key, sharedProcesses);
}

/**
 * One pacer per API host and credential, so parallel executions with one key share its limit.
 * `sharedProcesses` (the credential's "n8n processes sharing this key", by default what
 * `shareKey` recorded) sets the starting estimate.
 */
export function pacerFor(key: string, qps: number, sharedProcesses = sharedByKey.get(key)): Pacer {
	let pacer = pacers.get(key);
	if (!pacer) {
		pacer = new Pacer(qps, { sharedProcesses });
		pacers.set(key, pacer);
	} else {
		pacer.setQps(qps, sharedProcesses);
	}
	return pacer;
}
