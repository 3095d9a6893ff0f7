// One "world" for an end-to-end test file: the packed package installed in a fresh real n8n, the
// PicWish simulator, sample photos and fault fixtures in the folder n8n may read and write.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { PNG } = require('pngjs');

const { prepareN8n, freePort } = require('./harness');
const { startSimulator } = require('../../simulator/server');
const { makeSamples } = require('../../scripts/make-samples');

const root = path.resolve(__dirname, '../..');
const e2eDir = path.join(root, '.e2e');

/**
 * `npm pack` of the build, once per process: the tarball users get. `rebuild` compiles the sources
 * first (the demo, benchmark and screenshots); the test runner has built them already.
 */
let tarball;
function packOnce({ rebuild = false } = {}) {
	if (tarball) return tarball;
	fs.mkdirSync(e2eDir, { recursive: true });
	if (rebuild || !fs.existsSync(path.join(root, 'dist/nodes/PicWish/PicWish.node.js'))) {
		execFileSync(process.execPath, ['scripts/build.js'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	}
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', e2eDir], { cwd: root, encoding: 'utf8' });
	tarball = path.join(e2eDir, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
	return tarball;
}

const CREDENTIALS = {
	sim: { id: 'sim', name: 'PicWish simulator' },
	wrongKey: { id: 'wrongkey', name: 'PicWish wrong key' },
	unreachable: { id: 'unreachable', name: 'PicWish unreachable' },
};

/**
 * The simulator answers like the live API (empty result fields, state_detail) unless a test says
 * otherwise; n8n keeps binary data the way each version does by default (2.x: filesystem, 1.x: memory)
 * unless `binaryDataMode` is given.
 */
async function startWorld({ version, binaryDataMode = null, simulator = {} }) {
	const sim = await startSimulator({ processingMs: 400, liveApi: true, ...simulator });
	const n8n = await prepareN8n({ version, tarball: packOnce(), binaryDataMode });
	const dirs = {
		photos: path.join(n8n.filesDir, 'photos'),
		faults: path.join(n8n.filesDir, 'faults'),
		out: path.join(n8n.filesDir, 'out'),
	};
	for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
	await makeSamples(dirs.photos, { count: 3 });
	sim.configure({ samplesDir: dirs.photos });
	const port = await freePort(); // free now, so nothing listens there: an unreachable host
	await n8n.importCredentials([
		{ ...CREDENTIALS.sim, type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl } },
		{ ...CREDENTIALS.wrongKey, type: 'picWishApi', data: { apiKey: 'not-the-key', region: 'custom', baseUrl: sim.apiUrl } },
		{ ...CREDENTIALS.unreachable, type: 'picWishApi', data: { apiKey: 'sim-key', region: 'custom', baseUrl: `http://127.0.0.1:${port}` } },
	]);
	return {
		sim,
		n8n,
		dirs,
		photos: () => fs.readdirSync(dirs.photos).sort(),
		async close() {
			await n8n.cleanup();
			await sim.close();
		},
	};
}

/** Reads an n8n binary from run data: inline base64 (memory mode) or the file n8n stored (filesystem mode). */
function binaryBytes(n8n, binary) {
	if (!binary.id) return Buffer.from(binary.data, 'base64');
	// "filesystem-v2:workflows/…" lives under .n8n/storage (2.x); "filesystem:…" under .n8n/binaryData (1.x).
	const [mode, relative] = binary.id.split(/:(.*)/s);
	const base = path.join(n8n.userFolder, '.n8n', mode === 'filesystem-v2' ? 'storage' : 'binaryData');
	return fs.readFileSync(path.join(base, relative));
}

/** A PNG's size and how many of its pixels are fully transparent / fully opaque (is it a real cut-out?). */
function alphaStats(bytes) {
	const png = PNG.sync.read(bytes);
	let transparent = 0;
	let opaque = 0;
	for (let index = 3; index < png.data.length; index += 4) {
		if (png.data[index] === 0) transparent++;
		else if (png.data[index] === 255) opaque++;
	}
	return { width: png.width, height: png.height, transparent, opaque };
}

module.exports = { startWorld, packOnce, binaryBytes, alphaStats, CREDENTIALS };
