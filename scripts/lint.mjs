#!/usr/bin/env node
// n8n's own gates, run locally:
//   1. `n8n-node lint` (@n8n/node-cli), n8n's lint command for community nodes, in strict mode with
//      n8n's default eslint.config.mjs: every TypeScript file of the repository and package.json;
//   2. the rules of @n8n/scan-community-package (@n8n/eslint-plugin-community-nodes +
//      eslint-plugin-n8n-nodes-base) over the source (package.json, nodes/, credentials/), as the
//      scanner lints the attested source;
//   3. the same over the extracted `npm pack` tarball (compiled .js + package.json), as it lints what
//      users get, through the scanner's own analyzePackage();
// and 4. the GitHub Actions workflows (scripts/check-workflows.js: actionlint + publish/CI rules).
// Any error or warning fails. Inline eslint-disable comments are ignored, as in the scanner.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ESLint } from 'eslint';
import {
	analyzePackage,
	buildScanConfig,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { checkWorkflows } = createRequire(import.meta.url)('./check-workflows.js');

/** n8n-node lint exits non-zero on any eslint error; a warning is only printed, so count those too. */
function n8nNodeLint() {
	const result = spawnSync(path.join(root, 'node_modules', '.bin', 'n8n-node'), ['lint'], {
		cwd: root,
		encoding: 'utf8',
	});
	// eslint's colours (n8n-node forces them) stripped for logs.
	const output = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
	console.log(output.trim());
	const warnings = /(\d+) warnings?\b/.exec(output);
	const problems = result.status !== 0 ? 1 : Number(warnings?.[1] ?? 0);
	console.log(`n8n-node lint: ${problems === 0 ? 'no problems' : `FAILED (exit code ${result.status})`}`);
	return problems;
}

async function lint(cwd, patterns, label) {
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
		errorOnUnmatchedPattern: false,
	});
	const results = await eslint.lintFiles(patterns);
	const errors = results.reduce((sum, r) => sum + r.errorCount, 0);
	const warnings = results.reduce((sum, r) => sum + r.warningCount, 0);
	const formatter = await eslint.loadFormatter('stylish');
	const text = await formatter.format(results);
	if (text.trim()) console.log(text);
	console.log(`lint ${label}: ${results.length} files, ${errors} errors, ${warnings} warnings`);
	return errors + warnings;
}

function packToFolder() {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'picwish-scan-'));
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' });
	const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
	const dir = path.join(tmp, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', path.join(tmp, path.basename(filename)), '-C', dir, '--strip-components=1']);
	return { tmp, dir };
}

let problems = n8nNodeLint();
problems += await lint(root, SOURCE_FILE_PATTERNS, 'source (nodes/, credentials/, package.json)');

const { tmp, dir } = packToFolder();
try {
	problems += await lint(dir, ['**/*.js', 'package.json'], 'packed tarball (dist/**/*.js, package.json)');
	const scan = await analyzePackage(dir, ['**/*.js', 'package.json']);
	console.log(`scan-community-package analyzePackage(tarball): ${scan.passed ? 'passed' : 'FAILED'}`);
	if (!scan.passed) {
		console.log(scan.message, scan.details ?? '');
		problems += 1;
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
		console.log('package.json must have no runtime dependencies:', pkg.dependencies);
		problems += 1;
	}
} finally {
	fs.rmSync(tmp, { recursive: true, force: true });
}

problems += await checkWorkflows();

if (problems > 0) {
	console.log(`lint: FAILED (${problems} problems)`);
	process.exit(1);
}
console.log('lint: clean (0 errors, 0 warnings)');
