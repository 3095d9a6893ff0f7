#!/usr/bin/env node
// Installs the dev dependencies from the lockfile when they are missing or older than the lockfile,
// so that `npm test` and `npm run demo` work on a fresh clone without a separate install step.
// --ignore-scripts, as the project's .npmrc also sets for a plain `npm ci` / `npm install`: no dev
// dependency needs an install script, and two fail (eslint-plugin-n8n-nodes-base's `npx only-allow
// pnpm`; isolated-vm, via n8n-workflow, builds only on Node 24).
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
