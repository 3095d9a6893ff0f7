// Callbacks (issue 14): when a task created with `callback_url` ends (success or failure, sync or
// async), POST the envelope a GET of the task answers, as JSON, or its data fields urlencoded
// (callbackBody 'form' / token sim-cb-form); optionally twice (callbackDuplicate / sim-cb-dup, the
// second callbackDuplicateMs after the first attempt, like a retried delivery). A delivery that is refused or answered
// with a non-2xx status is retried up to 2 times, callbackRetryMs apart. Only http://127.0.0.1 /
// localhost targets are called; others are counted in callbacksIgnored.
const http = require('node:http');

const { isLocalHttpUrl } = require('./net');

const ATTEMPTS = 3;
const MAX_LOG = 2000;

/** The request body: the JSON envelope, or the data fields as a form (objects and arrays as JSON). */
function callbackBody(envelope, form) {
	if (!form) return { text: JSON.stringify(envelope), contentType: 'application/json' };
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(envelope.data)) {
		params.append(key, value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value ?? ''));
	}
	return { text: params.toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** POSTs and resolves with the answer's status code, 0 when refused or timed out. */
function post(url, body) {
	return new Promise((resolve) => {
		const request = http.request(url, {
			method: 'POST',
			agent: false,
			headers: { 'Content-Type': body.contentType, 'Content-Length': Buffer.byteLength(body.text), 'User-Agent': 'picwish-simulator-callback' },
			timeout: 5000,
		}, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
			res.on('error', () => resolve(res.statusCode));
		});
		request.on('timeout', () => request.destroy(new Error('timeout')));
		request.on('error', () => resolve(0));
		request.end(body.text);
	});
}

function createCallbacks({ state, later }) {
	const log = (entry) => {
		const { callbackLog } = state.stats;
		callbackLog.push({ ...entry, at: Date.now() });
		if (callbackLog.length > MAX_LOG) callbackLog.shift();
	};

	/** Schedules one attempt; state.callbacksPending counts attempts scheduled and not yet answered. */
	function schedule(ms, ...args) {
		state.callbacksPending++;
		later(ms, () => deliver(...args).finally(() => { state.callbacksPending--; }));
	}

	/** One attempt; resolves when it is answered (a retry, if any, is scheduled by then). */
	async function deliver(task, url, body, kind, copy, attempt, duplicate = false) {
		if (state.closed) return;
		state.stats.callbacksSent++;
		const status = await post(url, body);
		const ok = status >= 200 && status < 300;
		log({ task_id: task.task_id, status, ok, attempt, copy, body: kind });
		if (duplicate) schedule(state.config.callbackDuplicateMs, task, url, body, kind, 2, 1);
		if (ok) {
			state.stats.callbacksDelivered++;
			return;
		}
		state.stats.callbacksFailed++;
		if (attempt < ATTEMPTS) schedule(state.config.callbackRetryMs, task, url, body, kind, copy, attempt + 1);
		else state.stats.callbacksGaveUp++;
	}

	function taskEnded(task, envelope) {
		const url = task.params.callbackUrl;
		if (!url) return;
		if (!isLocalHttpUrl(url)) {
			state.stats.callbacksIgnored++;
			log({ task_id: task.task_id, status: null, ok: false, ignored: url });
			return;
		}
		const form = task.faults.callbackForm || state.config.callbackBody === 'form';
		const body = callbackBody(envelope, form);
		const kind = form ? 'form' : 'json';
		const duplicate = task.faults.callbackDuplicate || state.config.callbackDuplicate;
		// After the current answer (a sync create's) is on its way; the duplicate after the first attempt.
		schedule(0, task, url, body, kind, 1, 1, duplicate);
	}

	return { taskEnded };
}

module.exports = { createCallbacks, callbackBody };
