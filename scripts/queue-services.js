#!/usr/bin/env node
// Redis and Postgres for n8n's queue mode, for the queue-mode end-to-end test and the benchmark:
// installed from Debian's packages when missing (`redis-server`, `postgresql`), started in a
// temporary folder on free loopback ports, stopped (and the folder removed) by stop().
//   const services = await startQueueServices();   // { redis: {host, port}, postgres: {...}, env, stop }
//   node scripts/queue-services.js                  // starts both, prints the n8n env, Ctrl-C stops
// Postgres refuses to run as root: as root, initdb and postgres run as the `postgres` user the
// Debian package creates.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('../test/e2e/harness');

const log = (message) => console.error(`[queue-services] ${message}`);

function which(command) {
	try {
		return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** The newest installed Postgres's bin folder (Debian keeps them in /usr/lib/postgresql/<version>/bin). */
function postgresBin() {
	const base = '/usr/lib/postgresql';
	if (fs.existsSync(base)) {
		const versions = fs.readdirSync(base).filter((name) => fs.existsSync(path.join(base, name, 'bin', 'initdb')));
		versions.sort((a, b) => Number(b) - Number(a));
		if (versions.length > 0) return path.join(base, versions[0], 'bin');
	}
	const initdb = which('initdb');
	return initdb ? path.dirname(fs.realpathSync(initdb)) : undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** apt-get as root, or through passwordless sudo; anything else is a clear error. */
function aptGet(args) {
	const [command, prefix] = isRoot() ? ['apt-get', []] : ['sudo', ['-n', 'apt-get']];
	execFileSync(command, [...prefix, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function ensureInstalled() {
	const missing = [];
	if (!which('redis-server') && !fs.existsSync('/usr/bin/redis-server')) missing.push('redis-server');
	if (!postgresBin()) missing.push('postgresql');
	if (missing.length === 0) return;
	log(`installing ${missing.join(' and ')} from Debian's packages…`);
	try {
		aptGet(['update', '-qq']);
		aptGet(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
	} catch (error) {
		throw new Error(`Could not install ${missing.join(', ')} with apt-get (${error.message}). Install them (Debian: apt-get install ${missing.join(' ')}) and run again.`);
	}
	// The Debian package starts a cluster and a redis service of its own; ours run in a temporary folder.
	if (!postgresBin()) throw new Error('postgresql was installed but no initdb was found under /usr/lib/postgresql/*/bin');
}

/** Resolves when something accepts connections on the port (and, for Redis, answers PING). */
async function waitForPort(port, { ping = false, timeoutMs = 60_000, child, name, logFile } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child && child.exitCode !== null) {
			const tail = logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
			throw new Error(`${name} exited (code ${child.exitCode}) before it listened on ${port}:\n${tail}`);
		}
		const ok = await new Promise((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			socket.setTimeout(1000);
			socket.on('connect', () => {
				if (!ping) {
					socket.end();
					return resolve(true);
				}
				socket.write('PING\r\n');
			});
			socket.on('data', (data) => {
				socket.end();
				resolve(data.toString().startsWith('+PONG'));
			});
			socket.on('error', () => resolve(false));
			socket.on('timeout', () => {
				socket.destroy();
				resolve(false);
			});
		});
		if (ok) return;
		if (Date.now() > deadline) throw new Error(`${name} did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Runs a command as the postgres user when we are root (Postgres will not run as root). */
function asPostgres(command, args) {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

const started = new Set();
function killAll() {
	for (const child of started) {
		try {
			// Each service runs in its own process group (detached): signal the whole group.
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}
}
process.on('exit', killAll);

async function stopChild(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	await new Promise((resolve) => {
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// Gone meanwhile.
			}
			resolve();
		}, 10_000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		try {
			process.kill(-child.pid, signal);
		} catch {
			clearTimeout(timer);
			resolve();
		}
	});
	started.delete(child);
}

function launch(command, args, logFile) {
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: true });
	fs.closeSync(fd);
	started.add(child);
	return child;
}

/**
 * Starts Redis and Postgres in a fresh temporary folder. Returns their ports, the environment n8n's
 * processes need for queue mode, psql() for queries, and stop().
 */
async function startQueueServices({ database = 'n8n' } = {}) {
	ensureInstalled();
	const bin = postgresBin();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'picwish-queue-'));
	// The postgres user must reach its data folder inside our temporary one.
	fs.chmodSync(dir, 0o755);
	const children = [];
	const stop = async () => {
		// Postgres: SIGINT is its "fast shutdown"; Redis stops on SIGTERM.
		for (const [child, signal] of children.reverse()) await stopChild(child, signal);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		const redisPort = await freePort();
		const redisLog = path.join(dir, 'redis.log');
		const redisServer = which('redis-server') ?? '/usr/bin/redis-server';
		const redis = launch(
			redisServer,
			['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
			redisLog,
		);
		children.push([redis, 'SIGTERM']);
		await waitForPort(redisPort, { ping: true, child: redis, name: 'redis-server', logFile: redisLog });

		const pgData = path.join(dir, 'pg');
		fs.mkdirSync(pgData, { mode: 0o700 });
		if (isRoot()) execFileSync('chown', ['postgres:postgres', pgData]);
		const [initCommand, initArgs] = asPostgres(path.join(bin, 'initdb'), ['-D', pgData, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
		execFileSync(initCommand, initArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
		const pgPort = await freePort();
		const pgLog = path.join(dir, 'postgres.log');
		fs.writeFileSync(pgLog, '');
		if (isRoot()) execFileSync('chown', ['postgres:postgres', pgLog]);
		const [pgCommand, pgArgs] = asPostgres(path.join(bin, 'postgres'), [
			'-D', pgData, '-p', String(pgPort), '-k', pgData,
			'-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off', '-c', 'max_connections=200',
		]);
		const postgres = launch(pgCommand, pgArgs, pgLog);
		children.push([postgres, 'SIGINT']);
		await waitForPort(pgPort, { child: postgres, name: 'postgres', logFile: pgLog });
		const psql = (sql, db = database) =>
			execFileSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', '-d', db, '-tAX', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
				encoding: 'utf8',
			}).trim();
		// Accepting TCP comes a moment before accepting queries.
		for (let attempt = 0; ; attempt++) {
			try {
				psql(`CREATE DATABASE ${database}`, 'postgres');
				break;
			} catch (error) {
				if (attempt > 50) throw error;
				await new Promise((resolve) => setTimeout(resolve, 200));
			}
		}
		const env = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
		};
		return { dir, redis: { host: '127.0.0.1', port: redisPort }, postgres: { host: '127.0.0.1', port: pgPort, database }, env, psql, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startQueueServices, ensureInstalled };

if (require.main === module) {
	startQueueServices()
		.then((services) => {
			console.log(JSON.stringify({ redis: services.redis, postgres: services.postgres, env: services.env }, null, 2));
			log('running; Ctrl-C stops both and removes their folder');
			const shutdown = () => services.stop().then(() => process.exit(0));
			process.on('SIGINT', shutdown);
			process.on('SIGTERM', shutdown);
		})
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
