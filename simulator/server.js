// A local PicWish API for tests, the demo and the benchmark (dev tooling, not published). It answers
// every documented image endpoint (endpoints/*.js) the way ../shared/api/ describes: X-API-KEY check
// (401), field validation (400), byte limits (413), the per-key QPS limit shared by all endpoints
// (429), sync and async tasks (0 → 2 → 4 → 1), return types, real results made from the upload, a
// separate storage host with signed links that expire, callbacks, and a live-API mode (empty result
// fields, state_detail). Faults switch on per request (a token in the file name or image URL) or
// globally (configure()).
const http = require('node:http');

const { DEFAULT_CONFIG, freshStats } = require('./config');
const { faultsIn } = require('./faults');
const { readBody } = require('./net');
const { responder } = require('./respond');
const { createEngine } = require('./engine');
const { ImageThread } = require('./imageThread');
const { createCallbacks } = require('./callbacks');
const { ENDPOINTS } = require('./endpoints');
const { Storage } = require('./storage');

const PREFIX = '/api/tasks/';

/** { endpoint, taskId? } for POST /api/tasks/<endpoint> and GET /api/tasks/<endpoint>/<task_id>. */
function routeOf(method, pathname) {
	if (!pathname.startsWith(PREFIX)) return undefined;
	const rest = pathname.slice(PREFIX.length);
	if (method === 'POST' && ENDPOINTS[rest]) return { endpoint: ENDPOINTS[rest] };
	const slash = rest.lastIndexOf('/');
	if (method === 'GET' && slash > 0 && ENDPOINTS[rest.slice(0, slash)] && rest.length > slash + 1) {
		return { endpoint: ENDPOINTS[rest.slice(0, slash)], taskId: decodeURIComponent(rest.slice(slash + 1)) };
	}
	return undefined;
}

async function startSimulator(options = {}) {
	const state = {
		config: { ...DEFAULT_CONFIG },
		stats: freshStats(),
		tasks: new Map(),
		seen500: new Set(),
		seenAnswer: new Set(),
		windows: new Map(),
		creating: 0,
		callbacksPending: 0,
		closed: false,
	};
	for (const key of Object.keys(DEFAULT_CONFIG)) if (options[key] !== undefined) state.config[key] = options[key];
	const storage = new Storage(state);
	const respond = responder(state);
	const timers = new Set();

	const later = (ms, fn) => {
		if (state.closed) return;
		const timer = setTimeout(() => { timers.delete(timer); fn(); }, ms);
		timers.add(timer);
	};

	if (state.config.imageThread) state.imageThread = new ImageThread();

	const callbacks = createCallbacks({ state, later });
	const engine = createEngine({ state, storage, respond, later, hooks: { taskEnded: callbacks.taskEnded } });

	/** Per key: at most qps accepted requests in any rolling second; a 429 does not count. */
	function allow(key) {
		const now = Date.now();
		const window = (state.windows.get(key) || []).filter((t) => t > now - 1000);
		state.windows.set(key, window);
		if (window.length >= Math.max(1, Math.floor(state.config.qps))) return false;
		window.push(now);
		return true;
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
		if (req.headers['x-picwish-ticket'] !== undefined) stats.ticketHeaders++;
		stats.firstRequestAt = stats.firstRequestAt ?? Date.now();
		stats.lastRequestAt = Date.now();
		if (req.method === 'GET' && url.pathname.startsWith('/api/') && config.credentialTestAnswer && config.credentialTestAnswer !== 'normal') {
			stats.credentialTestAnswers++;
			if (config.credentialTestAnswer === 'html') return respond.portal(req, res);
			return respond.error(req, res, 500, 'Internal server error (simulated)');
		}
		const route = routeOf(req.method, url.pathname);
		if (!route) {
			req.resume();
			return respond.error(req, res, 404, 'Not found');
		}
		const key = req.headers['x-api-key'];
		if (!key || !config.apiKeys.includes(String(key))) {
			req.resume();
			return respond.error(req, res, 401, 'Unauthorized: invalid X-API-KEY or service not enabled');
		}
		const retryAfter = config.retryAfterSeconds !== undefined ? { 'Retry-After': String(config.retryAfterSeconds) } : {};
		if (config.burst429 > 0) {
			config.burst429--;
			req.resume();
			return respond.error(req, res, 429, 'Too many requests (simulated burst)', retryAfter);
		}
		if (!allow(String(key))) {
			req.resume();
			return respond.error(req, res, 429, `Too many requests: QPS limit is ${config.qps}`, retryAfter);
		}
		if (config.fail500Once) {
			config.fail500Once = false;
			req.resume();
			return respond.error(req, res, 500, 'Internal server error (simulated)');
		}
		for (const [setting, kind] of [['json429Next', 'json429'], ['json500Next', 'json500'], ['html502Next', 'html502']]) {
			if (config[setting] > 0) {
				config[setting]--;
				req.resume();
				return respond.fault(req, res, kind);
			}
		}
		if (route.taskId === undefined) return engine.create(req, res, route.endpoint);
		return engine.poll(req, res, route.endpoint, route.taskId);
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
	// Clients that keep connections alive (n8n, fetch in the tests) drop idle ones before the server
	// would: a socket reused just as the server closes it fails with ECONNRESET.
	for (const server of [apiServer, storageServer]) server.keepAliveTimeout = 30_000;
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
		/** The endpoints answered, by path under /api/tasks/ (e.g. "visual/scale"). */
		endpoints: Object.keys(ENDPOINTS),
		stats() {
			return { ...JSON.parse(JSON.stringify(state.stats)), callbacksPending: state.callbacksPending };
		},
		reset() {
			state.stats = freshStats();
			state.tasks.clear();
			state.seen500.clear();
			state.seenAnswer.clear();
			state.windows.clear();
			Object.assign(state.config, { fail500Once: false, burst429: 0, json429Next: 0, json500Next: 0, html502Next: 0 });
			storage.clear();
		},
		configure(partial = {}) {
			for (const [key, value] of Object.entries(partial)) {
				if (key in DEFAULT_CONFIG) state.config[key] = value;
			}
			return { ...state.config };
		},
		async close() {
			state.closed = true;
			await state.imageThread?.close();
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

module.exports = { startSimulator, faultsIn, DEFAULT_CONFIG, ENDPOINTS };
