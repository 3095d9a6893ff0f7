// Runs workflows in a REAL n8n, headless, for the end-to-end suite, the demo and the benchmark.
// n8n itself is installed once per version by scripts/n8n-runtime.sh (cached outside the repo); every
// prepareN8n() gets a fresh user folder with our `npm pack` tarball installed the way n8n installs a
// community package, and talks to n8n through its CLI (import:credentials, import:workflow, execute)
// or, for the credential test, its REST API.
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

function runtime(version) {
	const dir = execFileSync('bash', [path.join(root, 'scripts/n8n-runtime.sh'), 'n8n', version], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	const nodeDir = fs.readFileSync(path.join(dir, '.nodedir'), 'utf8').trim();
	return { node: path.join(nodeDir, 'bin', 'node'), nodeBin: path.join(nodeDir, 'bin'), n8n: path.join(dir, 'node_modules/n8n/bin/n8n') };
}

async function freePort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(resolve));
	return port;
}

/** What n8n does for a community package: extract, drop dev/peer/optional deps, list it in nodes/package.json. */
function installTarball(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const pkgDir = path.join(nodesDir, 'node_modules', 'n8n-nodes-picwish');
	fs.mkdirSync(pkgDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
	const pkgFile = path.join(pkgDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
	// n8n then runs `npm install` in the package folder for runtime dependencies: ours has none.
	if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
		throw new Error(`n8n-nodes-picwish must have no runtime dependencies: ${JSON.stringify(pkg.dependencies)}`);
	}
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } }, null, 2),
	);
}

/** Samples a process's memory from /proc every 100 ms: its peak (VmHWM) and its RSS over time. */
function watchPeakRss(pid) {
	let peakKb = 0;
	const samples = [];
	const sample = () => {
		try {
			const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
			const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
			if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
			const rss = /VmRSS:\s+(\d+) kB/.exec(status);
			if (rss) samples.push({ t: Date.now(), mb: Number(rss[1]) / 1024 });
		} catch {
			// The process has exited: keep the last sample.
		}
	};
	const timer = setInterval(sample, 100);
	return {
		stop: () => {
			sample();
			clearInterval(timer);
			return peakKb / 1024;
		},
		samples,
	};
}

/** The JSON n8n prints after its log lines: from the first line that is exactly "{" to the end. */
function parseRunOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line === '{');
	if (start < 0) return undefined;
	for (let end = lines.length; end > start; end--) {
		try {
			return JSON.parse(lines.slice(start, end).join('\n'));
		} catch {
			// Trailing log lines after the JSON: try a shorter slice.
		}
	}
	return undefined;
}

function nodeOutputs(runData, nodeName) {
	const runs = runData?.[nodeName];
	if (!runs) return { main: [], error: [], ran: false };
	const main = [];
	const error = [];
	for (const run of runs) {
		const outputs = run.data?.main ?? [];
		main.push(...(outputs[0] ?? []));
		error.push(...(outputs[1] ?? []));
	}
	return { main, error, ran: true, runs };
}

async function prepareN8n({ version = '2.41.1', tarball, workDir, binaryDataMode = 'default', env = {} } = {}) {
	const rt = runtime(version);
	const dir = workDir ?? path.join(root, '.e2e', `n8n-${version}-${crypto.randomBytes(4).toString('hex')}`);
	const userFolder = path.join(dir, 'user');
	const filesDir = path.join(dir, 'files');
	fs.mkdirSync(userFolder, { recursive: true });
	fs.mkdirSync(filesDir, { recursive: true });
	if (tarball) installTarball(userFolder, tarball);

	const { NODE_ENV, JEST_WORKER_ID, ...inherited } = process.env;
	const baseEnv = {
		...inherited,
		// Under jest NODE_ENV is "test", which silences n8n's logger (and so `execute`'s output).
		NODE_ENV: 'production',
		PATH: `${rt.nodeBin}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'picwish-e2e-encryption-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
		// null: leave it to n8n (queue mode then keeps binary data in the database).
		...(binaryDataMode === null ? {} : { N8N_DEFAULT_BINARY_DATA_MODE: binaryDataMode }),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		// `execute` prints the run data through n8n's logger at level info.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_SQLITE_POOL_SIZE: '2',
		// n8n 1.123.x defaults to the isolated-vm expression engine, whose native module does not build on
		// the Node 20 that runs 1.x here; the legacy engine is n8n's own supported fallback.
		...(version.startsWith('1.') ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		...env,
	};
	const children = new Set();

	async function cli(args, { timeoutMs = 10 * 60 * 1000, extraEnv = {} } = {}) {
		const childEnv = { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extraEnv };
		// Output goes to files, not pipes: n8n calls process.exit() right after printing the run data,
		// which cuts a large write to a pipe short (binaries in memory mode make it megabytes).
		const stem = path.join(dir, `cli-${crypto.randomBytes(4).toString('hex')}`);
		const outFd = fs.openSync(`${stem}.out`, 'w');
		const errFd = fs.openSync(`${stem}.err`, 'w');
		return await new Promise((resolve) => {
			const started = Date.now();
			const child = spawn(rt.node, [rt.n8n, ...args], { env: childEnv, cwd: dir, stdio: ['ignore', outFd, errFd] });
			children.add(child);
			const rss = watchPeakRss(child.pid);
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				children.delete(child);
				fs.closeSync(outFd);
				fs.closeSync(errFd);
				const stdout = fs.readFileSync(`${stem}.out`, 'utf8');
				const stderr = fs.readFileSync(`${stem}.err`, 'utf8');
				fs.rmSync(`${stem}.out`, { force: true });
				fs.rmSync(`${stem}.err`, { force: true });
				resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started, peakRssMb: rss.stop(), rssSamples: rss.samples });
			});
		});
	}

	async function importJson(kind, data) {
		const file = path.join(dir, `${kind}-${crypto.randomBytes(4).toString('hex')}.json`);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		const result = await cli([`import:${kind}`, `--input=${file}`]);
		if (result.code !== 0) {
			throw new Error(`n8n import:${kind} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
		}
	}

	const n8n = {
		version,
		userFolder,
		filesDir,
		workDir: dir,
		env: baseEnv,

		async importCredentials(credentials) {
			await importJson('credentials', credentials);
		},

		/** Imports and executes one workflow; `ok` is true when n8n reports success. */
		async run(workflow, { timeoutMs } = {}) {
			const data = { ...workflow, id: workflow.id ?? `wf${crypto.randomBytes(6).toString('hex')}` };
			data.id = data.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 16) || 'wf';
			await importJson('workflow', [data]);
			const result = await cli(['execute', `--id=${data.id}`, '--rawOutput'], { timeoutMs });
			const parsed = parseRunOutput(result.stdout);
			const runData = parsed?.data?.resultData?.runData;
			const error = parsed?.data?.resultData?.error;
			const ok = result.code === 0 && Boolean(runData) && !error;
			// Why a run failed, in a few lines (the whole output with PICWISH_E2E_DEBUG=1).
			const failure = ok
				? undefined
				: [
						`n8n execute of "${data.name}": exit code ${result.code}, signal ${result.signal}`,
						error ? `workflow error in ${parsed?.data?.resultData?.lastNodeExecuted}: ${error.message} ${error.description ?? ''}` : 'no workflow error reported',
						runData ? '' : `no run data parsed (${result.stdout.length} bytes of output)`,
						`stderr: ${result.stderr.slice(-1500)}`,
					].join('\n');
			if (failure) console.error(process.env.PICWISH_E2E_DEBUG ? `${failure}\n${result.stdout}` : failure);
			return {
				ok,
				failure,
				code: result.code,
				durationMs: result.durationMs,
				peakRssMb: result.peakRssMb,
				rssSamples: result.rssSamples,
				execution: parsed,
				runData,
				error,
				lastNodeExecuted: parsed?.data?.resultData?.lastNodeExecuted,
				outputs: (nodeName) => nodeOutputs(runData, nodeName),
				stdout: result.stdout,
				stderr: result.stderr,
			};
		},

		/** Runs a CLI command to its end (import:*, publish:workflow, …): { code, stdout, stderr }. */
		async command(args, options) {
			return await cli(args, options);
		},

		/**
		 * A long-running n8n process (`worker`, `webhook`) with its own task-broker port; its output
		 * goes to a log file; cleanup() kills it like every other child.
		 */
		async spawnProcess(args, { env: extraEnv = {}, name = args[0] } = {}) {
			const logFile = path.join(dir, `${name}-${crypto.randomBytes(3).toString('hex')}.log`);
			const fd = fs.openSync(logFile, 'w');
			const child = spawn(rt.node, [rt.n8n, ...args], {
				env: { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extraEnv },
				cwd: dir,
				stdio: ['ignore', fd, fd],
			});
			fs.closeSync(fd);
			children.add(child);
			const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
			return {
				child,
				log,
				/** Resolves when the log shows `pattern`; rejects if the process exits first. */
				async waitFor(pattern, timeoutMs = 180_000) {
					const deadline = Date.now() + timeoutMs;
					while (!pattern.test(log())) {
						if (child.exitCode !== null) throw new Error(`n8n ${args.join(' ')} exited (${child.exitCode}):\n${log().slice(-3000)}`);
						if (Date.now() > deadline) throw new Error(`n8n ${args.join(' ')} did not log ${pattern} in time:\n${log().slice(-3000)}`);
						await new Promise((resolve) => setTimeout(resolve, 300));
					}
				},
				async stop() {
					if (child.exitCode === null && child.signalCode === null) {
						child.kill('SIGTERM');
						await new Promise((resolve) => {
							const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 15_000);
							child.on('close', () => { clearTimeout(timer); resolve(); });
						});
					}
					children.delete(child);
				},
			};
		},

		/** `n8n start` on a free loopback port, with an owner account and its auth cookie. */
		async startServer({ port } = {}) {
			const serverPort = port ?? (await freePort());
			const child = spawn(rt.node, [rt.n8n, 'start'], {
				env: { ...baseEnv, N8N_PORT: String(serverPort), N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
				cwd: dir,
			});
			children.add(child);
			let log = '';
			child.stdout.on('data', (chunk) => { log += chunk; });
			child.stderr.on('data', (chunk) => { log += chunk; });
			const url = `http://127.0.0.1:${serverPort}`;
			const deadline = Date.now() + 180_000;
			for (;;) {
				if (child.exitCode !== null) throw new Error(`n8n start exited early:\n${log}`);
				try {
					const response = await fetch(`${url}/healthz/readiness`);
					// n8n 1.x is "ready" a few seconds before its REST API is mounted (the owner setup would 404).
					if (response.ok && (await fetch(`${url}/rest/settings`)).status !== 404) break;
				} catch {
					// Not listening yet.
				}
				if (Date.now() > deadline) throw new Error(`n8n did not become ready:\n${log}`);
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
			const owner = { email: 'owner@picwish.test', firstName: 'Pic', lastName: 'Wish', password: 'PicWish-e2e-1' };
			let setup = await fetch(`${url}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(owner),
			});
			if (!setup.ok) {
				setup = await fetch(`${url}/rest/login`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }),
				});
			}
			const cookie = (setup.headers.getSetCookie?.() ?? [setup.headers.get('set-cookie')])
				.filter(Boolean)
				.map((value) => value.split(';')[0])
				.join('; ');
			const rest = async (method, route, body) => {
				const response = await fetch(`${url}/rest${route}`, {
					method,
					headers: { 'Content-Type': 'application/json', cookie, 'browser-id': 'picwish-e2e' },
					body: body === undefined ? undefined : JSON.stringify(body),
				});
				const text = await response.text();
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = { raw: text };
				}
				return { status: response.status, json };
			};
			return {
				url,
				owner,
				cookie,
				rest,
				/** The editor's Test button: POST /rest/credentials/test for a stored credential. */
				async testCredential(credential) {
					const { json } = await rest('POST', '/credentials/test', { credentials: credential });
					return json.data ?? json;
				},
				log: () => log,
				async stop() {
					child.kill('SIGTERM');
					await new Promise((resolve) => {
						const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 15_000);
						child.on('close', () => { clearTimeout(timer); resolve(); });
					});
					children.delete(child);
				},
			};
		},

		async cleanup() {
			for (const child of children) child.kill('SIGKILL');
			children.clear();
			if (!process.env.PICWISH_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	return n8n;
}

module.exports = { prepareN8n, parseRunOutput, installTarball, freePort };
