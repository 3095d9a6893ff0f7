// A small client for the simulator's tests: multipart create requests and polls on any endpoint.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startSimulator } = require('../../simulator/server');
const { makeSamples } = require('../../scripts/make-samples');

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a simulator with sample photos (96 px: one PNG, two JPGs); returns helpers bound to it. */
async function simulatorWorld(options = {}) {
	const samplesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picwish-sim-'));
	makeSamples(samplesDir, { count: 3, size: options.sampleSize ?? 96 });
	const files = fs.readdirSync(samplesDir).sort();
	const png = fs.readFileSync(path.join(samplesDir, files.find((file) => file.endsWith('.png'))));
	const jpg = fs.readFileSync(path.join(samplesDir, files.find((file) => file.endsWith('.jpg'))));
	const sim = await startSimulator({ processingMs: 60, qps: 1000, samplesDir, ...options.simulator });

	/**
	 * POST /api/tasks/<endpoint>. file: bytes (default the PNG photo), null for none; fileField and
	 * fileName name the part; extraFiles: { field: { bytes, name } }.
	 */
	async function create(endpoint, fields = {}, { key = 'sim-key', file, fileName = 'photo.png', fileField = 'image_file', extraFiles = {} } = {}) {
		const body = new FormData();
		const upload = file === undefined ? png : file;
		if (upload) body.append(fileField, new Blob([upload]), fileName);
		for (const [field, extra] of Object.entries(extraFiles)) body.append(field, new Blob([extra.bytes]), extra.name ?? `${field}.png`);
		for (const [name, value] of Object.entries(fields)) body.append(name, String(value));
		const response = await fetch(`${sim.apiUrl}/api/tasks/${endpoint}`, { method: 'POST', headers: key ? { 'X-API-KEY': key } : {}, body });
		return answerOf(response);
	}

	async function poll(endpoint, taskId, key = 'sim-key') {
		return answerOf(await fetch(`${sim.apiUrl}/api/tasks/${endpoint}/${taskId}`, { headers: { 'X-API-KEY': key } }));
	}

	/** Polls until the task ends (state 1 or < 0); returns the last answer. */
	async function settle(endpoint, taskId) {
		for (let attempt = 0; attempt < 200; attempt++) {
			const answer = await poll(endpoint, taskId);
			if (answer.json?.data && (answer.json.data.state === 1 || answer.json.data.state < 0)) return answer;
			await pause(15);
		}
		throw new Error(`task ${taskId} did not end`);
	}

	/** Creates async and polls to the end; returns the final data. */
	async function run(endpoint, fields = {}, options2 = {}) {
		const created = await create(endpoint, { ...fields }, options2);
		if (created.status !== 200 || !created.json?.data?.task_id) throw new Error(`create answered ${created.status}: ${created.bytes.toString('utf8').slice(0, 200)}`);
		return (await settle(endpoint, created.json.data.task_id)).json.data;
	}

	async function download(url) {
		const response = await fetch(url);
		return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
	}

	return {
		sim,
		png,
		jpg,
		samplesDir,
		create,
		poll,
		settle,
		run,
		download,
		async close() {
			await sim.close();
			fs.rmSync(samplesDir, { recursive: true, force: true });
		},
	};
}

async function answerOf(response) {
	const bytes = Buffer.from(await response.arrayBuffer());
	const type = response.headers.get('content-type') || '';
	let json;
	if (type.includes('json')) json = JSON.parse(bytes.toString('utf8'));
	return { status: response.status, type, headers: response.headers, bytes, json, text: bytes.toString('utf8') };
}

module.exports = { simulatorWorld, pause };
