// A model of n8n processes sharing one PicWish key, on a fake clock: several pacers (one per n8n
// process) take jobs from one queue, a few at a time each, and send them to a server that accepts
// at most `qps` requests in any rolling second (a refused request does not count) and answers the
// others 429 at once. Used by the pacer's unit tests and by scripts/pacer-model.js, which prints its
// figures over many seeds.
//
// What it models of a real n8n worker:
// - jobs reach the queue over `enqueueMs` (the main process stores each upload first) and go to a
//   process with a free lane (`concurrency` per process, like `n8n worker --concurrency`);
// - a process's event loop is busy a while (`jobStartMs`) for each job it starts: a request granted
//   meanwhile is handed to `authenticate()` (the send gate's check) only when the loop is free again;
// - after `authenticate()`, a request may still leave late (`lateAfterAuth`: its chance and its
//   delay, only while the process started a job in the last `congestedMs`), which no pacer sees;
// - a request is retried like `apiRequest` does: a 429 up to Max Retries plus the pacer's extra
//   retries, then the job is lost.
'use strict';

/** A seeded stand-in for Math.random (a linear congruential generator). */
function seeded(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

const DEFAULTS = {
	processes: 3,
	jobs: 60,
	qps: 2,
	concurrency: 10,
	sharedProcesses: 0,
	seed: 1,
	/** From arrival to a successful answer (a sync task), and to a 429 answer. */
	latencyMs: 1200,
	refusalMs: 3,
	/** Jobs reach the queue one by one over this long. */
	enqueueMs: 1500,
	/** Event-loop time a process spends to start one job. */
	jobStartMs: [20, 60],
	/** Loading the credential before authenticate(). */
	credentialMs: [1, 4],
	/**
	 * Sent late after authenticate(): [chance, min ms, max ms], while congested. Measured in n8n 2.41.1
	 * workers (a request log with each request's authenticate() time): 10-60 ms in a worker's first
	 * second, 1-5 ms later on (17 ms at most).
	 */
	lateAfterAuth: [0.5, 10, 60],
	/** How long after starting a job a process counts as congested. */
	congestedMs: 300,
	maxRetries: 4,
	/** Processes take their first job up to this long apart (measured: mostly within 0.3 s, once 1 s). */
	startSpreadMs: 300,
};

/**
 * Runs one model. `Pacer` is the pacer class; `clock` has `now()` and `advance(ms)` (async: it
 * runs due timers, as jest's or @sinonjs/fake-timers' tickAsync does).
 */
async function runKeyModel(Pacer, clock, options = {}) {
	const o = { ...DEFAULTS, ...options };
	const random = seeded(o.seed);
	const between = ([low, high]) => low + random() * (high - low);
	const origin = clock.now();
	const accepted = [];
	const log = [];
	let requests = 0;
	let refused = 0;
	let lost = 0;
	let lastAnswer = origin;
	let firstArrival;

	const processes = Array.from({ length: o.processes }, (_, index) => ({
		index,
		pacer: new Pacer(o.qps, { sharedProcesses: o.sharedProcesses, random: seeded(o.seed * 7919 + index * 104729) }),
		busyUntil: 0,
		lastJobStart: Number.NEGATIVE_INFINITY,
		free: o.concurrency,
		done: 0,
	}));
	const queue = [];
	const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

	function serve(arrival) {
		while (accepted.length > 0 && accepted[0] <= arrival - 1000) accepted.shift();
		if (accepted.length < Math.max(1, Math.floor(o.qps))) {
			accepted.push(arrival);
			return true;
		}
		return false;
	}

	async function send(proc, jobId) {
		const { pacer } = proc;
		for (let attempt = 0; ; attempt++) {
			let slot = await pacer.acquire();
			// The credential loads once the loop is free; then authenticate() checks the slot.
			await sleep(Math.max(0, proc.busyUntil - clock.now()) + between(o.credentialMs));
			slot = await pacer.onTime(slot);
			let delay = Math.max(0, proc.busyUntil - clock.now()) + random() * 2;
			if (clock.now() - proc.lastJobStart < o.congestedMs && random() < o.lateAfterAuth[0]) delay += between(o.lateAfterAuth.slice(1));
			await sleep(delay);
			const arrival = clock.now();
			firstArrival = firstArrival ?? arrival;
			requests++;
			const ok = serve(arrival);
			log.push({ t: arrival - origin, process: proc.index, job: jobId, ok, place: pacer.stats.processes > 1 ? `${pacer.stats.processes}/${pacer.stats.tier}${pacer.stats.entering ? "e" : ""}` : "alone" });
			if (ok) {
				await sleep(o.latencyMs);
				lastAnswer = clock.now();
				pacer.reward(slot);
				return true;
			}
			refused++;
			await sleep(o.refusalMs);
			lastAnswer = clock.now();
			if (attempt >= o.maxRetries + pacer.extraRetriesFor429()) {
				pacer.settle(slot);
				return false;
			}
			pacer.penalize(undefined, slot);
		}
	}

	async function lane(proc, jobId) {
		for (let job = jobId; job !== undefined; job = queue.shift()) {
			proc.busyUntil = Math.max(proc.busyUntil, clock.now()) + between(o.jobStartMs);
			proc.lastJobStart = clock.now();
			if (await send(proc, job)) proc.done++;
			else lost++;
		}
		proc.free++;
	}

	// Jobs reach the queue one by one; a process that is up takes them while it has a free lane (the
	// one with most free lanes first, at random among equals).
	const starts = processes.map(() => random() * o.startSpreadMs);
	const lanes = [];
	let fed = 0;
	let done = false;
	const dispatch = () => {
		for (;;) {
			const ready = processes.filter((proc) => proc.free > 0 && clock.now() - origin >= starts[proc.index]);
			if (queue.length === 0 || ready.length === 0) return;
			const most = Math.max(...ready.map((proc) => proc.free));
			const candidates = ready.filter((proc) => proc.free === most);
			const proc = candidates[Math.floor(random() * candidates.length)];
			proc.free--;
			lanes.push(lane(proc, queue.shift()));
		}
	};
	void (async () => {
		while (fed < o.jobs || queue.length > 0) {
			while (fed < o.jobs && clock.now() - origin >= (fed * o.enqueueMs) / o.jobs) queue.push(fed++);
			dispatch();
			await sleep(5);
		}
		// A lane takes the next queued job itself when it finishes one: when all lanes end, so do the jobs.
		await Promise.all(lanes);
	})().then(() => (done = true));
	while (!done) await clock.advance(5);

	return {
		requests,
		refused,
		lost,
		seconds: (lastAnswer - (firstArrival ?? origin)) / 1000,
		perProcess: processes.map((proc) => proc.done),
		stats: processes.map((proc) => proc.pacer.stats),
		log,
		origin,
		ceiling: (o.jobs - 1) / o.qps + o.latencyMs / 1000,
	};
}

module.exports = { runKeyModel, seeded, DEFAULTS };
