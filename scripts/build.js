#!/usr/bin/env node
// Clean build: dist/ = compiled TypeScript + codex JSON + icons (via gulp). No shell tricks, so it
// runs the same under any Node the project supports.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
for (const codex of ['nodes/PicWish/PicWish.node.json', 'nodes/PicWishTrigger/PicWishTrigger.node.json']) {
	fs.copyFileSync(path.join(root, codex), path.join(root, 'dist', codex));
}
execFileSync(bin('gulp'), ['build:icons'], { cwd: root, stdio: 'inherit' });
