// A local PicWish background-removal API for tests, the demo and the benchmark (dev tooling, not
// published). It answers both endpoints the way ../shared/api/ describes: X-API-KEY check (401),
// parameter validation (400), 15 MB (413), the per-key QPS limit (429), sync and async tasks with the
// state sequence 0 → 2 → 4 → 1, return types 1/2/3, output types 1/2/3, crop, png/jpg with bg_color,
// real cut-outs, and results on a separate storage host with signed links that expire.
// Faults switch on per request (a token in the file name or image URL) or globally (configure()).
const crypto = require('node:crypto');
const http = require('node:http');

const images = require('./images');
const { parseMultipart } = require('./multipart');
const { Storage } = require('./storage');

const API_PATH = '/api/tasks/visual/segmentation';
const MAX_BYTES = 15 * 1024 * 1024;
const MAX_SIDE = 4096;
const MAX_TASKS = 2000;

const DEFAULT_CONFIG = {
	apiKeys: ['sim-key'],
	qps: 2,
	processingMs: 1200,
	linkTtlMs: 3600_000,
	retryAfterSeconds: undefined,
	fail500Once: false,
	burst429: 0,
	expireLinks: false,
	escapeAmpersand: false,
	failState: undefined,
	samplesDir: undefined,
	// Benchmarks of large uploads: results are drawn at most 400 px wide without decoding the upload
	// (decoding 16-megapixel photos in JavaScript would make the simulator the bottleneck).
	lightResults: false,
};

function freshStats() {
	return {
		requests: 0,
		createRequests: 0,
		pollRequests: 0,
		status: {},
		rateLimited: 0,
		tasksCreated: 0,
		tasksByState: {},
		storageRequests: 0,
		storageDownloads: 0,
		storageDenied: 0,
		keyLeaks: 0,
		maxConcurrentCreates: 0,
		firstRequestAt: undefined,
		lastRequestAt: undefined,
		requestLog: [],
	};
}

/** Per-request fault tokens: sim-state-7, sim-slow-5000, sim-500, sim-expired, sim-u0026. */
function faultsIn(name) {
	const text = String(name || '');
	const state = /sim-state-(\d+)/.exec(text);
	const slow = /sim-slow-(\d+)/.exec(text);
	return {
		state: state ? -Number(state[1]) : undefined,
		slowMs: slow ? Number(slow[1]) : undefined,
		fail500: text.includes('sim-500'),
		expired: text.includes('sim-expired'),
		escaped: text.includes('sim-u0026'),
	};
}

function readBody(req, limit) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
		});
		req.on('end', () => resolve({ body: Buffer.concat(chunks), size }));
		req.on('error', reject);
	});
}

function fetchImage(url, redirects = 3) {
	return new Promise((resolve) => {
		let parsed;
		try {
			parsed = new URL(url);
		} catch {
			return resolve({ ok: false });
		}
		// The simulator only ever fetches from this machine.
		if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname) || parsed.protocol !== 'http:') return resolve({ ok: false });
		http.get(parsed, (res) => {
			if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && redirects > 0) {
				res.resume();
				return resolve(fetchImage(new URL(res.headers.location, parsed).toString(), redirects - 1));
			}
			if (res.statusCode !== 200) {
				res.resume();
				return resolve({ ok: false });
			}
			const chunks = [];
			let size = 0;
			res.on('data', (chunk) => {
				size += chunk.length;
				if (size <= MAX_BYTES) chunks.push(chunk);
			});
			res.on('end', () => resolve({ ok: true, bytes: Buffer.concat(chunks), size }));
		}).on('error', () => resolve({ ok: false }));
	});
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

async function startSimulator(options = {}) {
	const state = { config: { ...DEFAULT_CONFIG }, stats: freshStats(), tasks: new Map(), seen500: new Set(), windows: new Map(), creating: 0 };
	for (const key of Object.keys(DEFAULT_CONFIG)) if (options[key] !== undefined) state.config[key] = options[key];
	const storage = new Storage(state);
	const timers = new Set();

	const later = (ms, fn) => {
		const timer = setTimeout(() => { timers.delete(timer); fn(); }, ms);
		timers.add(timer);
	};

	function send(req, res, status, payload, headers = {}) {
		const { stats } = state;
		stats.status[status] = (stats.status[status] || 0) + 1;
		if (status === 429) stats.rateLimited++;
		stats.requestLog.push({ t: Date.now(), arrivedAt: req.arrivedAt, method: req.method, path: req.url, status, key: req.headers['x-api-key'] !== undefined });
		if (stats.requestLog.length > 2000) stats.requestLog.shift();
		if (Buffer.isBuffer(payload)) {
			res.writeHead(status, { 'Content-Length': payload.length, ...headers });
			return res.end(payload);
		}
		res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
		res.end(JSON.stringify(payload));
	}

	const error = (req, res, status, message, headers) => send(req, res, status, { status, message }, headers);

	/** Per key: at most qps accepted requests in any rolling second; a 429 does not count. */
	function allow(key) {
		const now = Date.now();
		const window = (state.windows.get(key) || []).filter((t) => t > now - 1000);
		state.windows.set(key, window);
		if (window.length >= Math.max(1, Math.floor(state.config.qps))) return false;
		window.push(now);
		return true;
	}

	function rememberTask(task) {
		state.tasks.set(task.task_id, task);
		while (state.tasks.size > MAX_TASKS) state.tasks.delete(state.tasks.keys().next().value);
	}

	function publicData(task) {
		const data = { task_id: task.task_id, state: task.state, progress: task.progress, created_at: task.created_at };
		if (task.processed_at) data.processed_at = task.processed_at;
		if (task.completed_at) data.completed_at = task.completed_at;
		data.output_type = task.params.outputType;
		data.return_type = task.params.returnType;
		data.type = task.params.type || 'auto';
		if (task.state === 1) {
			if (task.result.image) data.image = task.result.image.value;
			if (task.result.mask) data.mask = task.result.mask.value;
		}
		return data;
	}

	/** Decides the final state and makes the pictures; runs when the task's processing time is over. */
	async function finish(task) {
		const { params, faults } = task;
		let finalState = state.config.failState ?? faults.state ?? 1;
		let bytes = task.bytes;
		if (finalState === 1 && params.imageUrl) {
			const download = await fetchImage(params.imageUrl);
			if (!download.ok) finalState = -3;
			else if (download.size > MAX_BYTES) finalState = -5;
			else bytes = download.bytes;
		}
		let picture;
		if (finalState === 1) {
			const kind = images.sniff(bytes);
			const size = images.dimensions(bytes);
			try {
				if (kind === 'gif' || !kind) throw new Error('unsupported');
				if (state.config.lightResults && size) {
					const scale = Math.min(1, 400 / Math.max(size.width, size.height));
					picture = images.synthesize(Math.max(1, Math.round(size.width * scale)), Math.max(1, Math.round(size.height * scale)));
				} else {
					picture = kind === 'png' || kind === 'jpg' ? images.decode(bytes) : images.synthesize(size.width, size.height);
				}
			} catch {
				finalState = -7;
			}
		}
		const now = Math.floor(Date.now() / 1000);
		task.processed_at = task.processed_at || now;
		task.completed_at = now;
		task.state = finalState;
		task.progress = finalState === 1 ? 100 : 0;
		task.bytes = undefined;
		state.stats.tasksByState[finalState] = (state.stats.tasksByState[finalState] || 0) + 1;
		if (finalState !== 1) return;
		const made = images.removeBackground(picture, {
			format: params.format,
			bgColor: params.bgColor,
			crop: params.crop,
			want: { image: params.outputType !== 3, mask: params.outputType !== 2 },
		});
		task.result = {};
		for (const [kind, file] of Object.entries(made)) {
			const entry = { ...file };
			if (params.returnType === 1) {
				entry.value = storage.put(`${task.task_id}-${kind}.${file.ext}`, file.bytes, file.contentType, {
					expired: faults.expired || state.config.expireLinks,
					escapeAmpersand: faults.escaped || state.config.escapeAmpersand,
				});
			} else {
				entry.value = file.bytes.toString('base64');
			}
			task.result[kind] = entry;
		}
	}

	function validate(fields, files) {
		const intField = (name, allowed, fallback) => {
			if (fields[name] === undefined || fields[name] === '') return fallback;
			const value = Number(fields[name]);
			if (!allowed.includes(value)) throw new Error(`Invalid ${name}: ${fields[name]}`);
			return value;
		};
		const hasFile = Boolean(files.image_file && files.image_file.bytes.length);
		const hasUrl = Boolean(fields.image_url);
		if (!hasFile && !hasUrl) throw new Error('image_file or image_url is required');
		if (hasFile && hasUrl) throw new Error('Send image_file or image_url, not both');
		if (hasUrl && !/^https?:\/\//i.test(fields.image_url)) throw new Error('Invalid image_url');
		const type = fields.type || '';
		if (!['', 'person', 'object', 'stamp'].includes(type)) throw new Error('Invalid task type');
		const sync = intField('sync', [0, 1], 0);
		const returnType = intField('return_type', [1, 2, 3], 1);
		const outputType = intField('output_type', [1, 2, 3], 2);
		const crop = intField('crop', [0, 1], 0);
		const format = fields.format || 'png';
		if (!['png', 'jpg'].includes(format)) throw new Error('Invalid format');
		const bgColor = fields.bg_color;
		if (bgColor !== undefined && bgColor !== '') {
			if (!/^[0-9a-fA-F]{6}$/.test(bgColor)) throw new Error('Invalid bg_color: use 6 hex digits like ffffff');
			if (format !== 'jpg') throw new Error('bg_color needs format=jpg');
		}
		if (returnType === 3 && sync !== 1) throw new Error('return_type 3 is only supported with sync=1');
		if (returnType === 3 && outputType === 1) throw new Error('return_type 3 returns one image: use output_type 2 or 3');
		return { sync, type, returnType, outputType, crop: crop === 1, format, bgColor: bgColor ? bgColor.toLowerCase() : undefined, imageUrl: fields.image_url };
	}

	async function create(req, res) {
		const { stats, config } = state;
		stats.createRequests++;
		const { body, size } = await readBody(req, MAX_BYTES + 1024 * 1024);
		if (size > MAX_BYTES + 1024 * 1024) return error(req, res, 413, 'File size exceeds the limit (15MB)');
		let parsed;
		try {
			parsed = parseMultipart(body, req.headers['content-type']);
		} catch (problem) {
			return error(req, res, 400, `Invalid multipart body: ${problem.message}`);
		}
		const file = parsed.files.image_file;
		if (file && file.bytes.length > MAX_BYTES) return error(req, res, 413, 'File size exceeds the limit (15MB)');
		let params;
		try {
			params = validate(parsed.fields, parsed.files);
		} catch (problem) {
			return error(req, res, 400, problem.message);
		}
		const name = file ? file.fileName : params.imageUrl;
		const faults = faultsIn(name);
		if (faults.fail500 && !state.seen500.has(name)) {
			state.seen500.add(name);
			return error(req, res, 500, 'Internal server error (simulated)');
		}
		if (file) {
			const size2 = images.dimensions(file.bytes);
			if (size2 && (size2.width > MAX_SIDE || size2.height > MAX_SIDE)) {
				return error(req, res, 400, `image resolution exceeds ${MAX_SIDE}x${MAX_SIDE}`);
			}
		}
		stats.tasksCreated++;
		state.creating++;
		stats.maxConcurrentCreates = Math.max(stats.maxConcurrentCreates, state.creating);
		const now = Math.floor(Date.now() / 1000);
		const task = { task_id: crypto.randomUUID(), state: 0, progress: 0, created_at: now, params, faults, bytes: file?.bytes };
		rememberTask(task);
		const processingMs = faults.slowMs ?? config.processingMs;
		try {
			if (params.sync === 1) {
				await sleep(processingMs);
				await finish(task);
				if (task.state === 1 && params.returnType === 3) {
					const picture = params.outputType === 3 ? task.result.mask : task.result.image;
					return send(req, res, 200, picture.bytes, { 'Content-Type': picture.contentType });
				}
				return send(req, res, 200, { status: 200, message: 'success', data: publicData(task) });
			}
			later(processingMs * 0.1, () => { if (task.state === 0) { task.state = 2; task.progress = 10; } });
			later(processingMs * 0.3, () => { if (task.state === 2) { task.state = 4; task.progress = 50; task.processed_at = Math.floor(Date.now() / 1000); } });
			later(processingMs, () => { finish(task).catch(() => { task.state = -1; }); });
			return send(req, res, 200, { status: 200, message: 'success', data: publicData(task) });
		} finally {
			state.creating--;
		}
	}

	function poll(req, res, taskId) {
		state.stats.pollRequests++;
		const task = state.tasks.get(taskId);
		if (!task) return error(req, res, 404, 'Task not found');
		return send(req, res, 200, { status: 200, message: 'success', data: publicData(task) });
	}

	async function control(req, res, url) {
		const reply = (payload) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(payload));
		};
		if (url.pathname === '/__sim/stats') return reply(simulator.stats());
		if (url.pathname === '/__sim/reset' && req.method === 'POST') return reply((simulator.reset(), { ok: true }));
		if (url.pathname === '/__sim/config' && req.method === 'POST') {
			const { body } = await readBody(req, 1024 * 1024);
			return reply(simulator.configure(body.length ? JSON.parse(body.toString('utf8')) : {}));
		}
		res.writeHead(404, { 'Content-Type': 'application/json' });
		res.end('{"status":404,"message":"unknown control endpoint"}');
	}

	async function handle(req, res) {
		req.arrivedAt = Date.now();
		const url = new URL(req.url, 'http://api.sim');
		if (url.pathname.startsWith('/__sim/')) return control(req, res, url);
		const { stats, config } = state;
		stats.requests++;
		stats.firstRequestAt = stats.firstRequestAt ?? Date.now();
		stats.lastRequestAt = Date.now();
		const isCreate = url.pathname === API_PATH && req.method === 'POST';
		const pollMatch = new RegExp(`^${API_PATH}/([^/]+)$`).exec(url.pathname);
		if (!isCreate && !(pollMatch && req.method === 'GET')) {
			req.resume();
			return error(req, res, 404, 'Not found');
		}
		const key = req.headers['x-api-key'];
		if (!key || !config.apiKeys.includes(String(key))) {
			req.resume();
			return error(req, res, 401, 'Unauthorized: invalid X-API-KEY or service not enabled');
		}
		const retryAfter = config.retryAfterSeconds !== undefined ? { 'Retry-After': String(config.retryAfterSeconds) } : {};
		if (config.burst429 > 0) {
			config.burst429--;
			req.resume();
			return error(req, res, 429, 'Too many requests (simulated burst)', retryAfter);
		}
		if (!allow(String(key))) {
			req.resume();
			return error(req, res, 429, `Too many requests: QPS limit is ${config.qps}`, retryAfter);
		}
		if (config.fail500Once) {
			config.fail500Once = false;
			req.resume();
			return error(req, res, 500, 'Internal server error (simulated)');
		}
		if (isCreate) return create(req, res);
		return poll(req, res, decodeURIComponent(pollMatch[1]));
	}

	const guard = (fn) => (req, res) => {
		Promise.resolve(fn(req, res)).catch((problem) => {
			if (!res.headersSent) {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ status: 500, message: `simulator error: ${problem.message}` }));
			}
		});
	};
	const apiServer = http.createServer(guard(handle));
	const storageServer = http.createServer(guard((req, res) => storage.handle(req, res)));
	const listen = (server, port) => new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port ?? 0, '127.0.0.1', () => resolve(server.address().port));
	});
	const apiPort = await listen(apiServer, options.port);
	const storagePort = await listen(storageServer, options.storagePort);
	storage.baseUrl = `http://127.0.0.1:${storagePort}`;

	const simulator = {
		apiUrl: `http://127.0.0.1:${apiPort}`,
		storageUrl: storage.baseUrl,
		controlUrl: `http://127.0.0.1:${apiPort}/__sim`,
		get config() {
			return state.config;
		},
		stats() {
			return JSON.parse(JSON.stringify(state.stats));
		},
		reset() {
			state.stats = freshStats();
			state.tasks.clear();
			state.seen500.clear();
			state.windows.clear();
			state.config.fail500Once = false;
			state.config.burst429 = 0;
			storage.clear();
		},
		configure(partial = {}) {
			for (const [key, value] of Object.entries(partial)) {
				if (key in DEFAULT_CONFIG) state.config[key] = value;
			}
			return { ...state.config };
		},
		async close() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const server of [apiServer, storageServer]) {
				server.closeAllConnections?.();
				await new Promise((resolve) => server.close(() => resolve()));
			}
		},
	};
	return simulator;
}

module.exports = { startSimulator, faultsIn, DEFAULT_CONFIG };
