import type { Pacer, PacerOptions, PacerStats } from '../../nodes/PicWish/transport/pacer';

export interface KeyModelOptions {
	processes?: number;
	jobs?: number;
	qps?: number;
	concurrency?: number;
	sharedProcesses?: number;
	seed?: number;
	latencyMs?: number;
	refusalMs?: number;
	enqueueMs?: number;
	jobStartMs?: [number, number];
	credentialMs?: [number, number];
	lateAfterAuth?: [number, number, number];
	congestedMs?: number;
	maxRetries?: number;
	startSpreadMs?: number;
}

export interface KeyModelResult {
	requests: number;
	refused: number;
	lost: number;
	seconds: number;
	ceiling: number;
	perProcess: number[];
	stats: PacerStats[];
	log: Array<{ t: number; process: number; job: number; ok: boolean; place: string }>;
	origin: number;
}

export interface ModelClock {
	now(): number;
	advance(ms: number): Promise<unknown>;
}

export const DEFAULTS: Required<KeyModelOptions>;
export function seeded(seed: number): () => number;
export function runKeyModel(
	PacerClass: new (qps: number, options?: PacerOptions) => Pacer,
	clock: ModelClock,
	options?: KeyModelOptions,
): Promise<KeyModelResult>;
