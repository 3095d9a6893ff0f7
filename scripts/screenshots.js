#!/usr/bin/env node
// `npm run screenshots`: the README's pictures, taken from a real n8n editor with headless Chromium
// (Debian's `chromium` + playwright-core; no browser download). Writes docs/images/:
//   node-panel.png      the node creator searched for "remove background": our node with its icon
//   workflow-run.png    the example workflow after a run in the editor (items on each connection)
//   node-form.png       the PicWish node's form with its input and output
//   credential-test.png the credential dialog after a successful Test against the simulator
//   before-after.png    a demo photo and its cut-out (on a checkerboard: transparent = checks)
// Installs Debian's chromium with apt-get when /usr/bin/chromium is missing and we are root.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
require('./ensure-deps').ensureDeps();

const { prepareN8n } = require('../test/e2e/harness');
const { packOnce } = require('../test/e2e/world');
const { folderExample } = require('../test/e2e/workflows');
const { startSimulator } = require('../simulator/server');
const { makeSamples } = require('./make-samples');
const { strip } = require('./pictures');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const outDir = path.join(root, 'docs', 'images');
const log = (message) => console.log(`[screenshots] ${message}`);

function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	if (process.getuid?.() !== 0) {
		throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`);
	}
	log('installing Debian\'s chromium (apt-get)…');
	try {
		execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit' });
	} catch {
		execFileSync('apt-get', ['update'], { stdio: 'inherit' });
		execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit' });
	}
}

async function step(label, action) {
	try {
		await action();
		log(`${label}: ok`);
		return true;
	} catch (error) {
		log(`${label}: FAILED (${error.message.split('\n')[0]})`);
		return false;
	}
}

async function main() {
	ensureChromium();
	const tarball = packOnce({ rebuild: true });
	fs.mkdirSync(outDir, { recursive: true });
	const sim = await startSimulator({ qps: 2, processingMs: 600 });
	const n8n = await prepareN8n({ version: process.env.PICWISH_N8N_VERSION || '2.41.1', tarball });
	let browser;
	let server;
	let failures = 0;
	try {
		const photosDir = path.join(n8n.filesDir, 'photos');
		const cutoutsDir = path.join(n8n.filesDir, 'cutouts');
		await makeSamples(photosDir, { count: 4 });
		fs.mkdirSync(cutoutsDir, { recursive: true });
		sim.configure({ samplesDir: photosDir });
		await n8n.importCredentials([
			{ id: 'picwish-demo', name: 'PicWish account', type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl } },
		]);
		const workflow = folderExample(photosDir, cutoutsDir);
		await n8n.run(workflow); // imports it (and proves it runs headless) before the editor opens it

		server = await n8n.startServer();
		const { chromium } = require('playwright-core');
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
		await context.addCookies(
			server.cookie.split('; ').map((pair) => {
				const [name, ...rest] = pair.split('=');
				return { name, value: rest.join('='), url: server.url };
			}),
		);
		const page = await context.newPage();
		const dismiss = async () => {
			for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => undefined);
			// One-time hints ("Press N to browse nodes") would cover the pictures.
			const gotIt = page.getByRole('button', { name: /^Got it$/i }).first();
			if (await gotIt.isVisible().catch(() => false)) await gotIt.click().catch(() => undefined);
		};

		await page.goto(`${server.url}/workflow/picwishDemo`, { waitUntil: 'networkidle' });
		await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
		await dismiss();

		if (!(await step('node panel', async () => {
			// n8n 2.x opens the node panel with N (1.x with Tab); the canvas "+" works in both.
			const plus = page.locator('[data-test-id="node-creator-plus-button"]').first();
			if (await plus.isVisible().catch(() => false)) await plus.click();
			else await page.keyboard.press('n');
			const search = page
				.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator"] input')
				.first();
			await search.waitFor({ timeout: 15_000 });
			await search.fill('remove background');
			await page.waitForTimeout(1500);
			await page.screenshot({ path: path.join(outDir, 'node-panel.png') });
			await dismiss();
		}))) failures++;

		if (!(await step('workflow run', async () => {
			await page.locator('[data-test-id="execute-workflow-button"]').first().click();
			await page.waitForSelector('[data-test-id="canvas-node-status-success"], .node-status-success, [data-test-id="canvas-edge-label"]', { timeout: 90_000 }).catch(() => undefined);
			await page.waitForTimeout(4000);
			await page.screenshot({ path: path.join(outDir, 'workflow-run.png') });
		}))) failures++;

		if (!(await step('node form', async () => {
			await page.locator('[data-test-id="canvas-node"][data-node-name="Remove background"], [data-node-name="Remove background"]').first().dblclick();
			await page.waitForSelector('[data-test-id="ndv"], .ndv-wrapper, [data-test-id="node-parameters"]', { timeout: 15_000 });
			await page.waitForTimeout(1500);
			await page.screenshot({ path: path.join(outDir, 'node-form.png') });
			await dismiss();
		}))) failures++;

		if (!(await step('credential test', async () => {
			await page.goto(`${server.url}/home/credentials/picwish-demo`, { waitUntil: 'networkidle' });
			await page.waitForTimeout(2000);
			const retry = page.getByRole('button', { name: /retry|test/i }).first();
			if (await retry.isVisible().catch(() => false)) await retry.click();
			await page.getByText(/Connection tested successfully|tested successfully/i).first().waitFor({ timeout: 30_000 });
			await page.screenshot({ path: path.join(outDir, 'credential-test.png') });
		}))) failures++;

		const first = fs.readdirSync(photosDir).sort()[0];
		const cutout = path.join(cutoutsDir, first.replace(/\.\w+$/, '.png'));
		if (!(await step('before/after', async () => strip([path.join(photosDir, first), cutout], path.join(outDir, 'before-after.png'))))) failures++;
	} finally {
		await browser?.close();
		await server?.stop();
		await n8n.cleanup();
		await sim.close();
	}
	log(`pictures in ${path.relative(root, outDir)}/ (${failures} step(s) failed)`);
	if (failures > 0) process.exitCode = 1;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
