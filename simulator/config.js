// The simulator's settings (startSimulator options, configure(), POST /__sim/config) and counters.

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
	// Result pictures are made on a worker thread, so image work never delays the stamping of arrivals
	// and the QPS limit (see imageThread.js). The benchmarks and the queue-mode test turn it on.
	imageThread: false,
	// Answers as the live API gives them: every result field present ("" when absent), state_detail.
	liveApi: false,
	// The next N API requests answer HTTP 200 {"status":429|500}, or HTTP 502 with an HTML page.
	json429Next: 0,
	json500Next: 0,
	html502Next: 0,
	// 'normal' | 'html' (every API GET answers an HTML 200 page) | '500' (every API GET answers HTTP 500).
	credentialTestAnswer: 'normal',
	// Callbacks: 'json' (the GET envelope) or 'form' (data fields urlencoded); send each one twice.
	callbackBody: 'json',
	callbackDuplicate: false,
	callbackRetryMs: 500,
	callbackDuplicateMs: 200,
};

/** A readable word per task state, as the live API's data.state_detail (live mode). */
const STATE_DETAIL = {
	1: 'Complete',
	0: 'Queued',
	2: 'Preparing',
	3: 'Waiting',
	4: 'Processing',
	'-1': 'Failed',
	'-2': 'Upload failed',
	'-3': 'Download failed',
	'-4': 'Submit failed',
	'-5': 'Image too large',
	'-6': 'Wrong password',
	'-7': 'Invalid image',
	'-8': 'Timeout',
};

function freshStats() {
	return {
		requests: 0,
		createRequests: 0,
		pollRequests: 0,
		// HTTP-level answers: status code → count; rateLimited = HTTP 429 answers.
		status: {},
		rateLimited: 0,
		// Answers that carry an error only in the JSON (HTTP 200), and HTML 502 pages.
		jsonStatus429: 0,
		jsonStatus500: 0,
		html502: 0,
		credentialTestAnswers: 0,
		tasksCreated: 0,
		tasksByState: {},
		// "visual/scale": { creates, polls, tasksCreated, tasksByState }
		byEndpoint: {},
		storageRequests: 0,
		storageDownloads: 0,
		storageDenied: 0,
		keyLeaks: 0,
		// API requests still carrying the node's pacing ticket (n8n did not run the credential's authenticate()).
		ticketHeaders: 0,
		maxConcurrentCreates: 0,
		callbacksSent: 0,
		callbacksDelivered: 0,
		callbacksFailed: 0,
		callbacksGaveUp: 0,
		callbacksIgnored: 0,
		callbackLog: [],
		firstRequestAt: undefined,
		lastRequestAt: undefined,
		requestLog: [],
	};
}

function endpointStats(stats, name) {
	stats.byEndpoint[name] = stats.byEndpoint[name] || { creates: 0, polls: 0, tasksCreated: 0, tasksByState: {} };
	return stats.byEndpoint[name];
}

module.exports = { DEFAULT_CONFIG, STATE_DETAIL, freshStats, endpointStats };
