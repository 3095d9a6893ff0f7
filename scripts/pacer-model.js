#!/usr/bin/env node
// The pacer in a model of n8n processes sharing one key (test/support/keyModel.js), over many seeds,
// on a fake clock: seconds of model time take milliseconds. Prints, per scenario, the 429s as % of
// requests (mean, worst run, and how many runs stay within the target), the wall time's ratio to the
// ceiling, and items lost. For tuning the pacer before the real queue-mode benchmark
// (scripts/bench-queue.js), which this does not replace.
// Env: MODEL_RUNS (40), MODEL_SCENARIOS (names separated by ';', default all), MODEL_SEED (1).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
require('./ensure-deps').ensureDeps();

// Load the pacer's TypeScript source directly (transpiled on require), so the model runs what the
// working tree holds without a build.
const ts = require(path.join(root, 'node_modules', 'typescript'));
require.extensions['.ts'] = (module, filename) => {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		fileName: filename,
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
	});
	module._compile(outputText, filename);
};

const FakeTimers = require(path.join(root, 'node_modules', '@sinonjs', 'fake-timers'));
const { runKeyModel } = require('../test/support/keyModel');

const SCENARIOS = {
	// The queue-mode benchmark's rows: 60 one-photo executions, QPS 2.
	'3 workers, defaults': { processes: 3, sharedProcesses: 0, target: 0.1 },
	'3 workers, sharing = 3': { processes: 3, sharedProcesses: 3, target: 0.02 },
	'1 worker, defaults': { processes: 1, sharedProcesses: 0, target: 0.02 },
	'2 workers, defaults': { processes: 2, sharedProcesses: 0, target: 0.1 },
	'4 workers, defaults': { processes: 4, sharedProcesses: 0, target: 0.15 },
	'4 workers, sharing = 3': { processes: 4, sharedProcesses: 3, target: 0.15 },
	'3 workers, defaults, staggered starts': { processes: 3, sharedProcesses: 0, startSpreadMs: 6000, target: 0.1 },
	'3 workers, defaults, 200 jobs': { processes: 3, sharedProcesses: 0, jobs: 200, target: 0.1 },
	'4 workers, sharing = 4': { processes: 4, sharedProcesses: 4, target: 0.05 },
	'5 workers, defaults': { processes: 5, sharedProcesses: 0, target: 0.2 },
	'6 workers, sharing = 6': { processes: 6, sharedProcesses: 6, target: 0.1 },
	'3 workers, QPS 5, defaults': { processes: 3, sharedProcesses: 0, qps: 5, jobs: 150, target: 0.1 },
	'3 workers, QPS 1, defaults': { processes: 3, sharedProcesses: 0, qps: 1, jobs: 30, target: 0.1 },
	'1 worker, 200 jobs, no congestion': { processes: 1, sharedProcesses: 0, jobs: 200, concurrency: 200, enqueueMs: 10, jobStartMs: [0, 0], lateAfterAuth: [0, 0, 0], target: 0.02 },
};

async function scenario(Pacer, name, settings, runs, firstSeed) {
	const results = [];
	for (let run = 0; run < runs; run++) {
		const clock = FakeTimers.install({ now: 1_700_000_000_000 + run * 7919, toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'Date'] });
		try {
			results.push(await runKeyModel(Pacer, { now: () => Date.now(), advance: (ms) => clock.tickAsync(ms) }, { ...settings, seed: firstSeed + run }));
		} finally {
			clock.uninstall();
		}
	}
	const shares = results.map((result) => result.refused / result.requests);
	const ratios = results.map((result) => result.seconds / result.ceiling);
	const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
	return {
		name,
		runs,
		share: mean(shares),
		worst: Math.max(...shares),
		within: shares.filter((share) => share <= settings.target).length,
		target: settings.target,
		ratio: mean(ratios),
		worstRatio: Math.max(...ratios),
		lost: results.reduce((sum, result) => sum + result.lost, 0),
		refusals: results.map((result) => result.refused),
		results,
	};
}

async function main() {
	const { Pacer } = require(process.env.MODEL_PACER ? path.resolve(process.env.MODEL_PACER) : '../nodes/PicWish/transport/pacer.ts');
	const runs = Number(process.env.MODEL_RUNS || 40);
	const firstSeed = Number(process.env.MODEL_SEED || 1);
	const wanted = process.env.MODEL_SCENARIOS ? process.env.MODEL_SCENARIOS.split(';') : Object.keys(SCENARIOS);
	console.log(`| scenario | runs | 429s % (mean) | worst | runs within target | ratio to ceiling (mean) | worst | lost |`);
	console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
	for (const name of wanted) {
		const settings = SCENARIOS[name];
		if (!settings) throw new Error(`unknown scenario "${name}"`);
		const row = await scenario(Pacer, name, settings, runs, firstSeed);
		const pct = (value) => (100 * value).toFixed(1);
		console.log(
			`| ${name} | ${runs} | ${pct(row.share)} | ${pct(row.worst)} | ${row.within}/${runs} (≤ ${pct(row.target)} %) | ${row.ratio.toFixed(3)} | ${row.worstRatio.toFixed(3)} | ${row.lost} |`,
		);
		if (process.env.MODEL_VERBOSE) console.log(`  429s per run: ${row.refusals.join(' ')}\n  ratio per run: ${row.results.map((result) => (result.seconds / result.ceiling).toFixed(2)).join(' ')}`);
		if (process.env.MODEL_TRACE) {
			const result = row.results[Number(process.env.MODEL_TRACE)];
			for (const entry of result.log) console.log(`  ${entry.t.toFixed(0).padStart(6)} ms  round ${Math.floor((entry.t + result.origin) / 1050) % 12}  p${entry.process}  ${entry.ok ? 'ok ' : '429'}  ${entry.place}`);
			console.log(JSON.stringify(result.stats));
		}
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
