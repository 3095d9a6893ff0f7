// n8n's queue mode, for real: Redis and Postgres (scripts/queue-services.js), one main process that
// takes the webhooks, and N workers (`n8n worker`) that run the executions, each process with its own
// user folder holding our packed tarball, all sharing the encryption key, the database and Redis.
// Executions start from the production webhook of a published workflow (`n8n execute` never uses the
// queue). Binary data stays in n8n's queue-mode default (the database): N8N_DEFAULT_BINARY_DATA_MODE
// is not set.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { prepareN8n } = require('./harness');
const { node, picwish } = require('./workflows');
const { startQueueServices } = require('../../scripts/queue-services');

/** "Webhook (POST /webhook/<path>) → PicWish → Respond to Webhook with the cut-out". */
function webhookWorkflow({ id, name, webhookPath, picwishParameters = {}, credential }) {
	const nodes = [
		node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: webhookPath, responseMode: 'responseNode', options: {} }, { webhookId: crypto.randomUUID() }),
		picwish('PicWish', picwishParameters, credential ? { credential } : {}),
		node('Respond with cut-out', 'n8n-nodes-base.respondToWebhook', 1.1, { respondWith: 'binary', responseDataSource: 'set', inputFieldName: 'data', options: {} }),
	];
	nodes.forEach((entry, index) => {
		entry.position = [index * 240, 0];
	});
	return {
		id,
		name,
		nodes,
		connections: {
			Webhook: { main: [[{ node: 'PicWish', type: 'main', index: 0 }]] },
			PicWish: { main: [[{ node: 'Respond with cut-out', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/**
 * Starts Redis, Postgres, the main process and `workers` workers, imports `credentials` and
 * `workflows`, publishes the workflows and waits until their webhooks answer.
 */
async function startQueueMode({ version = '2.41.1', tarball, workers = 3, concurrency = 10, credentials = [], workflows = [], env = {} }) {
	const started = { n8ns: [], processes: [] };
	let services;
	let server;
	const close = async () => {
		for (const proc of started.processes) await proc.stop().catch(() => undefined);
		if (server) await server.stop().catch(() => undefined);
		for (const n8n of started.n8ns) await n8n.cleanup().catch(() => undefined);
		if (services) await services.stop().catch(() => undefined);
	};
	try {
		services = await startQueueServices();
		const common = {
			...services.env,
			// Workers log each execution they take ("Worker started execution …"): per-worker counts.
			N8N_LOG_LEVEL: 'info',
			QUEUE_HEALTH_CHECK_ACTIVE: 'false',
			...env,
		};
		const prepare = async () => {
			const n8n = await prepareN8n({ version, tarball, binaryDataMode: null, env: common });
			started.n8ns.push(n8n);
			return n8n;
		};
		const main = await prepare();
		if (credentials.length > 0) await main.importCredentials(credentials);
		if (workflows.length > 0) {
			const file = path.join(main.workDir, 'workflows.json');
			fs.writeFileSync(file, JSON.stringify(workflows, null, 2));
			const result = await main.command(['import:workflow', `--input=${file}`]);
			if (result.code !== 0) throw new Error(`n8n import:workflow failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
		}
		server = await main.startServer();
		for (const workflow of workflows) {
			// Publishing through the running main (the editor's Publish button) spares an n8n boot per
			// workflow; `n8n publish:workflow --id=…` does the same from the command line.
			const published = await server.rest('POST', `/workflows/${workflow.id}/activate`, {});
			if (published.status !== 200) {
				const result = await main.command(['publish:workflow', `--id=${workflow.id}`]);
				if (result.code !== 0) {
					throw new Error(`Could not publish ${workflow.id}: REST ${published.status} ${JSON.stringify(published.json).slice(0, 500)}; CLI ${result.code}:\n${result.stderr}`);
				}
			}
		}
		const workerProcesses = [];
		for (let index = 0; index < workers; index++) {
			const n8n = await prepare();
			const proc = await n8n.spawnProcess(['worker', `--concurrency=${concurrency}`], { name: `worker${index + 1}` });
			started.processes.push(proc);
			workerProcesses.push({ name: `worker${index + 1}`, n8n, proc });
		}
		await Promise.all(workerProcesses.map(({ proc }) => proc.waitFor(/n8n worker is now ready/)));

		const webhookUrl = (webhookPath) => `${server.url}/webhook/${webhookPath}`;
		// A published workflow's webhook goes live a moment later; a GET to a POST webhook answers
		// "not registered for GET … Did you mean to make a POST request?" once it is.
		for (const workflow of workflows) {
			const webhook = workflow.nodes.find((entry) => entry.type === 'n8n-nodes-base.webhook');
			if (!webhook) continue; // e.g. a PicWish Trigger workflow: the test waits for its own URL.
			const webhookPath = webhook.parameters.path;
			const deadline = Date.now() + 120_000;
			for (;;) {
				const text = await fetch(webhookUrl(webhookPath)).then((response) => response.text(), () => '');
				if (/Did you mean to make a POST request/.test(text)) break;
				if (Date.now() > deadline) throw new Error(`The webhook ${webhookPath} did not go live: ${text}\n${server.log().slice(-3000)}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		}

		return {
			services,
			main,
			server,
			workers: workerProcesses,
			webhookUrl,
			/** Executions each worker finished, from its log. */
			executionsPerWorker() {
				return Object.fromEntries(
					workerProcesses.map(({ name, proc }) => [name, new Set([...proc.log().matchAll(/Worker finished execution (\d+)/g)].map((match) => match[1])).size]),
				);
			},
			/** Execution records in Postgres by status ({ success: 60, error: 0, … }). */
			executionStatuses() {
				const rows = services.psql('SELECT status, count(*) FROM execution_entity GROUP BY status');
				return Object.fromEntries(rows.split('\n').filter(Boolean).map((line) => line.split('|')).map(([status, count]) => [status, Number(count)]));
			},
			/** Binary files n8n keeps in the database (binary data mode `database`). */
			databaseBinaries() {
				return Number(services.psql('SELECT count(*) FROM binary_data'));
			},
			/** Deletes the execution records (and their binaries), between benchmark rows. */
			clearExecutions() {
				services.psql('DELETE FROM execution_entity');
			},
			close,
		};
	} catch (error) {
		await close();
		throw error;
	}
}

module.exports = { startQueueMode, webhookWorkflow };
