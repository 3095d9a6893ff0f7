/**
 * A retried delivery of the same callback must not start a second run. Task IDs already turned into
 * a run are remembered twice:
 * - in the workflow's static data (saved by n8n after each webhook call), so a duplicate that comes
 *   later, after a restart or on another main instance, is still known;
 * - in this process, because n8n loads the static data at the start of each call and saves it at the
 *   end: two calls at the same moment would both miss each other, and the last save would drop the
 *   other's ID. A task being read right now is "in flight" here, so its twin waits for nothing and is
 *   answered as a duplicate.
 * Both are bounded: IDs older than MAX_AGE_MS or beyond MAX_ENTRIES (oldest first) are forgotten.
 */
import type { IDataObject } from 'n8n-workflow';

export const MAX_ENTRIES = 5000;
/** PicWish result links live one hour; a day covers any sensible redelivery. */
export const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const STATIC_KEY = 'picWishSeenTasks';

/** Per trigger node (workflow ID + node ID): task ID → when it was seen (ms) or claimed. */
const processMemory = new Map<string, Map<string, number>>();

export interface SeenLimits {
	maxEntries: number;
	maxAgeMs: number;
}

const LIMITS: SeenLimits = { maxEntries: MAX_ENTRIES, maxAgeMs: MAX_AGE_MS };

function prune(entries: Map<string, number>, now: number, limits: SeenLimits): void {
	for (const [taskId, at] of entries) {
		if (now - at > limits.maxAgeMs) entries.delete(taskId);
	}
	const excess = entries.size - limits.maxEntries;
	if (excess > 0) {
		const oldest = [...entries].sort((a, b) => a[1] - b[1]).slice(0, excess);
		for (const [taskId] of oldest) entries.delete(taskId);
	}
}

export class SeenTasks {
	private readonly memory: Map<string, number>;
	private readonly inFlight = new Set<string>();

	constructor(
		private readonly staticData: IDataObject,
		nodeKey: string,
		private readonly now: () => number = Date.now,
		private readonly limits: SeenLimits = LIMITS,
	) {
		let memory = processMemory.get(nodeKey);
		if (!memory) {
			memory = new Map();
			processMemory.set(nodeKey, memory);
		}
		this.memory = memory;
	}

	private stored(): Record<string, number> {
		const value = this.staticData[STATIC_KEY];
		return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, number>) : {};
	}

	/** Takes the task for this call; false when it was already run (or is being read by another call). */
	claim(taskId: string): boolean {
		const now = this.now();
		const storedAt = this.stored()[taskId];
		if (typeof storedAt === 'number' && now - storedAt <= this.limits.maxAgeMs) return false;
		const memoryAt = this.memory.get(taskId);
		if (memoryAt !== undefined && now - memoryAt <= this.limits.maxAgeMs) return false;
		this.memory.set(taskId, now);
		this.inFlight.add(taskId);
		return true;
	}

	/** The task did not become a run (unknown, unfinished, unreadable): a later call may try again. */
	release(taskId: string): void {
		if (this.inFlight.delete(taskId)) this.memory.delete(taskId);
	}

	/** The task became a run: remember it here and in the workflow's static data. */
	done(taskId: string): void {
		const now = this.now();
		this.inFlight.delete(taskId);
		this.memory.delete(taskId);
		this.memory.set(taskId, now);
		prune(this.memory, now, this.limits);
		const entries = new Map(Object.entries(this.stored()));
		entries.delete(taskId);
		entries.set(taskId, now);
		prune(entries, now, this.limits);
		this.staticData[STATIC_KEY] = Object.fromEntries(entries);
	}
}

/** For tests: forget what this process remembers. */
export function clearProcessMemory(): void {
	processMemory.clear();
}
