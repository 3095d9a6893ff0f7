#!/usr/bin/env node
// Installs the dev dependencies from the lockfile when they are missing or older than the lockfile,
// so that `npm test` and `npm run demo` work on a fresh clone without a separate install step.
// --ignore-scripts: nothing we use needs one, and n8n-workflow's optional native build (isolated-vm)
// would fail on the machine's Node 20.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function needsInstall() {
	const marker = path.join(root, 'node_modules', '.package-lock.json');
	if (!fs.existsSync(marker)) return true;
	return fs.statSync(path.join(root, 'package-lock.json')).mtimeMs > fs.statSync(marker).mtimeMs;
}

function ensureDeps() {
	if (!needsInstall()) return;
	console.log('[setup] installing dev dependencies from package-lock.json (npm ci)…');
	execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: root,
		stdio: 'inherit',
	});
}

module.exports = { ensureDeps };
if (require.main === module) ensureDeps();
