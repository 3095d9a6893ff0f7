#!/usr/bin/env node
// Queue-mode rows of `npm run bench` (also runnable alone: `node scripts/bench-queue.js`).
// n8n 2.41.1 in queue mode (main + workers, Redis, Postgres: scripts/queue-services.js), one key at
// QPS 2 on the simulator, N concurrent calls to the production webhook of "Webhook → PicWish →
// Respond to Webhook", each with one photo (upload). Rows: 3 workers at the defaults, 3 workers with
// the credential's "n8n processes sharing this key" at 3, then 1 worker (the other two stopped).
// Printed per row: wall time (first API request to last answer, from the simulator's log), ratio to
// the ceiling (N−1)/QPS + latency, 429s as % of requests, items lost, executions per worker.
// Each row starts after a minute's pause, so the pacers start afresh (they forget after 60 s idle).
// Env: BENCH_QUEUE_ROWS (auto3,shared3,auto1), BENCH_QUEUE_LOG (a folder for each row's request log),
// BENCH_QUEUE_CALLS (60), BENCH_QPS (2), BENCH_PROCESSING_MS (1200), BENCH_QUEUE_PAUSE_MS (65000).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startQueueMode, webhookWorkflow } = require('../test/e2e/queueHarness');
const { startSimulator } = require('../simulator/server');
const { makeSamples } = require('./make-samples');

const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

async function benchQueue({ tarball, version = '2.41.1', rowsWanted = ['auto3', 'shared3', 'auto1'], calls = 60, qps = 2, processingMs = 1200, size = 640, pauseMs = 65_000, log = (message) => console.error(`[bench] ${message}`) }) {
	const sim = await startSimulator({ qps, processingMs, imageThread: true });
	const photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picwish-bench-queue-'));
	const rows = [];
	let queue;
	try {
		await makeSamples(photosDir, { count: 8, size });
		const photos = fs.readdirSync(photosDir).sort().map((name) => ({ name, bytes: fs.readFileSync(path.join(photosDir, name)) }));
		const credentials = [
			{ id: 'simauto', name: 'PicWish simulator (defaults)', type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl } },
			{ id: 'simshared3', name: 'PicWish simulator (3 processes)', type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl, sharedProcesses: 3 } },
		];
		const workflow = (id, webhookPath, credential) =>
			webhookWorkflow({ id, name: `bench ${webhookPath}`, webhookPath, credential: { id: credential.id, name: credential.name } });
		log('starting queue mode: Redis, Postgres, main and 3 workers…');
		queue = await startQueueMode({
			version,
			tarball,
			workers: 3,
			credentials,
			workflows: [workflow('benchAuto', 'bench-auto', credentials[0]), workflow('benchShared', 'bench-shared', credentials[1])],
		});

		let fresh = true;
		async function measure(label, webhookPath, workers) {
			// The first row meets pacers that never sent; later ones wait until the pacers forget.
			if (!fresh) {
				log(`${label}: pausing ${pauseMs / 1000} s so the pacers start afresh…`);
				await new Promise((resolve) => setTimeout(resolve, pauseMs));
			}
			fresh = false;
			sim.reset();
			const before = queue.executionsPerWorker();
			log(`${label}: ${calls} concurrent webhook calls…`);
			const clientStart = Date.now();
			const answers = await Promise.all(
				Array.from({ length: calls }, async (_, index) => {
					const photo = photos[index % photos.length];
					const form = new FormData();
					form.append('data', new Blob([photo.bytes], { type: 'image/png' }), photo.name);
					try {
						const response = await fetch(queue.webhookUrl(webhookPath), { method: 'POST', body: form });
						const bytes = Buffer.from(await response.arrayBuffer());
						const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
						return { ok: response.status === 200 && png, status: response.status, text: png ? '' : bytes.toString('utf8', 0, 200) };
					} catch (error) {
						return { ok: false, status: 0, text: error.message };
					}
				}),
			);
			const clientSeconds = (Date.now() - clientStart) / 1000;
			const failures = answers.filter((answer) => !answer.ok);
			const stats = sim.stats();
			const api = stats.requestLog.filter((entry) => entry.path.startsWith('/api/'));
			// BENCH_QUEUE_LOG=<folder>: each row's API requests (arrival, answer, status) as JSON, for study.
			if (process.env.BENCH_QUEUE_LOG) {
				fs.mkdirSync(process.env.BENCH_QUEUE_LOG, { recursive: true });
				fs.writeFileSync(path.join(process.env.BENCH_QUEUE_LOG, `${webhookPath}-${workers.length}w.json`), JSON.stringify(api));
			}
			const seconds = api.length > 0 ? (Math.max(...api.map((entry) => entry.t)) - Math.min(...api.map((entry) => entry.arrivedAt ?? entry.t))) / 1000 : NaN;
			// A worker logs "finished" a moment after the answer went out.
			const finished = () => workers.reduce((sum, name) => sum + (queue.executionsPerWorker()[name] - (before[name] ?? 0)), 0);
			for (let wait = 0; wait < 40 && finished() < calls - failures.length; wait++) await new Promise((resolve) => setTimeout(resolve, 250));
			const after = queue.executionsPerWorker();
			const perWorker = Object.fromEntries(workers.map((name) => [name, after[name] - (before[name] ?? 0)]));
			const reasons = [...new Set(failures.map((answer) => `${answer.status} ${answer.text}`.trim()))].slice(0, 3);
			const row = {
				label,
				workers: workers.length,
				calls,
				seconds,
				clientSeconds,
				ceiling: (calls - 1) / qps + processingMs / 1000,
				requests: stats.requests,
				rateLimited: stats.rateLimited,
				lost: failures.length,
				reasons,
				perWorker,
			};
			log(`  ${label}: ${fmt(seconds)} s (${fmt(seconds / row.ceiling, 2)} x ceiling), ${stats.rateLimited} 429s of ${stats.requests} requests, lost ${row.lost}, per worker ${JSON.stringify(perWorker)}`);
			rows.push(row);
			return row;
		}

		const all = queue.workers.map((worker) => worker.name);
		if (rowsWanted.includes('auto3')) await measure('queue mode, 3 workers, defaults', 'bench-auto', all);
		if (rowsWanted.includes('shared3')) await measure('queue mode, 3 workers, "processes sharing this key" = 3', 'bench-shared', all);
		if (rowsWanted.includes('auto1')) {
			// One worker: the other two stop (their share of the queue goes to the one left).
			for (const worker of queue.workers.slice(1)) await worker.proc.stop();
			await measure('queue mode, 1 worker, defaults', 'bench-auto', all.slice(0, 1));
		}
	} finally {
		if (queue) await queue.close();
		await sim.close();
		fs.rmSync(photosDir, { recursive: true, force: true });
	}
	return rows;
}

function queueTable(rows, { qps = 2, processingMs = 1200 } = {}) {
	const lines = [];
	if (rows.length === 0) return '';
	lines.push(`Queue mode (n8n main + workers, Redis, Postgres, binary data in the database): ${rows[0].calls} concurrent webhook calls, one photo each, one key at ${qps} requests/s, ${processingMs} ms processing`);
	lines.push('');
	lines.push('| row | wall time (s) | ceiling (s) | ratio to the ceiling | 429s | API requests | 429s % | lost | executions per worker |');
	lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|');
	for (const row of rows) {
		const perWorker = Object.values(row.perWorker).join(' / ');
		lines.push(
			`| ${row.label} | ${fmt(row.seconds)} | ${fmt(row.ceiling)} | ${fmt(row.seconds / row.ceiling, 2)} | ${row.rateLimited} | ${row.requests} | ${fmt((100 * row.rateLimited) / Math.max(1, row.requests))} | ${row.lost} | ${perWorker} |`,
		);
	}
	for (const row of rows.filter((entry) => entry.lost > 0)) lines.push(`lost in "${row.label}": ${row.reasons.join('; ')}`);
	lines.push('wall time: first API request to last answer, from the simulator\'s log; ceiling (N−1)/QPS + latency.');
	return lines.join('\n');
}

module.exports = { benchQueue, queueTable };

if (require.main === module) {
	require('./ensure-deps').ensureDeps();
	const { packOnce } = require('../test/e2e/world');
	const options = {
		calls: Number(process.env.BENCH_QUEUE_CALLS || 60),
		qps: Number(process.env.BENCH_QPS || 2),
		processingMs: Number(process.env.BENCH_PROCESSING_MS || 1200),
		pauseMs: Number(process.env.BENCH_QUEUE_PAUSE_MS || 65_000),
		rowsWanted: (process.env.BENCH_QUEUE_ROWS || 'auto3,shared3,auto1').split(','),
	};
	benchQueue({ tarball: packOnce({ rebuild: true }), ...options })
		.then((rows) => console.log(`\n${queueTable(rows, options)}`))
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
