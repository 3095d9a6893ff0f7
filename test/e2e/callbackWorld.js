// Callbacks in a real n8n (issue 14): a running `n8n start`, a sender workflow (Webhook → Read
// Files → PicWish with a Callback URL) and a Trigger workflow (PicWish Trigger → Write Files),
// both created and published through n8n's REST API, and the executions read back from it. Shared by
// test/e2e/callbacks.e2e.test.js and scripts/bench-callbacks.js.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const path = require('node:path');

const { chain, node, noOp, picwish, readFiles, writeFiles } = require('./workflows');

const root = path.resolve(__dirname, '../..');
const TRIGGER_TYPE = 'n8n-nodes-picwish.picWishTrigger';

/** n8n's execution data is stored "flatted"; the parser ships with n8n itself. */
function flattedFor(version) {
	const dir = execFileSync('bash', [path.join(root, 'scripts/n8n-runtime.sh'), 'n8n', version], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	return require(path.join(dir, 'node_modules', 'flatted'));
}

/** PicWish Trigger → `next` (Write Files into `outDir` unless given), its Failed output → a No-Op "Failed". */
function triggerWorkflow({ secret, outDir, parameters = {}, credential = { id: 'sim', name: 'PicWish simulator' }, next }) {
	const trigger = node('PicWish Trigger', TRIGGER_TYPE, 1, { secret, taskType: 'removeBackground', returnType: 'binary', options: {}, ...parameters }, {
		credentials: { picWishApi: credential },
		webhookId: crypto.randomUUID(),
	});
	const workflow = chain('PicWish callbacks', [trigger, next ?? writeFiles('Write cut-outs', outDir), noOp('Failed')], {
		errorBranches: [{ from: 'PicWish Trigger', error: 'Failed' }],
	});
	return { workflow, webhookId: trigger.webhookId };
}

/** A Webhook starts it, so that it runs inside the same n8n (one pacer per key) and answers when done. */
function senderWorkflow({ photosDir, callbackUrl, qps = 2, hookPath }) {
	const start = node('Start', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} }, {
		webhookId: crypto.randomUUID(),
	});
	return chain('PicWish sender', [
		start,
		readFiles('Read photos', `${photosDir}/*`),
		picwish('PicWish', { options: { callbackUrl, maxRequestsPerSecond: qps } }),
	]);
}

/**
 * server.rest, tried again when the connection was closed under it: n8n drops idle keep-alive
 * connections after 5 s, and fetch may pick such a socket just as it closes ("other side closed").
 */
async function rest(server, method, route, body) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await server.rest(method, route, body);
		} catch (error) {
			if (attempt >= 3 || !/other side closed|ECONNRESET|socket/i.test(String(error.cause?.message ?? error.cause?.code ?? ''))) throw error;
		}
	}
}

/** n8n 1.x stores `active` as given on create (NOT NULL); 2.x sets it itself. */
const majorVersions = new WeakMap();
async function majorVersion(server) {
	if (!majorVersions.has(server)) {
		const { json } = await rest(server, 'GET', '/settings');
		majorVersions.set(server, Number(String(json.data?.versionCli ?? '2').split('.')[0]));
	}
	return majorVersions.get(server);
}

async function publish(server, workflow) {
	const { id: ignored, active, ...fields } = workflow;
	const body = (await majorVersion(server)) < 2 ? { ...fields, active: false } : fields;
	const created = await rest(server, 'POST', '/workflows', body);
	if (created.status >= 300) throw new Error(`creating "${workflow.name}" failed: ${JSON.stringify(created.json).slice(0, 500)}`);
	const { id, versionId } = created.json.data;
	// n8n 2.x and late 1.x publish a version; older 1.x activate the workflow with PATCH.
	let activated = await rest(server, 'POST', `/workflows/${id}/activate`, { versionId });
	if (activated.status === 404) activated = await rest(server, 'PATCH', `/workflows/${id}`, { active: true, versionId });
	if (activated.status >= 300) throw new Error(`publishing "${workflow.name}" failed: ${JSON.stringify(activated.json).slice(0, 800)}`);
	return id;
}

async function until(what, check, { timeoutMs = 60_000, everyMs = 250 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

/**
 * A production webhook is live once n8n knows its path: any answer but 404, or the 404 n8n gives
 * for a registered path asked with another method (so a POST-only sender is probed with GET safely).
 */
async function waitForWebhook(url, init = { method: 'POST' }) {
	await until(`${url} to be registered`, async () => {
		const response = await fetch(url, init);
		return response.status !== 404 || /not registered for \w+ requests/.test(await response.text());
	}, { timeoutMs: 60_000 });
}

/** Every execution of a workflow, newest first (n8n lists at most 100 per page: 2.x pages by cursor, 1.x by lastId). */
async function executionsOf(server, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const all = [];
	let next = '';
	for (;;) {
		const { status, json } = await rest(server, 'GET', `/executions?filter=${filter}&limit=100${next}`);
		if (status >= 300) throw new Error(`listing executions failed: ${JSON.stringify(json).slice(0, 300)}`);
		const page = json.data?.results ?? [];
		all.push(...page);
		if (json.data?.nextCursor) next = `&cursor=${encodeURIComponent(json.data.nextCursor)}`;
		else if (page.length === 100 && !('nextCursor' in (json.data ?? {}))) next = `&lastId=${page.at(-1).id}`;
		else return all;
		if (page.length === 0) return all;
	}
}

/** One execution with its run data parsed: outputs(nodeName) → { main, second }. */
async function executionDetail(server, flatted, id) {
	const { json } = await rest(server, 'GET', `/executions/${id}`);
	const execution = json.data;
	const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
	const runData = data?.resultData?.runData ?? {};
	const outputs = (nodeName) => {
		const main = [];
		const second = [];
		for (const run of runData[nodeName] ?? []) {
			main.push(...(run.data?.main?.[0] ?? []));
			second.push(...(run.data?.main?.[1] ?? []));
		}
		return { main, second };
	};
	return { ...execution, runData, outputs };
}

module.exports = { triggerWorkflow, senderWorkflow, publish, until, waitForWebhook, executionsOf, executionDetail, flattedFor, TRIGGER_TYPE };
