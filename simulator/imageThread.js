// Makes an endpoint's result files on a worker thread (config `imageThread: true`). The simulator's
// event loop stamps every request's arrival and applies the QPS limit; decoding and encoding pictures
// in JavaScript on that loop stalls it (0.1–0.5 s per 640 px photo, over 2 s for the first one while
// the code is cold), and requests that arrive meanwhile are all counted when it frees up, as if they
// had come at once. A real API's gateway does not wait for its image workers: with this option the
// simulator's does not either. The benchmarks and the queue-mode test use it.
const { Worker, isMainThread, parentPort } = require('node:worker_threads');

/** Buffers cross a thread as Uint8Arrays: make them Buffers again, anywhere in a tree. */
function revive(node) {
	// Realm-neutral checks: under jest the message's objects come from another realm than this module.
	if (Buffer.isBuffer(node)) return node;
	if (ArrayBuffer.isView(node)) return Buffer.from(node.buffer, node.byteOffset, node.byteLength);
	if (Array.isArray(node)) return node.map(revive);
	if (node && Object.prototype.toString.call(node) === '[object Object]') {
		return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, revive(value)]));
	}
	return node;
}

/** The simulator's side: one worker thread, jobs answered in any order. */
class ImageThread {
	constructor() {
		this.jobs = new Map();
		this.nextId = 1;
		this.worker = new Worker(__filename);
		this.worker.unref();
		this.worker.on('message', ({ id, files, failure, stack }) => {
			const job = this.jobs.get(id);
			if (!job) return;
			this.jobs.delete(id);
			if (failure === undefined) job.resolve(revive(files));
			else job.reject(failure === null ? Object.assign(new Error('image thread failed'), { stack }) : new job.TaskFailure(failure, stack));
		});
		this.worker.on('error', (error) => this.failAll(error));
		this.worker.on('exit', () => this.failAll(new Error('image thread exited')));
	}

	failAll(error) {
		for (const job of this.jobs.values()) job.reject(error);
		this.jobs.clear();
		this.closed = true;
	}

	/** Runs `endpoint.make` there; rejects with a TaskFailure as make would throw one. */
	make({ endpoint, bytes, name, params, config, faults, TaskFailure }) {
		if (this.closed) return Promise.reject(new Error('image thread closed'));
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.jobs.set(id, { resolve, reject, TaskFailure });
			this.worker.postMessage({ id, path: endpoint.path, bytes, name, params, config, faults });
		});
	}

	async close() {
		this.closed = true;
		await this.worker.terminate();
	}
}

if (!isMainThread && parentPort) {
	const { ENDPOINTS } = require('./endpoints');
	const { makeContext, makeInput, TaskFailure } = require('./engine');
	parentPort.on('message', async ({ id, path, bytes, name, params, config, faults }) => {
		const endpoint = ENDPOINTS[path];
		try {
			const files = await endpoint.make(makeInput(revive(bytes), name, config), revive(params), makeContext(endpoint, config, faults));
			parentPort.postMessage({ id, files });
		} catch (problem) {
			parentPort.postMessage({ id, failure: problem instanceof TaskFailure ? problem.taskState : null, stack: problem?.stack });
		}
	});
}

module.exports = { ImageThread, revive };
