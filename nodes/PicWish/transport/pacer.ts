/**
 * Keeps requests to one API key within its rate limit (QPS), shared by every item of an execution
 * and by concurrent executions that use the same key: at most `qps` requests start in any window of
 * one second plus a small guard for the jitter between our start and the server's clock. A 429
 * widens the guard a step; a run of successes brings it back, so one stray 429 does not slow the
 * rest of a batch (each extra millisecond of guard costs 0.1 % of throughput).
 */
import { sleep } from 'n8n-workflow';

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

export class Pacer {
	private readonly starts: number[] = [];
	private guardMs = INITIAL_GUARD_MS;
	private coldUntil = 0;
	private lastStartAt = Number.NEGATIVE_INFINITY;
	private queue: Promise<void> = Promise.resolve();

	constructor(
		private qps: number,
		private readonly now: () => number = Date.now,
	) {}

	setQps(qps: number): void {
		this.qps = qps;
	}

	get windowMs(): number {
		return WINDOW_MS + this.guardMs;
	}

	/** Resolves when a request may start; callers are served in the order they asked. */
	async acquire(): Promise<void> {
		const turn = this.queue.then(async () => await this.waitForSlot());
		// The chain must survive a rejected turn; waitForSlot only sleeps, so none is expected.
		this.queue = turn.catch(() => undefined);
		await turn;
	}

	/** The server said 429: space requests further apart, and keep nobody waiting for less than `delayMs`. */
	penalize(delayMs = 0): void {
		this.guardMs = Math.min(MAX_GUARD_MS, this.guardMs + GUARD_STEP_MS);
		if (delayMs > 0) {
			const until = this.now() + delayMs;
			// Filling the window with future starts makes every caller wait until `until`.
			this.starts.length = 0;
			for (let index = 0; index < Math.max(1, Math.floor(this.qps)); index++) {
				this.starts.push(until - this.windowMs);
			}
		}
	}

	/** A request went through: let the guard shrink back slowly towards its start value. */
	reward(): void {
		if (this.guardMs > INITIAL_GUARD_MS) this.guardMs = Math.max(INITIAL_GUARD_MS, this.guardMs - GUARD_RECOVERY_MS);
	}

	private async waitForSlot(): Promise<void> {
		const limit = Math.max(1, Math.floor(this.qps));
		// Fractional QPS (e.g. 0.5) becomes one request per 1/qps seconds.
		const window = this.qps < 1 ? this.windowMs / this.qps : this.windowMs;
		for (;;) {
			const now = this.now();
			while (this.starts.length > 0 && this.starts[0] <= now - window) this.starts.shift();
			if (this.starts.length < limit) {
				// Idle for two windows: the connection and n8n's credential cache are cold again.
				if (now - this.lastStartAt > 2 * window) this.coldUntil = now + window;
				this.lastStartAt = now;
				this.starts.push(now < this.coldUntil ? now + COLD_START_MS : now);
				return;
			}
			await sleep(this.starts[0] + window - now);
		}
	}
}

const pacers = new Map<string, Pacer>();

/** One pacer per API host and credential, so parallel executions with one key share its limit. */
export function pacerFor(key: string, qps: number): Pacer {
	let pacer = pacers.get(key);
	if (!pacer) {
		pacer = new Pacer(qps);
		pacers.set(key, pacer);
	} else {
		pacer.setQps(qps);
	}
	return pacer;
}
