#!/usr/bin/env node
// Benchmark row for issue 14: N photos through callbacks vs async polling, in one real `n8n start`
// against the simulator at QPS requests/s. Both runs start from a Webhook-started sender workflow,
// so sender and trigger share n8n's process and the key's pacer, as in a production n8n.
//   async polling: the sender creates each task and polls it until done (Wait for Completion);
//   callbacks:     the sender creates the tasks with a Callback URL and finishes; PicWish (the
//                  simulator) calls the PicWish Trigger, which reads each task once and writes the
//                  cut-out to disk.
//   body:          the same with the Trigger's "Use Result Sent With Callback": it takes the result
//                  from the callback (the simulator POSTs the task's JSON envelope) and reads nothing.
// Prints API requests per image, wall time until the last result, and the ratio to the ceiling.
// Env: BENCH_IMAGES (200), BENCH_QPS (2), BENCH_PROCESSING_MS (1200), BENCH_SIZE (640), PICWISH_N8N_VERSION,
// BENCH_CALLBACK_RUNS (async,callbacks,body).
const fs = require('node:fs');
const path = require('node:path');

const { prepareN8n } = require('../test/e2e/harness');
const { packOnce } = require('../test/e2e/world');
const { senderWorkflow, triggerWorkflow, publish, until, waitForWebhook, executionsOf } = require('../test/e2e/callbackWorld');
const { startSimulator } = require('../simulator/server');
const { makeSamples } = require('./make-samples');

const SECRET = 'bench-secret-0123456789abcdef';

async function benchCallbacks({
	tarball = packOnce({ rebuild: true }),
	count = Number(process.env.BENCH_IMAGES || 200),
	qps = Number(process.env.BENCH_QPS || 2),
	processingMs = Number(process.env.BENCH_PROCESSING_MS || 1200),
	size = Number(process.env.BENCH_SIZE || 640),
	version = process.env.PICWISH_N8N_VERSION || '2.41.1',
	log = (message) => console.error(`[bench callbacks] ${message}`),
} = {}) {
	const sim = await startSimulator({ qps, processingMs, imageThread: true });
	const n8n = await prepareN8n({ version, tarball });
	let server;
	const rows = [];
	try {
		await n8n.importCredentials([
			{ id: 'sim', name: 'PicWish simulator', type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl } },
		]);
		const photosDir = path.join(n8n.filesDir, 'photos');
		const outDir = path.join(n8n.filesDir, 'out');
		fs.mkdirSync(outDir, { recursive: true });
		log(`generating ${count} sample photos (${size} px)…`);
		makeSamples(photosDir, { count, size });
		server = await n8n.startServer();

		// Two Trigger workflows: the default (reads each task with a GET) and "Use Result Sent With Callback".
		const triggers = {};
		for (const [key, useCallbackResult] of [['callbacks', false], ['body', true]]) {
			const dir = path.join(outDir, key);
			fs.mkdirSync(dir, { recursive: true });
			const { workflow, webhookId } = triggerWorkflow({ secret: SECRET, outDir: dir, parameters: { options: useCallbackResult ? { useCallbackResult } : {} } });
			workflow.name = `PicWish callbacks (${key})`;
			const id = await publish(server, workflow);
			const url = `${server.url}/webhook/${webhookId}/picwish`;
			await waitForWebhook(url);
			triggers[key] = { id, url, dir };
		}
		const sender = async (hookPath, parameters) => {
			const base = senderWorkflow({ photosDir, callbackUrl: parameters.callbackUrl, qps, hookPath });
			const picwish = base.nodes.find((node) => node.name === 'PicWish');
			Object.assign(picwish.parameters, parameters.node ?? {});
			// Event-loop stalls on a busy n8n (see README) bunch requests and draw 429s: retry more than the default 4.
			picwish.parameters.options.maxRetries = 10;
			if (!parameters.callbackUrl) delete picwish.parameters.options.callbackUrl;
			await publish(server, base);
			const url = `${server.url}/webhook/${hookPath}`;
			await waitForWebhook(url, { method: 'GET' });
			return url;
		};

		const runs = (process.env.BENCH_CALLBACK_RUNS || 'async,callbacks,body').split(',');
		// Async polling: the sender holds its execution open until every task is done.
		if (runs.includes('async')) {
		const asyncUrl = await sender('bench-async', { node: { processingMode: 'async', returnType: 'url' } });
		sim.reset();
		log(`async polling: ${count} images…`);
		const startedAt = Date.now();
		const response = await fetch(asyncUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
		const items = await response.json();
		const endedAt = Date.now();
		const stats = sim.stats();
		rows.push({
			key: 'async',
			label: 'async polling (Wait for Completion)',
			seconds: (endedAt - startedAt) / 1000,
			senderSeconds: (endedAt - startedAt) / 1000,
			results: (Array.isArray(items) ? items : [items]).filter((item) => item.state === 1 && item.image).length,
			stats,
		});
		log(`  ${rows.at(-1).seconds.toFixed(1)} s, ${rows.at(-1).results}/${count} results, ${stats.requests} requests`);
		}

		// Callbacks: the sender returns the created tasks; the Trigger workflow gets the results.
		const viaCallbacks = async (key, label) => {
			const trigger = triggers[key];
			const callbacksUrl = await sender(`bench-${key}`, { callbackUrl: `${trigger.url}?secret=${SECRET}`, node: { returnType: 'binary' } });
			sim.reset();
			log(`${label}: ${count} images…`);
			const startedAt = Date.now();
			const response = await fetch(callbacksUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
			const items = await response.json();
			if (!Array.isArray(items)) log(`  the sender answered: ${JSON.stringify(items).slice(0, 300)}`);
			const senderSeconds = (Date.now() - startedAt) / 1000;
			const created = (Array.isArray(items) ? items : [items]).filter((item) => item.task_id).length;
			const executions = await until(`${count} trigger executions`, async () => {
				const list = (await executionsOf(server, trigger.id)).filter((execution) => execution.mode === 'webhook');
				return list.length >= created && list.every((execution) => execution.stoppedAt) ? list : undefined;
			}, { timeoutMs: 30 * 60 * 1000, everyMs: 1000 });
			const endedAt = Math.max(...executions.map((execution) => Date.parse(execution.stoppedAt)));
			const stats = sim.stats();
			const files = fs.readdirSync(trigger.dir).filter((name) => name.endsWith('.png')).length;
			rows.push({ key, label, seconds: (endedAt - startedAt) / 1000, senderSeconds, results: files, runs: executions.length, stats });
			log(`  sender ${senderSeconds.toFixed(1)} s, last result ${rows.at(-1).seconds.toFixed(1)} s, ${files}/${count} results, ${stats.requests} requests`);
		};
		if (runs.includes('callbacks')) await viaCallbacks('callbacks', 'callbacks + PicWish Trigger (reads the task)');
		if (runs.includes('body')) await viaCallbacks('body', 'callbacks + Trigger, Use Result Sent With Callback');
	} finally {
		await server?.stop();
		await n8n.cleanup();
		await sim.close();
	}

	const latency = processingMs / 1000;
	const ceiling = (requestsPerImage) => (count * requestsPerImage - 1) / qps + latency;
	// The fewest requests each way needs per image: create + one read (polling at its best, or the
	// trigger's GET); create only when the trigger takes the result from the callback.
	const leastRequests = { async: 2, callbacks: 2, body: 1 };
	const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
	const lines = [];
	lines.push(`Callbacks vs async polling: ${count} photos, ${qps} requests/s per key, ${processingMs} ms processing, n8n ${version} (one n8n start)`);
	lines.push('');
	lines.push('| run | sender finished (s) | last result (s) | results | runs | creates | task reads | API requests per image | 429s | ceiling used | % of it | % of 1-request ceiling |');
	lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|');
	for (const row of rows) {
		const { stats } = row;
		const least = leastRequests[row.key];
		lines.push(
			`| ${row.label} | ${fmt(row.senderSeconds)} | ${fmt(row.seconds)} | ${row.results}/${count} | ${row.runs ?? 1} | ${stats.createRequests} | ${stats.pollRequests} | ${fmt(stats.requests / count, 2)} | ${stats.rateLimited} | ${least} request${least > 1 ? 's' : ''}/image: ${fmt(ceiling(least))} s | ${fmt((100 * ceiling(least)) / row.seconds)} % | ${fmt((100 * ceiling(1)) / row.seconds)} % |`,
		);
	}
	lines.push('');
	lines.push(`ceiling = (images × requests per image − 1) / ${qps} requests/s + ${fmt(latency)} s processing: 1 request per image ${fmt(ceiling(1))} s, 2 requests per image ${fmt(ceiling(2))} s`);
	for (const row of rows.filter((entry) => entry.key !== 'async')) {
		const { stats } = row;
		lines.push(
			`${row.label}: ${stats.callbacksSent} callbacks sent, ${stats.callbacksDelivered} answered 2xx, ${stats.callbacksFailed} not; the sender's requests per image ${fmt(stats.createRequests / count, 2)}, the trigger's ${fmt(stats.pollRequests / count, 2)}`,
		);
	}
	return lines;
}

module.exports = { benchCallbacks };

if (require.main === module) {
	require('./ensure-deps').ensureDeps();
	benchCallbacks()
		.then((lines) => console.log(`\n${lines.join('\n')}`))
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
