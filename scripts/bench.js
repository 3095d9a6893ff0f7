#!/usr/bin/env node
// `npm run bench`: how fast a batch of product photos goes through a real n8n, and how much memory
// it takes. Not a test: it prints figures. Against the local simulator at the API's default limit
// (2 requests/s per key) and ~1.2 s processing per image, it runs the same N photos through
//   (a) our PicWish node, defaults (sync, binary out);
//   (b) n8n's HTTP Request node as users leave it (no batching: every item's request at once);
//   (c) HTTP Request tuned by hand: Batching 2 items / 1000 ms, URL results, then a second HTTP
//       Request node downloading them, both with On Error "Continue" so that one 429 does not stop
//       the whole batch;
// and prints wall time (first request to last result, taken from n8n's run data), images/s,
// results, 429s, the ceiling (N-1)/QPS + latency, our ratios, and n8n's peak RSS for 50 and N images
// in two binary-data modes: filesystem (n8n 2.x's default) and memory (`default`, only when set in 2.x).
// Memory is also measured with photos of BENCH_LARGE_MB near PicWish's 15 MB limit.
// Env: BENCH_IMAGES (200), BENCH_SMALL (50), BENCH_QPS (2), BENCH_PROCESSING_MS (1200), BENCH_SIZE
// (photo edge in px, 640), BENCH_LARGE_MB (12), BENCH_WORKFLOWS (a,b,c,async,queue,callbacks; `none`:
// only the memory rows), BENCH_QUEUE_CALLS (60), PICWISH_N8N_VERSION (2.41.1), BENCH_SKIP_MEMORY=1.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
require('./ensure-deps').ensureDeps();

const { prepareN8n } = require('../test/e2e/harness');
const { packOnce } = require('../test/e2e/world');
const { chain, manualTrigger, node, picwish, readFiles } = require('../test/e2e/workflows');
const { startSimulator } = require('../simulator/server');
const { makeSamples, makeLargeSamples } = require('./make-samples');
const { benchQueue, queueTable } = require('./bench-queue');

const N = Number(process.env.BENCH_IMAGES || 200);
const SMALL = Number(process.env.BENCH_SMALL || 50);
const QPS = Number(process.env.BENCH_QPS || 2);
const PROCESSING_MS = Number(process.env.BENCH_PROCESSING_MS || 1200);
const SIZE = Number(process.env.BENCH_SIZE || 640);
const VERSION = process.env.PICWISH_N8N_VERSION || '2.41.1';
const LARGE_MB = Number(process.env.BENCH_LARGE_MB || 12);
// Memory mode keeps every input in n8n's memory and prints it in the run data: fewer large photos.
const LARGE_COUNTS = { filesystem: [10, 40], default: [10, 24] };
const log = (message) => console.error(`[bench] ${message}`);

function httpRequest(name, parameters, extra = {}) {
	return node(name, 'n8n-nodes-base.httpRequest', 4.2, parameters, extra);
}

/** The HTTP Request node a user sets up from the API document: multipart upload, sync, key header. */
function httpUpload(name, apiUrl, { batching, returnType = '1' } = {}) {
	return httpRequest(name, {
		method: 'POST',
		url: `${apiUrl}/api/tasks/visual/segmentation`,
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'X-API-KEY', value: 'sim-key' }] },
		sendBody: true,
		contentType: 'multipart-form-data',
		bodyParameters: {
			parameters: [
				{ parameterType: 'formBinaryData', name: 'image_file', inputDataFieldName: 'data' },
				{ name: 'sync', value: '1' },
				{ name: 'return_type', value: returnType },
			],
		},
		options: batching ? { batching: { batch: { batchSize: batching.size, batchInterval: batching.intervalMs } } } : {},
	}, batching ? { onError: 'continueRegularOutput' } : {});
}

function httpDownload(name) {
	return httpRequest(
		name,
		{ url: '={{ $json.data.image }}', options: { response: { response: { responseFormat: 'file' } } } },
		{ onError: 'continueRegularOutput' },
	);
}

/** When the given nodes ran, from n8n's own run data: first start and last end (ms). */
function nodeWindow(runData, nodeNames) {
	let start = Infinity;
	let end = 0;
	for (const name of nodeNames) {
		for (const run of runData?.[name] ?? []) {
			start = Math.min(start, run.startTime);
			end = Math.max(end, run.startTime + run.executionTime);
		}
	}
	return { start, end };
}

/** n8n's RSS while the nodes ran: at their start, at its peak, and the growth between. */
function rssDuring(rssSamples, { start, end }) {
	const before = rssSamples.filter((sample) => sample.t <= start).at(-1)?.mb ?? NaN;
	const during = rssSamples.filter((sample) => sample.t >= start && sample.t <= end + 100).map((sample) => sample.mb);
	const peak = Math.max(before, ...during);
	return { before, peak, growth: peak - before };
}

function countBinaries(items) {
	return (items ?? []).filter((item) => item.binary && Object.keys(item.binary).length > 0).length;
}

async function main() {
	const tarball = packOnce({ rebuild: true });
	const sim = await startSimulator({ qps: QPS, processingMs: PROCESSING_MS, imageThread: true });
	const prepared = [];
	const rows = [];
	const memory = [];
	let asyncRow;
	let queueRows = [];
	let callbackLines;
	try {
		async function world(binaryDataMode) {
			const n8n = await prepareN8n({ version: VERSION, tarball, binaryDataMode });
			prepared.push(n8n);
			await n8n.importCredentials([
				{ id: 'sim', name: 'PicWish simulator', type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl } },
			]);
			for (const count of new Set([SMALL, N])) {
				log(`generating ${count} sample photos (${SIZE} px) for ${binaryDataMode} mode…`);
				await makeSamples(photosOf(n8n, count), { count, size: SIZE });
			}
			return n8n;
		}

		async function measure(label, n8n, count, workflow, { apiNodes, resultNode, resultOutput = 'main' }) {
			sim.reset();
			log(`${label}: ${count} images…`);
			const result = await n8n.run(workflow, { timeoutMs: 30 * 60 * 1000 });
			const stats = sim.stats();
			const window = nodeWindow(result.runData, apiNodes);
			// First request to last result.
			const seconds = window.end > window.start ? (window.end - window.start) / 1000 : NaN;
			const results = result.runData ? countBinaries(result.outputs(resultNode)[resultOutput]) : 0;
			log(`  ${label}: ${seconds.toFixed(1)} s, ${results}/${count} results, ${stats.rateLimited} 429s of ${stats.requests} requests, peak RSS ${Math.round(result.peakRssMb)} MB`);
			return {
				label,
				count,
				rss: rssDuring(result.rssSamples ?? [], window),
				ok: result.ok,
				error: result.error?.message,
				seconds,
				perSecond: results / seconds,
				results,
				requests: stats.requests,
				rateLimited: stats.rateLimited,
				creates: stats.createRequests,
				polls: stats.pollRequests,
				keyLeaks: stats.keyLeaks,
				peakRssMb: result.peakRssMb,
			};
		}

		const photosOf = (n8n, count) => path.join(n8n.filesDir, `photos-${count}`);
		const ours = (photosDir, parameters = {}) =>
			chain('bench ours', [manualTrigger(), readFiles('Read photos', `${photosDir}/*`), picwish('PicWish', { ...parameters, options: { maxRequestsPerSecond: QPS } })]);
		const OURS = { apiNodes: ['PicWish'], resultNode: 'PicWish' };
		const httpChain = (photosDir, nodes) => chain('bench http', [manualTrigger(), readFiles('Read photos', `${photosDir}/*`), ...nodes]);

		const only = (process.env.BENCH_WORKFLOWS || 'a,b,c,async,queue,callbacks').split(',');
		const memoryN8n = await world('default');
		if (only.includes('a')) rows.push(await measure('(a) PicWish node, defaults', memoryN8n, N, ours(photosOf(memoryN8n, N)), OURS));
		if (only.includes('b')) {
			rows.push(
				await measure(
					'(b) HTTP Request, as left by default',
					memoryN8n,
					N,
					httpChain(photosOf(memoryN8n, N), [httpUpload('Remove background', sim.apiUrl, { returnType: '3' })]),
					{ apiNodes: ['Remove background'], resultNode: 'Remove background' },
				),
			);
		}
		if (only.includes('c')) {
			rows.push(
				await measure(
					'(c) HTTP Request, batching 2/1000 ms + download',
					memoryN8n,
					N,
					httpChain(photosOf(memoryN8n, N), [
						httpUpload('Remove background', sim.apiUrl, { batching: { size: QPS, intervalMs: 1000 } }),
						httpDownload('Download results'),
					]),
					{ apiNodes: ['Remove background', 'Download results'], resultNode: 'Download results' },
				),
			);
		}
		if (only.includes('async')) {
			asyncRow = await measure(`(a) PicWish node, async (${SMALL} images)`, memoryN8n, SMALL, ours(photosOf(memoryN8n, SMALL), { processingMode: 'async' }), OURS);
		}

		// Queue mode (main + workers, Redis, Postgres): scripts/bench-queue.js.
		if (only.includes('queue')) queueRows = await benchQueue({ tarball, version: VERSION, qps: QPS, processingMs: PROCESSING_MS, size: SIZE, calls: Number(process.env.BENCH_QUEUE_CALLS || 60), log });
		// Callbacks vs async polling, in its own `n8n start` (scripts/bench-callbacks.js).
		if (only.includes('callbacks')) callbackLines = await require('./bench-callbacks').benchCallbacks({ tarball, count: N, qps: QPS, processingMs: PROCESSING_MS, size: SIZE, version: VERSION, log });

		if (process.env.BENCH_SKIP_MEMORY !== '1') {
			// n8n's binary data modes, labelled as users meet them (n8n-core's BinaryDataConfig): 2.x stores
			// binary data on disk unless told otherwise (`filesystem`; `database` in queue mode); in memory
			// (`default`) is 1.x's default and, in 2.x, only what N8N_DEFAULT_BINARY_DATA_MODE=default asks
			// for (deprecated). prepareN8n() sets the variable explicitly for each world.
			const MODE_LABELS = {
				filesystem: 'filesystem (n8n 2.x default)',
				default: 'memory (`default`: n8n 1.x default; 2.x only when set)',
			};
			// SMALL and N photos through our node; the N run of (a) above already is the memory-mode one.
			const fewAndMany = async (mode, n8n, measuredN) => ({
				mode: MODE_LABELS[mode],
				photos: `${SIZE} px`,
				small: await measure(`(a) ${mode} mode`, n8n, SMALL, ours(photosOf(n8n, SMALL)), OURS),
				large: measuredN ?? (await measure(`(a) ${mode} mode`, n8n, N, ours(photosOf(n8n, N)), OURS)),
			});
			const fsN8n = await world('filesystem');
			memory.push(await fewAndMany('filesystem', fsN8n));
			memory.push(await fewAndMany('default', memoryN8n, rows.find((row) => row.label === '(a) PicWish node, defaults')));
			// Photos near PicWish's 15 MB limit: what the node holds at once must follow concurrency only.
			sim.configure({ lightResults: true });
			for (const [n8n, mode] of [[fsN8n, 'filesystem'], [memoryN8n, 'default']]) {
				const runs = [];
				for (const count of LARGE_COUNTS[mode]) {
					const dir = path.join(n8n.filesDir, `large-${count}`);
					log(`generating ${count} photos of ${LARGE_MB} MB for ${mode} mode…`);
					makeLargeSamples(dir, { count, megabytes: LARGE_MB });
					runs.push(await measure(`(a) ${mode} mode, ${LARGE_MB} MB photos`, n8n, count, ours(dir), OURS));
					fs.rmSync(dir, { recursive: true, force: true });
				}
				memory.push({ mode: MODE_LABELS[mode], photos: `${LARGE_MB} MB`, small: runs[0], large: runs[1] });
			}
			sim.configure({ lightResults: false });
		}
	} finally {
		for (const n8n of prepared) await n8n.cleanup();
		await sim.close();
	}

	const ceiling = (N - 1) / QPS + PROCESSING_MS / 1000;
	const a = rows.find((row) => row.label.startsWith('(a)'));
	const c = rows.find((row) => row.label.startsWith('(c)'));
	const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
	const lines = [];
	lines.push(`PicWish benchmark: ${N} photos (${SIZE} px), simulator at ${QPS} requests/s per key, ${PROCESSING_MS} ms processing, n8n ${VERSION}; workflows (a)-(c) with binary data in memory (N8N_DEFAULT_BINARY_DATA_MODE=default)`);
	lines.push('');
	lines.push('| workflow | wall time (s) | images/s | results | lost | 429s | API requests |');
	lines.push('|---|---:|---:|---:|---:|---:|---:|');
	for (const row of rows) {
		const note = row.ok ? '' : ' (workflow stopped with an error)';
		lines.push(`| ${row.label}${note} | ${fmt(row.seconds)} | ${fmt(row.perSecond, 2)} | ${row.results}/${row.count} | ${row.count - row.results} | ${row.rateLimited} | ${row.requests} |`);
	}
	lines.push('');
	lines.push(`ceiling (N-1)/QPS + latency = ${fmt(ceiling)} s (${fmt(N / ceiling, 2)} images/s)`);
	if (a) {
		const versusC = c
			? `; vs (c): ${fmt(a.perSecond / c.perSecond, 2)}x its delivered images/s, wall time ${fmt(a.seconds)} s vs ${fmt(c.seconds)} s (${c.count - c.results} of its items lost)`
			: '';
		lines.push(`(a) at ${fmt((100 * ceiling) / a.seconds)} % of the ceiling${versusC}; 429s ${fmt((100 * a.rateLimited) / Math.max(1, a.requests), 2)} % of its requests; key leaks to storage ${a.keyLeaks}`);
	}
	if (asyncRow) {
		lines.push('');
		lines.push(`async mode, ${SMALL} images: ${fmt(asyncRow.seconds)} s, ${asyncRow.results}/${SMALL} results, ${asyncRow.creates} creates + ${asyncRow.polls} polls = ${fmt((asyncRow.creates + asyncRow.polls) / SMALL, 2)} requests per image (budget: latency/poll interval + 2 = ${fmt(PROCESSING_MS / 1000 + 2, 1)}), ${asyncRow.rateLimited} 429s`);
	}
	if (callbackLines) lines.push('', ...callbackLines);
	if (memory.length > 0) {
		lines.push('');
		lines.push('| binary data | photos | images | results | n8n RSS when the node starts (MB) | peak while it runs (MB) | growth (MB) | process peak (MB) |');
		lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
		for (const { mode, photos, small, large } of memory) {
			for (const row of [small, large]) {
				lines.push(`| ${mode} | ${photos} | ${row.count} | ${row.results}/${row.count} | ${fmt(row.rss.before, 0)} | ${fmt(row.rss.peak, 0)} | ${fmt(row.rss.growth, 0)} | ${fmt(row.peakRssMb, 0)} |`);
			}
			lines.push(`| ${mode} | ${photos} | ratio | | | ${fmt(large.rss.peak / small.rss.peak, 2)} | ${fmt(large.rss.growth / Math.max(1, small.rss.growth), 2)} | ${fmt(large.peakRssMb / small.peakRssMb, 2)} |`);
		}
	}
	if (queueRows.length > 0) lines.push('', queueTable(queueRows, { qps: QPS, processingMs: PROCESSING_MS }));
	const report = lines.join('\n');
	console.log(`\n${report}`);
	fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
	fs.writeFileSync(path.join(root, '.bench', 'last-report.md'), `${report}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
