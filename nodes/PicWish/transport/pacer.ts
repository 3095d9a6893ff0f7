/**
 * Keeps requests to one API key within its rate limit (QPS), shared by every item of an execution
 * and by concurrent executions in this n8n process that use the same key.
 *
 * On its own, a process sends at the full QPS: at most `qps` starts in any window of one second plus
 * a small guard for the jitter between our start and the server's clock (a 429 widens the guard a
 * step, a run of successes takes it back).
 *
 * In n8n's queue mode several workers send with one key and cannot talk to each other, so each finds
 * its share from the 429s it gets. Below the full rate a process sends on a grid of the wall clock
 * (one slot every 1/QPS second, the same grid in every process) and uses every `stride`-th slot at
 * its own offset: its rate is QPS / stride. Contention cuts the rate multiplicatively (from the full
 * rate to half, then stride s → s + 1); after a calm spell the process tries for twice its rate, and
 * a try that is refused doubles the calm it waits before the next. After a 429 the process moves to
 * another offset drawn at random (full jitter over its stride); a process whose requests go through
 * keeps its offset, so workers settle on different slots and stop colliding, instead of drifting into
 * each other as free-running timers do.
 *
 * Not every 429 means contention. When our own last `qps` starts fit in one second, the 429 is our
 * own timing (a cold connection made the first requests arrive late): it only widens the guard.
 * A 429 our own starts cannot explain (another process used the key), or a second one a window
 * later, is contention. A retry budget (tokens spent by 429s, earned by successes) makes a process
 * that keeps being refused back off exponentially, with full jitter, instead of retrying at its pace.
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

/** Our own starts "explain" a 429 when the last `qps` of them fit in a window plus this much arrival skew. */
const OWN_SKEW_MS = 300;
/** Two 429s this close together (and a window apart) are sustained contention, not a cold start. */
const SUSTAINED_MS = 6000;
/** The lowest rate is QPS / MAX_STRIDE. */
const MAX_STRIDE = 16;
/** A grid slot that began this long ago may still be used (timers fire a little late). */
const LATE_SLOT_MS = 40;
/** Calm (no 429) this long before trying twice the rate; doubled after a try that was refused. */
const PROBE_AFTER_MS = 4000;
/** With "n8n processes sharing this key" set, the share is known: try for more only after longer calm. */
const PROBE_AFTER_SHARED_MS = 30_000;
const MAX_PROBE_AFTER_MS = 120_000;
/** After this long without a request, what we learnt about other processes is stale: start afresh. */
const FORGET_AFTER_MS = 60_000;
/** Retry budget: a 429 spends a token, a success earns some back; below zero the process backs off. */
const BUDGET_TOKENS = 6;
const BUDGET_EARN = 0.5;
const MAX_BACKOFF_MS = 8000;
const SLOTS_KEPT = 256;
/**
 * While other processes take the key's slots, a request may meet several 429s before its process
 * finds its share: it gets this many attempts beyond Max Retries (each one waits for its slot).
 */
const CONTENTION_EXTRA_RETRIES = 6;
const CONTENTION_MEMORY_MS = 60_000;
/** Contention counts as sustained (worth the extra attempts) once it has lasted this long. */
const CONTENTION_SUSTAINED_MS = 2000;
/** How many of our last answers decide whether a 429 was a collision (the only one) or overload. */
const OUTCOMES_KEPT = 4;
const OVERLOAD_429S = 2;

export interface PacerOptions {
	/** n8n processes sharing this key: each starts at QPS / sharedProcesses. 0 or 1 = on its own. */
	sharedProcesses?: number;
	now?: () => number;
	random?: () => number;
}

interface Slot {
	startedAt: number;
	stride: number;
	/** Our own previous `qps` starts lie within one window (plus skew) before this one. */
	crowded: boolean;
}

/** What the pacer has seen: for tests, the benchmark and debugging. */
export interface PacerStats {
	rate: number;
	stride: number;
	guardMs: number;
	budget: number;
	contention429s: number;
	own429s: number;
	cuts: number;
	probes: number;
}

export class Pacer {
	private readonly starts: number[] = [];
	/** The real times of our last `qps` starts (`starts` holds cold-start shifted ones, pruned by the window). */
	private readonly recentStarts: number[] = [];
	private guardMs = INITIAL_GUARD_MS;
	private coldUntil = 0;
	private lastStartAt = Number.NEGATIVE_INFINITY;
	private queue: Promise<void> = Promise.resolve();
	private readonly now: () => number;
	private readonly random: () => number;
	private sharedProcesses: number;

	private stride: number;
	private offset = 0;
	private lastGridIndex = Number.NEGATIVE_INFINITY;
	private holdUntil = 0;
	private lastCutAt = Number.NEGATIVE_INFINITY;
	/** Since when no 429 came (or since the pacer started afresh). */
	private calmSince: number;
	private probeAfterMs: number;
	private probingSince: number | undefined;
	private budget = BUDGET_TOKENS;
	private refusedInARow = 0;
	private readonly refusedSlots: number[] = [];
	/** Our last answers, true for a 429. */
	private readonly outcomes: boolean[] = [];
	private readonly slots = new Map<number, Slot>();
	private nextSlotId = 1;
	private readonly counters = { contention429s: 0, own429s: 0, cuts: 0, probes: 0 };
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
		this.stride = this.sharedProcesses;
		this.offset = this.randomOffset();
		this.calmSince = this.now();
		this.probeAfterMs = this.baseProbeAfterMs();
	}

	setQps(qps: number, sharedProcesses?: number): void {
		const shared = sharedProcesses === undefined ? this.sharedProcesses : normalizeShared(sharedProcesses);
		if (qps === this.qps && shared === this.sharedProcesses) return;
		if (qps !== this.qps) this.lastGridIndex = Number.NEGATIVE_INFINITY;
		this.qps = qps;
		if (shared !== this.sharedProcesses) {
			this.sharedProcesses = shared;
			this.stride = Math.max(this.stride, shared);
			this.offset = this.randomOffset();
			this.probeAfterMs = this.baseProbeAfterMs();
		}
	}

	get windowMs(): number {
		return WINDOW_MS + this.guardMs;
	}

	/** The requests per second this process allows itself right now (≤ the configured QPS). */
	get currentRate(): number {
		return this.qps / this.stride;
	}

	get stats(): PacerStats {
		return { rate: this.currentRate, stride: this.stride, guardMs: this.guardMs, budget: this.budget, ...this.counters };
	}

	/**
	 * Resolves when a request may start; callers are served in the order they asked. The number it
	 * resolves to names the slot: give it to `penalize` so the 429 is judged against that start.
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
	 * The server said 429 for the request started in `slotId` (default: the latest start). Keeps
	 * everyone waiting at least `retryAfterMs` when the server said so; on contention lowers the
	 * rate and moves to a random offset; over the retry budget, backs off with full jitter.
	 */
	penalize(retryAfterMs = 0, slotId?: number): void {
		const now = this.now();
		const slot = (slotId === undefined ? undefined : this.slots.get(slotId)) ?? this.slots.get(this.nextSlotId - 1);
		const startedAt = slot?.startedAt ?? now;
		const sustained = this.refusedSlots.some((at) => startedAt - at >= this.windowMs && now - at <= SUSTAINED_MS);
		const contention = !slot?.crowded || sustained;
		this.refusedSlots.push(startedAt);
		while (this.refusedSlots.length > 0 && now - this.refusedSlots[0] > SUSTAINED_MS) this.refusedSlots.shift();
		this.calmSince = now;
		this.budget -= 1;
		this.refusedInARow++;
		this.remember(true);

		if (contention) {
			this.counters.contention429s++;
			if (now - this.lastContentionAt > CONTENTION_MEMORY_MS) this.contentionSince = now;
			this.lastContentionAt = now;
			// One cut per round: 429s of requests that left before the last cut, or at another
			// stride, were answered to a rate we have already left.
			// Below the full rate, a first 429 is a collision with another process's slots: moving to
			// another offset fixes that. A second one among our last answers means too many senders.
			const collision = this.stride > 1 && this.outcomes.filter((refused) => refused).length < OVERLOAD_429S;
			if (!collision && startedAt >= this.lastCutAt && (slot?.stride ?? this.stride) === this.stride) {
				if (this.probingSince !== undefined) {
					// We tried for one slot more and someone else had it: wait longer before the next try.
					this.probeAfterMs = Math.min(MAX_PROBE_AFTER_MS, this.probeAfterMs * 2);
					this.probingSince = undefined;
				}
				// Rate × stride/(stride+1); from the full rate (stride 1) straight to half.
				this.stride = Math.min(MAX_STRIDE, this.stride + 1);
				this.lastCutAt = now;
				this.counters.cuts++;
			}
			// Someone else sends in our slots: move to another offset, at random.
			this.offset = this.otherOffset();
		} else {
			this.counters.own429s++;
			this.guardMs = Math.min(MAX_GUARD_MS, this.guardMs + GUARD_STEP_MS);
		}
		let wait = retryAfterMs;
		if (this.budget < 0) {
			// Over budget: the whole process backs off exponentially, with full jitter.
			wait += fullJitter(Math.min(MAX_BACKOFF_MS, this.gridMs() * this.stride * 2 ** Math.min(4, -this.budget)), this.random);
		}
		if (wait > 0) this.holdUntil = Math.max(this.holdUntil, now + wait);
	}

	/**
	 * Extra attempts a 429 may take beyond Max Retries: some while other processes have been taking
	 * the key's slots for a while (a 429 there is a wait for a slot, not a failure), none otherwise.
	 */
	extraRetriesFor429(): number {
		const sustained = this.lastContentionAt - this.contentionSince >= CONTENTION_SUSTAINED_MS;
		return sustained && this.now() - this.lastContentionAt <= CONTENTION_MEMORY_MS ? CONTENTION_EXTRA_RETRIES : 0;
	}

	/** A request went through: earn back budget and guard; after a calm spell, try for twice the rate. */
	reward(): void {
		const now = this.now();
		this.budget = Math.min(BUDGET_TOKENS, this.budget + BUDGET_EARN);
		this.refusedInARow = 0;
		this.remember(false);
		if (this.guardMs > INITIAL_GUARD_MS) this.guardMs = Math.max(INITIAL_GUARD_MS, this.guardMs - GUARD_RECOVERY_MS);
		const calmMs = now - this.calmSince;
		if (this.probingSince !== undefined && now - this.probingSince > this.probeAfterMs / 2) {
			// The extra slot held: the next try may come as early as the first one did.
			this.probingSince = undefined;
			this.probeAfterMs = this.baseProbeAfterMs();
		}
		if (this.stride > 1 && calmMs > this.probeAfterMs) {
			this.stride = Math.ceil(this.stride / 2);
			this.offset %= this.stride;
			this.calmSince = now;
			this.probingSince = now;
			this.counters.probes++;
		}
	}

	private remember(refused: boolean): void {
		this.outcomes.push(refused);
		if (this.outcomes.length > OUTCOMES_KEPT) this.outcomes.shift();
	}

	private baseProbeAfterMs(): number {
		return this.sharedProcesses > 1 ? PROBE_AFTER_SHARED_MS : PROBE_AFTER_MS;
	}

	private randomOffset(): number {
		return Math.min(this.stride - 1, Math.floor(this.random() * this.stride));
	}

	/** Another offset than ours, drawn at random (full jitter over the stride). */
	private otherOffset(): number {
		if (this.stride < 2) return 0;
		return (this.offset + 1 + Math.min(this.stride - 2, Math.floor(this.random() * (this.stride - 1)))) % this.stride;
	}

	/**
	 * One slot of the grid every process shares: the full QPS spread evenly, with the first guard.
	 * It must not follow our own guard: the grid is the wall clock divided by it.
	 */
	private gridMs(): number {
		return (WINDOW_MS + INITIAL_GUARD_MS) / this.qps;
	}

	private async waitForSlot(): Promise<number> {
		const limit = Math.max(1, Math.floor(this.qps));
		// Fractional QPS (e.g. 0.5) becomes one request per 1/qps seconds.
		const window = this.qps < 1 ? this.windowMs / this.qps : this.windowMs;
		for (;;) {
			const now = this.now();
			if (this.lastStartAt > 0 && now - this.lastStartAt > FORGET_AFTER_MS) this.forget();
			while (this.starts.length > 0 && this.starts[0] <= now - window) this.starts.shift();
			if (this.holdUntil > now) {
				await sleep(this.holdUntil - now);
				continue;
			}
			if (this.stride > 1) {
				// Our next grid slot: index ≡ offset (mod stride), after the last one we used.
				const grid = this.gridMs();
				let index = Math.max(Math.ceil((now - LATE_SLOT_MS) / grid), this.lastGridIndex + 1);
				index += (((this.offset - index) % this.stride) + this.stride) % this.stride;
				const at = index * grid;
				if (at > now) {
					await sleep(at - now);
					continue;
				}
				if (this.starts.length < limit) {
					this.lastGridIndex = index;
					return this.take(now, limit);
				}
			} else if (this.starts.length < limit) {
				// Idle for two windows: the connection and n8n's credential cache are cold again.
				if (now - this.lastStartAt > 2 * window) this.coldUntil = now + window;
				return this.take(now, limit);
			}
			await sleep(Math.max(1, this.starts[0] + window - now));
		}
	}

	private take(now: number, limit: number): number {
		// The server's window ends with this arrival: did our own previous `limit` starts fill it?
		const ownEarlier = this.recentStarts.length >= limit ? this.recentStarts[this.recentStarts.length - limit] : Number.NEGATIVE_INFINITY;
		const crowded = now - ownEarlier <= WINDOW_MS + OWN_SKEW_MS + COLD_START_MS;
		this.recentStarts.push(now);
		if (this.recentStarts.length > limit) this.recentStarts.shift();
		this.lastStartAt = now;
		this.starts.push(now < this.coldUntil ? now + COLD_START_MS : now);
		const id = this.nextSlotId++;
		this.slots.set(id, { startedAt: now, stride: this.stride, crowded });
		this.slots.delete(id - SLOTS_KEPT);
		return id;
	}

	private forget(): void {
		this.stride = this.sharedProcesses;
		this.offset = this.randomOffset();
		this.guardMs = INITIAL_GUARD_MS;
		this.budget = BUDGET_TOKENS;
		this.refusedInARow = 0;
		this.refusedSlots.length = 0;
		this.outcomes.length = 0;
		this.calmSince = this.now();
		this.probeAfterMs = this.baseProbeAfterMs();
		this.probingSince = undefined;
	}
}

function normalizeShared(value: number | undefined): number {
	const shared = Math.floor(Number(value ?? 0));
	return Number.isFinite(shared) && shared > 1 ? Math.min(shared, MAX_STRIDE) : 1;
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
