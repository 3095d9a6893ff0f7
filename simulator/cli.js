#!/usr/bin/env node
// `npm run simulator -- --port 8787 --qps 2 --processing-ms 1200 --keys sim-key [--live]`
// --live answers like the live API (empty result fields, state_detail).
// Prints one JSON line {"apiUrl","storageUrl","controlUrl"} when listening; stops on SIGINT/SIGTERM.
const { startSimulator } = require('./server');

function flag(name) {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main() {
	const number = (value) => (value === undefined ? undefined : Number(value));
	const sim = await startSimulator({
		port: number(flag('port') ?? process.env.PORT),
		storagePort: number(flag('storage-port')),
		qps: number(flag('qps')),
		processingMs: number(flag('processing-ms')),
		apiKeys: flag('keys')?.split(','),
		samplesDir: flag('samples'),
		liveApi: process.argv.includes('--live') ? true : undefined,
	});
	process.stdout.write(`${JSON.stringify({ apiUrl: sim.apiUrl, storageUrl: sim.storageUrl, controlUrl: sim.controlUrl })}\n`);
	const stop = async () => {
		await sim.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
