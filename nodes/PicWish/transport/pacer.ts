/**
 * Keeps requests to one API key within its rate limit (QPS), shared by every item of an execution
 * and by concurrent executions in this n8n process that use the same key.
 *
 * On its own, a process sends at the full QPS: at most `qps` starts in any window of one second plus
 * a small guard for the jitter between our start and the server's clock (a 429 our own starts
 * explain widens the guard a step, a run of successes takes it back). After an idle spell, until its
 * first answer, each request waits (briefly) for the answer to the one before ("scouting"); then the
 * process sends its first three rounds at round starts (below): a process that is not alone learns
 * it from a refused request there instead of a refused burst, or of never being refused while it
 * takes every window from the others.
 *
 * In n8n's queue mode several workers send with one key and cannot talk to each other, so each finds
 * its share from the 429s it gets. A process that meets another one switches to rounds: the wall
 * clock cut into rounds of one window plus a guard (the same rounds in every process), each round
 * holding the key's `qps` requests (the rounds are what the processes agree on without talking: the
 * wall clocks of n8n's hosts agree to milliseconds). A process that estimates `n` processes on the key uses `qps`
 * request units per `n` rounds, at most one unit in a round when n ≥ qps: with 3 processes at QPS 2,
 * each sends in 2 rounds of every 3, and the rounds fill exactly.
 *
 * - A refused request in a round (someone else took the round's last unit) moves that unit to
 *   another round of the cycle, drawn at random; the process that got its request through keeps its
 *   round. So processes settle on rounds that fit together.
 * - Refused again soon after (more refusals than moving explains), or nowhere left to move: more
 *   processes share the key than estimated: n + 1 (the multiplicative decrease of the rate).
 * - After a long calm the process tries n − 1 (the additive increase); a try that is refused doubles
 *   the calm it waits before the next.
 * - In a round, a process that takes a larger share (estimates fewer processes) sends a little
 *   later: in an overfull round the server refuses the last requests, so the process that should
 *   take less hears of it first. Among equals a small random delay leaves it to chance.
 * - A moved unit goes to a round the process leaves free if it has one (where room is likeliest),
 *   never back to a round that refused it lately.
 *
 * A retry budget (tokens spent by 429s, earned by successes) makes a process that keeps being
 * refused back off exponentially, with full jitter, instead of retrying at its pace.
 */
import { sleep } from 'n8n-workflow';

import { fullJitter } from './retry';

const WINDOW_MS = 1000;
const INITIAL_GUARD_MS = 25;
/**
 * After an idle spell the first requests leave late (connection set-up, credential loading): their
 * slots are counted as taken this much later, so the next ones do not catch up with them.
 */
const COLD_START_MS = 120;
const MAX_GUARD_MS = 1000;
const GUARD_STEP_MS = 40;
const GUARD_RECOVERY_MS = 8;
/**
 * Our own starts "explain" a 429 when `qps` of them (not refused) lie within a window plus this much
 * arrival skew before it. Once warm, requests reach the server within a few milliseconds of their
 * start; in the first window after an idle spell they may arrive much later.
 */
const OWN_SKEW_MS = 40;
const COLD_SKEW_MS = 400;
/** This many 429s our own starts explain, within this span, are contention all the same. */
const SUSTAINED_429S = 3;
const SUSTAINED_MS = 10_000;
/**
 * After an idle spell, until the first answer ("scouting"), a request waits for the answer to the
 * one before it, up to this long: a process that is not alone hears of it from a refused single
 * request instead of a refused burst.
 */
const SCOUT_WAIT_MS = 600;
/**
 * The same wait for a process told it shares the key: it sends a share of the rate anyway, so it can
 * wait for the answer. When many executions start at once, a worker's first requests leave late
 * (its database is busy); sent one by one they cannot arrive together.
 */
const SHARED_SCOUT_WAIT_MS = 3000;
/**
 * After scouting, a process on its own first sends its requests at the start of rounds, like
 * processes that know others share the key, for this many rounds: there a process not alone meets
 * the others' requests and hears of them, instead of taking every window before they can.
 */
const ALIGNED_ROUNDS = 3;
const SCOUT_POLL_MS = 10;
/** A round is one window plus this guard: requests of neighbouring rounds never meet in a window. */
const ROUND_GUARD_MS = 50;
/**
 * In its round, a request leaves at a random delay up to this long, after a delay that grows with the
 * share the process takes: `ROUND_ORDER_MS` for each estimated process fewer than `ROUND_ORDER_TIERS`.
 * When a round is overfull, the server refuses the requests that come last: those of the process that
 * takes the most (estimates the fewest processes), which is the one that should take less.
 */
const ROUND_SPREAD_MS = 6;
const ROUND_ORDER_MS = 8;
const ROUND_ORDER_TIERS = 4;
/** A round that began this long ago may still be used (timers fire a little late). */
const LATE_ROUND_MS = 40;
/**
 * A request still waiting to leave this long after its slot (n8n was loading the credential) would
 * reach the server late, among the next round's requests: it takes a new slot (`onTime`). On its own
 * a process allows a delay as long as the window's guard, which absorbs it.
 */
const LATE_SEND_MS = 30;
/** The largest number of processes a pacer assumes share its key. */
const MAX_PROCESSES = 16;
/** Refusals in the last two cycles (besides this one) that mean "more processes than estimated". */
const OVERLOAD_REFUSALS = 2;
/** Calm (no 429) this long before trying a larger share; doubled after a try that was refused. */
const PROBE_AFTER_MS = 30_000;
const MAX_PROBE_AFTER_MS = 240_000;
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
	/** n8n processes sharing this key: each starts with its share of the rounds. 0 or 1 = on its own. */
	sharedProcesses?: number;
	now?: () => number;
	random?: () => number;
}

interface Slot {
	startedAt: number;
	/** What it counts as in the window (a cold start counts later). */
	countedAt: number;
	/** The round it was sent in, and the estimate of processes it was sent under (0: on its own). */
	round: number;
	processes: number;
	/** Started in the first window after an idle spell. */
	cold: boolean;
	refused: boolean;
	answered: boolean;
}

/** What the pacer has seen: for tests, the benchmark and debugging. */
export interface PacerStats {
	rate: number;
	/** Processes the pacer estimates share the key (1: on its own). */
	processes: number;
	/** Request units per round of its cycle (empty on its own). */
	units: number[];
	guardMs: number;
	budget: number;
	contention429s: number;
	own429s: number;
	cuts: number;
	moves: number;
	probes: number;
	/** Requests that were still waiting to leave well after their slot, and took a new one. */
	lateSends: number;
}

export class Pacer {
	private readonly starts: number[] = [];
	private guardMs = INITIAL_GUARD_MS;
	private coldUntil = 0;
	/** Scouting: set after an idle spell, cleared by the first answer. */
	private scouting = true;
	private alignedRoundsLeft = 0;
	private lastStartAt = Number.NEGATIVE_INFINITY;
	private queue: Promise<void> = Promise.resolve();
	private readonly now: () => number;
	private readonly random: () => number;
	private sharedProcesses: number;

	/** Estimated processes on the key; 1 = on its own (window pacing), more = rounds. */
	private processes = 1;
	/** Request units this process sends in each round of its cycle of `processes` rounds. */
	private units: number[] = [];
	private lastRound = Number.NEGATIVE_INFINITY;
	/** Until this round, refusals only move units: the last estimate needs time to settle. */
	private settleUntilRound = Number.NEGATIVE_INFINITY;
	private startsInRound = 0;
	private roundDelay = 0;
	private holdUntil = 0;
	/** Since when no 429 came (or since the pacer started afresh). */
	private calmSince: number;
	private probeAfterMs = PROBE_AFTER_MS;
	private probingSince: number | undefined;
	private budget = BUDGET_TOKENS;
	/** Rounds of our recent 429s in rounds mode (cold: the request may have left late). */
	private readonly refusals: Array<{ round: number; cold: boolean }> = [];
	/** Starts of our recent 429s on our own (for "sustained"). */
	private readonly refusedStarts: number[] = [];
	private readonly slots = new Map<number, Slot>();
	private nextSlotId = 1;
	private readonly counters = { contention429s: 0, own429s: 0, cuts: 0, moves: 0, probes: 0, lateSends: 0 };
	private lastContentionAt = Number.NEGATIVE_INFINITY;
	private contentionSince = Number.NEGATIVE_INFINITY;

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
		const qpsChanged = qps !== this.qps;
		this.qps = qps;
		if (shared !== this.sharedProcesses) {
			this.sharedProcesses = shared;
			if (shared > this.processes) this.share(shared);
		} else if (qpsChanged && this.processes > 1) {
			this.share(this.processes);
		}
	}

	get windowMs(): number {
		return WINDOW_MS + this.guardMs;
	}

	/** The requests per second this process allows itself right now (≤ the configured QPS). */
	get currentRate(): number {
		if (this.processes <= 1) return this.qps;
		const units = this.units.reduce((sum, count) => sum + count, 0);
		return Math.min(this.qps, (units * 1000) / (this.units.length * this.roundMs()));
	}

	get stats(): PacerStats {
		return {
			rate: this.currentRate,
			processes: this.processes,
			units: [...this.units],
			guardMs: this.guardMs,
			budget: this.budget,
			...this.counters,
		};
	}

	/**
	 * Resolves when a request may start; callers are served in the order they asked. The number it
	 * resolves to names the slot: give it to `penalize` (or `reward`) so the answer is judged against
	 * that start.
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
		const allowed = this.processes > 1 ? LATE_SEND_MS : this.guardMs;
		if (!slot || slot.answered || this.now() - slot.startedAt <= allowed) return slotId;
		this.counters.lateSends++;
		// Not sent: it leaves the window. A round it was counted in stays used (that round is over).
		const index = this.starts.indexOf(slot.countedAt);
		if (index >= 0) this.starts.splice(index, 1);
		this.slots.delete(slotId);
		return await this.acquire();
	}

	/**
	 * The server said 429 for the request started in `slotId` (default: the latest start). Keeps
	 * everyone waiting at least `retryAfterMs` when the server said so; on contention moves the
	 * request's unit to another round or counts one process more; over the retry budget, backs off
	 * with full jitter.
	 */
	penalize(retryAfterMs = 0, slotId?: number): void {
		const now = this.now();
		const slot = (slotId === undefined ? undefined : this.slots.get(slotId)) ?? this.lastSlot();
		const startedAt = slot?.startedAt ?? now;
		this.settleSlot(slot);
		this.calmSince = now;
		this.budget -= 1;

		if (this.processes <= 1) {
			const ownInWindow = this.ownStartsBefore(slot);
			const explained = slot === undefined || ownInWindow >= this.perWindow();
			if (slot) slot.refused = true;
			this.refusedStarts.push(startedAt);
			while (this.refusedStarts.length > 0 && now - this.refusedStarts[0] > SUSTAINED_MS) this.refusedStarts.shift();
			const sustained = this.refusedStarts.length >= SUSTAINED_429S;
			if (explained && !sustained) {
				this.counters.own429s++;
				this.guardMs = Math.min(MAX_GUARD_MS, this.guardMs + GUARD_STEP_MS);
			} else {
				// Another process used the key. With none of our own requests in the window, it sent
				// the window's worth on its own: a scout, so at least `qps` others.
				this.contention(now);
				this.counters.cuts++;
				this.share(Math.max(this.sharedProcesses, ownInWindow === 0 ? this.perWindow() + 1 : 2));
			}
		} else if (slot && !slot.refused) {
			slot.refused = true;
			this.contention(now);
			// A 429 to a request sent under another estimate was an answer to a share we have left.
			if (slot.processes === this.processes) this.rearrange(slot.round, slot.cold);
		}

		let wait = retryAfterMs;
		if (this.budget < 0) {
			// Over budget: the whole process backs off exponentially, with full jitter.
			const cycle = this.processes > 1 ? this.roundMs() * this.processes : this.windowMs;
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
	 * it has left, whatever it was.
	 */
	settle(slotId?: number): void {
		this.settleSlot(slotId === undefined ? this.lastSlot() : this.slots.get(slotId));
	}

	/** A request went through: earn back budget and guard; after a long calm, try for a larger share. */
	reward(slotId?: number): void {
		const now = this.now();
		this.settle(slotId);
		this.budget = Math.min(BUDGET_TOKENS, this.budget + BUDGET_EARN);
		if (this.guardMs > INITIAL_GUARD_MS) this.guardMs = Math.max(INITIAL_GUARD_MS, this.guardMs - GUARD_RECOVERY_MS);
		if (this.probingSince !== undefined && now - this.probingSince > this.probeAfterMs / 2) {
			// The larger share held: the next try may come as early as this one did.
			this.probingSince = undefined;
			this.probeAfterMs = PROBE_AFTER_MS;
		}
		if (this.processes > 1 && now - this.calmSince > this.probeAfterMs) {
			this.calmSince = now;
			this.probingSince = now;
			this.counters.probes++;
			if (this.processes === 2) this.alone();
			else this.share(this.processes - 1);
		}
	}

	private settleSlot(slot: Slot | undefined): void {
		if (!slot) return;
		slot.answered = true;
		if (this.scouting) {
			// The first answer: requests leave now; the first window after it is still cold.
			this.scouting = false;
			if (this.processes <= 1) this.alignedRoundsLeft = ALIGNED_ROUNDS;
			this.coldUntil = Math.max(this.coldUntil, this.now() + this.windowMs);
		}
	}

	private contention(now: number): void {
		this.counters.contention429s++;
		if (now - this.lastContentionAt > CONTENTION_MEMORY_MS) this.contentionSince = now;
		this.lastContentionAt = now;
		if (this.probingSince !== undefined) {
			// We tried for a larger share and someone else had it: wait longer before the next try.
			this.probeAfterMs = Math.min(MAX_PROBE_AFTER_MS, this.probeAfterMs * 2);
			this.probingSince = undefined;
		}
	}

	/**
	 * A request of round `round` was refused: someone else took the round's last unit. Move our unit
	 * to another round of the cycle; refused too often lately, or nowhere to move to: one process
	 * more than estimated.
	 */
	private rearrange(round: number, cold: boolean): void {
		const cycle = this.processes;
		const earlier = this.refusals.filter((refusal) => refusal.round !== round && round - refusal.round < 2 * cycle);
		// A cold request may have left late and met the next round: it moves the unit, no more.
		const recent = earlier.filter((refusal) => !refusal.cold).length;
		// Rounds of the cycle that refused us lately (cold requests included): full, whatever our
		// units say.
		const refusedLately = new Set(earlier.map((refusal) => refusal.round % cycle));
		this.refusals.push({ round, cold });
		while (this.refusals.length > 0 && round - this.refusals[0].round >= 2 * cycle) this.refusals.shift();
		const from = round % cycle;
		// Another round of the cycle with room for one more of our units, drawn at random (full jitter
		// over the cycle). Two units in one round is allowed: when the others fill the same two rounds
		// of three, a pair in the third is the only way to fit.
		let targets: number[] = [];
		// With a unit in every round (a cycle no longer than the window's worth), moving cannot help.
		if (cycle > this.perWindow()) {
			this.units.forEach((count, index) => {
				if (index !== from && count < this.perWindow()) targets.push(index);
			});
		}
		// A round we leave free is where room is likeliest: someone else's unit left it, or nobody's
		// is there. A pair in a round we already use only when there is no such round, or when that
		// round refused us lately (we would move back and forth between two full rounds: a process
		// whose requests come last, as a slower host's do, is refused in every full round).
		const open = targets.filter((index) => !refusedLately.has(index));
		const free = open.filter((index) => this.units[index] === 0);
		if (free.length > 0) targets = free;
		else if (open.length > 0) targets = open;
		const overloaded = !cold && recent >= OVERLOAD_REFUSALS && round >= this.settleUntilRound;
		if (overloaded || targets.length === 0 || this.units[from] === 0) {
			if (this.processes < MAX_PROCESSES) {
				this.counters.cuts++;
				this.share(this.processes + 1);
			}
			return;
		}
		this.counters.moves++;
		this.units[from]--;
		this.units[targets[Math.min(targets.length - 1, Math.floor(this.random() * targets.length))]]++;
	}

	/** Rounds mode for `processes` processes: our `qps` units spread over the cycle from a random round. */
	private share(processes: number): void {
		const cycle = Math.min(MAX_PROCESSES, Math.max(2, processes));
		const perWindow = this.perWindow();
		const units = new Array<number>(cycle).fill(0);
		const first = Math.min(cycle - 1, Math.floor(this.random() * cycle));
		for (let unit = 0; unit < perWindow; unit++) units[(first + Math.floor((unit * cycle) / perWindow)) % cycle]++;
		this.processes = cycle;
		this.units = units;
		this.refusals.length = 0;
		// Everyone who met the same crowd changes estimate about now: give the new cycles two turns.
		this.settleUntilRound = Math.floor(this.now() / this.roundMs()) + 2 * cycle;
	}

	private alone(): void {
		this.alignedRoundsLeft = 0;
		this.processes = 1;
		this.units = [];
		this.refusals.length = 0;
	}

	private startAfresh(): void {
		if (this.sharedProcesses > 1) this.share(this.sharedProcesses);
		else this.alone();
		this.guardMs = INITIAL_GUARD_MS;
		this.budget = BUDGET_TOKENS;
		this.refusedStarts.length = 0;
		this.calmSince = this.now();
		this.probeAfterMs = PROBE_AFTER_MS;
		this.probingSince = undefined;
		this.scouting = true;
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

	private lastSlot(): Slot | undefined {
		return this.slots.get(this.nextSlotId - 1);
	}

	/** Requests the key allows in one window. */
	private perWindow(): number {
		return Math.max(1, Math.floor(this.qps));
	}

	/** One round of the clock every process shares: a window (1/QPS s below 1 request/s) plus the guard. */
	private roundMs(): number {
		return (WINDOW_MS + ROUND_GUARD_MS) / Math.min(1, this.qps);
	}

	private async waitForSlot(): Promise<number> {
		const window = this.qps < 1 ? this.windowMs / this.qps : this.windowMs;
		for (;;) {
			const now = this.now();
			if (this.lastStartAt > 0 && now - this.lastStartAt > FORGET_AFTER_MS) this.startAfresh();
			// Idle for two windows: the connection and n8n's credential cache are cold again.
			if (now - this.lastStartAt > 2 * window) this.coldUntil = now + window;
			while (this.starts.length > 0 && this.starts[0] <= now - window) this.starts.shift();
			if (this.holdUntil > now) {
				await sleep(this.holdUntil - now);
				continue;
			}
			if (this.scouting) {
				const waiting = this.lastSlot();
				const patience = this.processes > 1 ? SHARED_SCOUT_WAIT_MS : SCOUT_WAIT_MS;
				if (waiting && !waiting.answered && now - waiting.startedAt < patience) {
					await sleep(SCOUT_POLL_MS);
					continue;
				}
			}
			if (this.processes > 1 || this.alignedRoundsLeft > 0) {
				const at = this.nextRoundAt(now);
				if (at > now) {
					await sleep(at - now);
					continue;
				}
				if (this.starts.length < this.perWindow()) return this.take(now, this.lastRound);
			} else if (this.starts.length < this.perWindow()) {
				return this.take(now, Number.NaN);
			}
			await sleep(Math.max(1, this.starts[0] + window - now));
		}
	}

	/** When our next round (with a unit left) begins; sets it as the round the next start counts in. */
	private nextRoundAt(now: number): number {
		const length = this.roundMs();
		const units = this.processes > 1 ? this.units : [this.perWindow()];
		const cycle = units.length;
		let round = Math.max(Math.ceil((now - LATE_ROUND_MS) / length), this.lastRound);
		for (let step = 0; step <= cycle; step++, round++) {
			const used = round === this.lastRound ? this.startsInRound : 0;
			if (units[((round % cycle) + cycle) % cycle] > used) break;
		}
		if (round !== this.lastRound) {
			this.lastRound = round;
			this.startsInRound = 0;
			this.roundDelay = this.delayInRound();
		}
		return round * length + this.roundDelay;
	}

	/** When in its round a request leaves: later the larger the share this process takes, then at random. */
	private delayInRound(): number {
		const order = ROUND_ORDER_TIERS - Math.min(this.processes, ROUND_ORDER_TIERS);
		return order * ROUND_ORDER_MS + this.random() * ROUND_SPREAD_MS;
	}

	private take(now: number, round: number): number {
		const cold = this.scouting || now < this.coldUntil;
		if (!Number.isNaN(round)) {
			this.startsInRound++;
			this.roundDelay = this.delayInRound();
			if (this.processes <= 1 && this.startsInRound === 1) this.alignedRoundsLeft--;
		}
		this.lastStartAt = now;
		// Rounds carry their own guard; only free-running starts count a cold start as later.
		const countedAt = cold && Number.isNaN(round) ? now + COLD_START_MS : now;
		this.starts.push(countedAt);
		const id = this.nextSlotId++;
		this.slots.set(id, { startedAt: now, countedAt, round, processes: this.processes, cold, refused: false, answered: false });
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
 * `shareKey` recorded) sets the starting share.
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
