#!/usr/bin/env node
// n8n's own gate, run locally: the rules of @n8n/scan-community-package (which are the rules of
// `n8n-node lint`: @n8n/eslint-plugin-community-nodes + eslint-plugin-n8n-nodes-base) over
//   1. the source (package.json, nodes/, credentials/) — as the scanner lints the attested source;
//   2. the extracted `npm pack` tarball (compiled .js + package.json) — as it lints what users get,
//      through the scanner's own analyzePackage().
// Any error or warning fails. Inline eslint-disable comments are ignored, as in the scanner.
import { execFileSync } from 'node:child_process';
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

let problems = await lint(root, SOURCE_FILE_PATTERNS, 'source (nodes/, credentials/, package.json)');

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

if (problems > 0) {
	console.log(`lint: FAILED (${problems} problems)`);
	process.exit(1);
}
console.log('lint: clean (0 errors, 0 warnings)');
