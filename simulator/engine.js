// The task engine every endpoint shares: create (multipart, limits, common fields, fault tokens),
// sync or async processing (states 0 → 2 → 4 → 1), results as links / base64 / bytes, polling, the
// envelope (with live-API empty strings and state_detail). An endpoint module only describes its
// fields and makes its result files (see endpoints/README in simulator/README.md).
const crypto = require('node:crypto');

const images = require('./images');
const { parseMultipart } = require('./multipart');
const { STATE_DETAIL, endpointStats } = require('./config');
const { faultsIn } = require('./faults');
const { BadRequest, fail, reader } = require('./fields');
const { readBody, fetchUrl, sleep } = require('./net');

const MAX_TASKS = 2000;
const MiB = 1024 * 1024;

/** Thrown by an endpoint's make(): the task ends in this (negative) state. */
class TaskFailure extends Error {
	constructor(taskState, message) {
		super(message || `task failed with state ${taskState}`);
		this.taskState = taskState;
	}
}

const megabytes = (bytes) => `${Math.round(bytes / MiB)}MB`;
const isFile = (node) => Boolean(node && Buffer.isBuffer(node.bytes));

/** The upload or download an endpoint works on; picture() decodes it (cached) or fails the task with -7. */
function makeInput(bytes, name, config) {
	const kind = images.sniff(bytes);
	const size = images.dimensions(bytes);
	let picture;
	return {
		bytes,
		name: name || '',
		kind,
		size,
		picture() {
			if (picture) return picture;
			if (kind === 'gif' || !kind || !size) throw new TaskFailure(-7, 'not a picture the simulator can read');
			try {
				if (config.lightResults) {
					const scale = Math.min(1, 400 / Math.max(size.width, size.height));
					picture = images.synthesize(Math.max(1, Math.round(size.width * scale)), Math.max(1, Math.round(size.height * scale)));
				} else {
					picture = kind === 'png' || kind === 'jpg' ? images.decode(bytes) : images.synthesize(size.width, size.height);
				}
			} catch {
				throw new TaskFailure(-7, 'corrupt picture');
			}
			return picture;
		},
	};
}

/** What an endpoint's make() gets besides its input: the settings, the fault tokens, a downloader. */
function makeContext(endpoint, config, faults, task) {
	return {
		config,
		faults,
		task,
		TaskFailure,
		/** Downloads a second input (a mask URL); the task fails with -3 when it does not answer. */
		async fetch(url, limit = endpoint.maxBytes) {
			const download = await fetchUrl(url, limit);
			if (!download.ok) throw new TaskFailure(-3, `could not download ${url}`);
			return download.bytes;
		},
	};
}

function createEngine({ state, storage, respond, later, hooks = {} }) {
	function rememberTask(task) {
		state.tasks.set(task.task_id, task);
		while (state.tasks.size > MAX_TASKS) state.tasks.delete(state.tasks.keys().next().value);
	}

	/** The envelope's data, as a GET of the task answers it. */
	function publicData(task) {
		const live = state.config.liveApi;
		const data = { task_id: task.task_id, state: task.state };
		if (live) data.state_detail = STATE_DETAIL[task.state] ?? 'Unknown';
		data.progress = task.progress;
		data.created_at = task.created_at;
		if (task.processed_at) data.processed_at = task.processed_at;
		if (task.completed_at) data.completed_at = task.completed_at;
		Object.assign(data, task.endpoint.echo ? task.endpoint.echo(task.params) : {});
		for (const field of task.endpoint.resultFields) {
			if (task.state === 1 && task.values && task.values[field] !== undefined) data[field] = task.values[field];
			else if (live) data[field] = '';
		}
		return data;
	}

	const envelope = (task) => ({ status: 200, message: 'success', data: publicData(task) });

	/** Fields every endpoint has: the input (file xor URL), sync, return_type, callback_url. */
	function commonParams(endpoint, fields, files) {
		const v = reader(fields);
		const { file: fileField, url: urlField } = endpoint.input;
		const hasFile = Boolean(files[fileField] && files[fileField].bytes.length);
		const hasUrl = v.has(urlField);
		if (!hasFile && !hasUrl) fail(endpoint.input.missing ?? `${fileField} or ${urlField} is required`);
		if (hasFile && hasUrl) fail(`Send ${fileField} or ${urlField}, not both`);
		const url = fields[urlField];
		if (hasUrl && !/^https?:\/\/\S+$/i.test(url)) fail(`Invalid ${urlField}: use an http(s) URL`);
		if (hasUrl && endpoint.urlMaxLength && url.length > endpoint.urlMaxLength) {
			fail(`${urlField} is too long: ${url.length} characters, at most ${endpoint.urlMaxLength}`);
		}
		const sync = v.choice('sync', [0, 1], endpoint.syncDefault ?? 0);
		if (endpoint.asyncOnly && sync === 1) fail(`${endpoint.path.split('/').pop()} supports async only: send sync=0 or leave sync out`);
		let returnType;
		if (endpoint.returnTypes) {
			returnType = v.choice('return_type', endpoint.returnTypes, 1);
			if (returnType === 3 && sync !== 1) fail('return_type 3 is only supported with sync=1');
		}
		const callbackUrl = v.has('callback_url') ? fields.callback_url : undefined;
		if (callbackUrl !== undefined && !/^https?:\/\/\S+$/i.test(callbackUrl)) fail('Invalid callback_url: use an http(s) URL');
		return { sync, returnType, imageUrl: hasUrl ? url : undefined, callbackUrl };
	}

	/** Result files → what the envelope carries: links on the storage host, or base64. */
	function encodeResults(task, files) {
		const { params, faults, endpoint } = task;
		const asValue = (file, key) => {
			if (params.returnType === 2 || params.returnType === 3) return file.bytes.toString('base64');
			return storage.put(`${task.task_id}-${key}.${file.ext}`, file.bytes, file.contentType, {
				folder: endpoint.path.split('/').pop(),
				expired: faults.expired || state.config.expireLinks,
				escapeAmpersand: faults.escaped || state.config.escapeAmpersand,
			});
		};
		const walk = (node, key) => {
			if (isFile(node)) return asValue(node, key);
			if (Array.isArray(node)) return node.map((item, index) => walk(item, `${key}-${index + 1}`));
			if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([name, item]) => [name, walk(item, `${key}-${name}`)]));
			return node;
		};
		const values = {};
		for (const [field, node] of Object.entries(files)) values[field] = walk(node, field);
		return endpoint.shape ? endpoint.shape(values, task) : values;
	}

	/** Decides the final state and makes the results; runs when the task's processing time is over. */
	async function finish(task) {
		const { params, faults, endpoint } = task;
		const { config } = state;
		let finalState = config.failState ?? faults.state ?? 1;
		let files;
		if (finalState === 1) {
			let bytes = task.bytes;
			let name = task.fileName;
			if (params.imageUrl) {
				const download = await fetchUrl(params.imageUrl, endpoint.maxBytes);
				if (!download.ok) finalState = -3;
				else if (download.size > endpoint.maxBytes) finalState = -5;
				else {
					bytes = download.bytes;
					name = decodeURIComponent(new URL(params.imageUrl).pathname.split('/').pop() || '');
				}
			}
			if (finalState === 1) {
				try {
					files = state.imageThread
						? await state.imageThread.make({ endpoint, bytes, name, params, config, faults, TaskFailure })
						: await endpoint.make(makeInput(bytes, name, config), params, makeContext(endpoint, config, faults, task));
				} catch (problem) {
					finalState = problem instanceof TaskFailure ? problem.taskState : -1;
					if (!(problem instanceof TaskFailure)) task.failure = problem.stack;
				}
			}
		}
		const now = Math.floor(Date.now() / 1000);
		task.processed_at = task.processed_at || now;
		task.completed_at = now;
		task.state = finalState;
		task.progress = finalState === 1 ? 100 : 0;
		task.bytes = undefined;
		const { stats } = state;
		stats.tasksByState[finalState] = (stats.tasksByState[finalState] || 0) + 1;
		const perEndpoint = endpointStats(stats, endpoint.path).tasksByState;
		perEndpoint[finalState] = (perEndpoint[finalState] || 0) + 1;
		if (finalState === 1) {
			task.files = files;
			task.values = encodeResults(task, files);
		}
		hooks.taskEnded?.(task, envelope(task));
	}

	async function create(req, res, endpoint) {
		const { stats, config } = state;
		stats.createRequests++;
		endpointStats(stats, endpoint.path).creates++;
		const limit = endpoint.maxBytes;
		const tooLarge = () => respond.error(req, res, 413, `File size exceeds the limit (${megabytes(limit)})`);
		const { body, size } = await readBody(req, limit + MiB);
		if (size > limit + MiB) return tooLarge();
		let parsed;
		try {
			parsed = parseMultipart(body, req.headers['content-type']);
		} catch (problem) {
			return respond.error(req, res, 400, `Invalid multipart body: ${problem.message}`);
		}
		const upload = parsed.files[endpoint.input.file];
		if (upload && upload.bytes.length > limit) return tooLarge();
		let params;
		try {
			const common = commonParams(endpoint, parsed.fields, parsed.files);
			params = { ...common, ...endpoint.parse(reader(parsed.fields), common, parsed.files) };
			if (upload && upload.bytes.length) {
				const dims = images.dimensions(upload.bytes);
				if (dims && endpoint.maxSide && (dims.width > endpoint.maxSide || dims.height > endpoint.maxSide)) {
					fail(`image resolution exceeds ${endpoint.maxSide}x${endpoint.maxSide}`);
				}
				if (dims && endpoint.minSide && (dims.width < endpoint.minSide || dims.height < endpoint.minSide)) {
					fail(`image resolution is below ${endpoint.minSide}x${endpoint.minSide}`);
				}
				endpoint.checkUpload?.(upload, dims, params, parsed.files);
			}
		} catch (problem) {
			if (problem instanceof BadRequest) return respond.error(req, res, 400, problem.message);
			throw problem;
		}
		const name = upload && upload.bytes.length ? upload.fileName : params.imageUrl;
		const faults = faultsIn(name);
		const seenKey = `${endpoint.path}|${name}`;
		if (faults.fail500 && !state.seen500.has(seenKey)) {
			state.seen500.add(seenKey);
			return respond.error(req, res, 500, 'Internal server error (simulated)');
		}
		if (faults.answer && !state.seenAnswer.has(seenKey)) {
			state.seenAnswer.add(seenKey);
			return respond.fault(req, res, faults.answer);
		}
		stats.tasksCreated++;
		endpointStats(stats, endpoint.path).tasksCreated++;
		state.creating++;
		stats.maxConcurrentCreates = Math.max(stats.maxConcurrentCreates, state.creating);
		const task = {
			task_id: crypto.randomUUID(),
			endpoint,
			state: 0,
			progress: 0,
			created_at: Math.floor(Date.now() / 1000),
			params,
			faults,
			bytes: upload?.bytes,
			fileName: upload?.fileName,
			// The first GET of this task meets the same JSON-only / HTML answer once.
			pollFault: faults.answer,
		};
		rememberTask(task);
		const processingMs = faults.slowMs ?? config.processingMs;
		try {
			if (params.sync === 1) {
				await sleep(processingMs);
				await finish(task);
				if (task.state === 1 && params.returnType === 3) {
					const file = endpoint.raw ? endpoint.raw(task.files, params) : task.files.image;
					return respond.send(req, res, 200, file.bytes, { 'Content-Type': file.contentType });
				}
				return respond.send(req, res, 200, envelope(task));
			}
			later(processingMs * 0.1, () => { if (task.state === 0) { task.state = 2; task.progress = 10; } });
			later(processingMs * 0.3, () => { if (task.state === 2) { task.state = 4; task.progress = 50; task.processed_at = Math.floor(Date.now() / 1000); } });
			later(processingMs, () => { finish(task).catch(() => { task.state = -1; }); });
			return respond.send(req, res, 200, envelope(task));
		} finally {
			state.creating--;
		}
	}

	function poll(req, res, endpoint, taskId) {
		state.stats.pollRequests++;
		endpointStats(state.stats, endpoint.path).polls++;
		const task = state.tasks.get(taskId);
		if (!task || task.endpoint !== endpoint) return respond.error(req, res, 404, 'Task not found');
		if (task.pollFault) {
			const kind = task.pollFault;
			task.pollFault = undefined;
			return respond.fault(req, res, kind);
		}
		return respond.send(req, res, 200, envelope(task));
	}

	return { create, poll, publicData, envelope };
}

module.exports = { createEngine, makeInput, makeContext, TaskFailure, MiB };
