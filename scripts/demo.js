#!/usr/bin/env node
// `npm run demo`: the main job, end to end, on a fresh machine.
//   1. installs the dev dependencies, builds and packs the node (the tarball users get);
//   2. installs Node 24 + n8n 2.41.1 once (cached in ~/.cache/n8n-nodes-picwish) and our tarball into a
//      fresh n8n user folder, the way the Community Nodes screen does;
//   3. imports examples/remove-background-folder.json and runs it headless: read a folder of product
//      photos -> PicWish "Remove Background" -> write the cut-outs;
//   4. copies the cut-outs (and the photos they came from) to demo-output/ and prints a summary;
//   5. runs examples/product-photo-chain.json on the same photos (cut out → generated scene → enhance →
//      compress) and writes the listing JPGs to demo-output/listing/ and the steps of the first photo
//      side by side to demo-output/chain-steps.png. With a real key this costs credits (about 10 per
//      photo), so it runs there only with PICWISH_DEMO_CHAIN=1.
// Without PICWISH_API_KEY it talks to the project's local API simulator (no key, no network); with
// PICWISH_API_KEY set it uses the real PicWish API (PICWISH_REGION=global|china, default global).
// PICWISH_DEMO_PHOTOS=/some/folder uses your own photos instead of the generated samples.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
require('./ensure-deps').ensureDeps();

const { PNG } = require('pngjs');
const { prepareN8n } = require('../test/e2e/harness');
const { packOnce } = require('../test/e2e/world');
const { binaryBytes } = require('../test/e2e/world');
const { folderExample, savedWorkflow } = require('../test/e2e/workflows');
const { strip } = require('./pictures');
const { startSimulator } = require('../simulator/server');
const { makeSamples } = require('./make-samples');

const VERSION = process.env.PICWISH_N8N_VERSION || '2.41.1';
const outputDir = path.join(root, 'demo-output');
const log = (message) => console.log(`[demo] ${message}`);

async function main() {
	const started = Date.now();
	log('building and packing the node…');
	const tarball = packOnce({ rebuild: true });

	const realKey = process.env.PICWISH_API_KEY;
	let sim;
	let credential;
	if (realKey) {
		const region = process.env.PICWISH_REGION === 'china' ? 'china' : 'global';
		log(`using the real PicWish API (${region}) with the key from PICWISH_API_KEY`);
		credential = { apiKey: realKey, region };
	} else {
		sim = await startSimulator({ qps: 2, processingMs: 1200, imageThread: true });
		log(`using the local PicWish simulator at ${sim.apiUrl} (set PICWISH_API_KEY for the real API)`);
		credential = { apiKey: 'sim-key', region: 'custom', baseUrl: sim.apiUrl };
	}

	const workDir = path.join(root, '.demo');
	fs.rmSync(workDir, { recursive: true, force: true });
	log(`preparing n8n ${VERSION} (first run: installs Node 24 and n8n, a few minutes)…`);
	const n8n = await prepareN8n({ version: VERSION, tarball, workDir });
	try {
		const photosDir = path.join(n8n.filesDir, 'photos');
		const cutoutsDir = path.join(n8n.filesDir, 'cutouts');
		fs.mkdirSync(photosDir, { recursive: true });
		fs.mkdirSync(cutoutsDir, { recursive: true });
		const own = process.env.PICWISH_DEMO_PHOTOS;
		if (own) {
			for (const name of fs.readdirSync(own)) {
				if (/\.(jpe?g|png|webp)$/i.test(name)) fs.copyFileSync(path.join(own, name), path.join(photosDir, name));
			}
		} else {
			await makeSamples(photosDir, { count: 8 });
		}
		sim?.configure({ samplesDir: photosDir });
		const photos = fs.readdirSync(photosDir).sort();

		await n8n.importCredentials([{ id: 'picwish-demo', name: 'PicWish account', type: 'picWishApi', data: credential }]);
		log(`running the example workflow on ${photos.length} photos in a real n8n ${VERSION}…`);
		const workflow = folderExample(photosDir, cutoutsDir);
		const result = await n8n.run(workflow);
		const failedItems = result.ok ? result.outputs('Remove background').error : [];

		fs.rmSync(outputDir, { recursive: true, force: true });
		fs.mkdirSync(path.join(outputDir, 'originals'), { recursive: true });
		const cutouts = fs.readdirSync(cutoutsDir).sort();
		for (const name of cutouts) fs.copyFileSync(path.join(cutoutsDir, name), path.join(outputDir, name));
		for (const name of photos) fs.copyFileSync(path.join(photosDir, name), path.join(outputDir, 'originals', name));
		const transparent = cutouts.filter((name) => {
			if (!name.endsWith('.png')) return false;
			const png = PNG.sync.read(fs.readFileSync(path.join(outputDir, name)));
			for (let i = 3; i < png.data.length; i += 4) if (png.data[i] === 0) return true;
			return false;
		});

		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		const workflowSeconds = (result.durationMs / 1000).toFixed(1);
		console.log('');
		console.log('PicWish demo');
		console.log(`  API:          ${realKey ? 'real PicWish API' : `local simulator (${sim.stats().createRequests} requests, ${sim.stats().rateLimited} rate-limited, ${sim.stats().keyLeaks} key leaks)`}`);
		console.log(`  n8n:          ${VERSION}, workflow "${workflow.name}"`);
		console.log(`  images:       ${photos.length} in, ${cutouts.length} cut-outs written (${transparent.length} with a transparent background), ${failedItems.length} on the error output`);
		console.log(`  seconds:      ${workflowSeconds} for the workflow run (n8n start-up included), ${seconds} in all`);
		console.log(`  cut-outs in:  ${outputDir}  (originals in ${path.join(outputDir, 'originals')})`);
		for (const item of failedItems) console.log(`  failed:       ${item.json.fileName ?? ''} ${item.json.error}`);
		if (result.ok && (!realKey || process.env.PICWISH_DEMO_CHAIN === '1')) await runChain(n8n, photosDir, photos);
		if (!result.ok) {
			console.error(`\nThe workflow did not finish: ${result.error?.message ?? `exit code ${result.code}`}\n${result.stderr.slice(-2000)}`);
			process.exitCode = 1;
		} else if (cutouts.length !== photos.length - failedItems.length || cutouts.length === 0) {
			console.error('\nSome photos produced neither a cut-out nor an error item.');
			process.exitCode = 1;
		}
	} finally {
		await n8n.cleanup();
		await sim?.close();
	}
}

/** The product-photo chain on the same photos: listing JPGs, and a picture of the first photo's steps. */
async function runChain(n8n, photosDir, photos) {
	const listingDir = path.join(n8n.filesDir, 'listing');
	fs.mkdirSync(listingDir, { recursive: true });
	log(`running the product-photo chain on ${photos.length} photos (cut out → generated scene → enhance → compress)…`);
	const workflow = savedWorkflow('examples/product-photo-chain.json', { '/home/node/photos': photosDir, '/home/node/listing': listingDir }, 'picwishChain');
	const chain = await n8n.run(workflow);
	const written = fs.existsSync(listingDir) ? fs.readdirSync(listingDir).sort() : [];
	fs.mkdirSync(path.join(outputDir, 'listing'), { recursive: true });
	for (const name of written) fs.copyFileSync(path.join(listingDir, name), path.join(outputDir, 'listing', name));
	console.log(`  chain:        ${written.length} listing JPGs from ${photos.length} photos in ${(chain.durationMs / 1000).toFixed(1)} s (${path.join(outputDir, 'listing')})`);
	if (!chain.ok) {
		console.error(`\nThe chain workflow did not finish: ${chain.failure}`);
		process.exitCode = 1;
		return;
	}
	const first = (name) => chain.outputs(name).main[0]?.binary?.data;
	const steps = ['Remove background', 'Generate background', 'Enhance', 'Compress to JPG'].map(first);
	if (steps.every(Boolean)) {
		const target = path.join(outputDir, 'chain-steps.png');
		strip([path.join(photosDir, photos[0]), ...steps.map((binary) => binaryBytes(n8n, binary))], target, { height: 240 });
		console.log(`  chain steps:  ${target}`);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
