#!/usr/bin/env node
// `npm test`: every test the project has, in the order that fails fastest.
//   1. install dev dependencies if needed, build dist/
//   2. lint (scripts/lint.mjs): n8n-node lint, n8n's community-node rules and the scanner's
//      analyzePackage(), the GitHub workflow files (actionlint); 0 errors and 0 warnings
//   3. unit tests (jest + nock) and the simulator's tests
//   4. end-to-end: the npm-pack tarball in a real n8n (2.x and 1.x) against the local simulator
// Ends with one line "summary: N passed, N failed". PICWISH_SKIP_E2E=1 skips step 4 (quick loop).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureDeps } = require('./ensure-deps');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;

function step(label, command, args, env = {}) {
	const started = Date.now();
	console.log(`\n=== ${label}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const ok = result.status === 0;
	console.log(`=== ${label}: ${ok ? 'ok' : 'FAILED'} (${seconds} s)`);
	return ok;
}

function jest(label, config, extra = []) {
	const report = path.join(os.tmpdir(), `picwish-jest-${process.pid}-${label.replace(/\W+/g, '-')}.json`);
	const ok = step(label, bin('jest'), ['--config', config, '--json', '--outputFile', report, ...extra]);
	if (fs.existsSync(report)) {
		const results = JSON.parse(fs.readFileSync(report, 'utf8'));
		passed += results.numPassedTests;
		failed += results.numFailedTests + (results.numRuntimeErrorTestSuites || 0);
		fs.rmSync(report, { force: true });
	} else {
		failed += 1;
	}
	return ok;
}

function counted(ok) {
	if (ok) passed += 1;
	else failed += 1;
	return ok;
}

ensureDeps();
let ok = counted(step('build', process.execPath, ['scripts/build.js']));
ok = counted(step('lint (n8n-node lint, scan-community-package rules and analyzePackage, workflow files)', process.execPath, ['scripts/lint.mjs'])) && ok;
ok = jest('unit and simulator tests', 'jest.config.js') && ok;
if (process.env.PICWISH_SKIP_E2E === '1') {
	console.log('\n=== end-to-end tests skipped (PICWISH_SKIP_E2E=1)');
} else {
	// Core flows on n8n 2.41.1 and 1.123.81; features and the fault matrix on 2.41.1.
	// PICWISH_E2E_VERSIONS=2.41.1 limits the core flows to one version.
	ok = jest('end-to-end tests in a real n8n', 'test/e2e/jest.config.js', ['--runInBand']) && ok;
}

console.log(`\nsummary: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
