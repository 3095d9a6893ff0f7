#!/usr/bin/env node
// Refuses `npm publish` (also with --dry-run) anywhere but in .github/workflows/publish.yml on the
// tag of the version being published, with an npm provenance statement: n8n requires community nodes
// to be published from CI with provenance (since 1 May 2026). npm runs this as `prepublishOnly` and,
// because the project's .npmrc sets ignore-scripts (which skips prepublishOnly), also as `prepack`
// during publish (package.json publishConfig re-enables scripts for the publish step's pack).
// `npm pack` on its own is not a publish and passes.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
if (process.env.npm_command !== 'publish') process.exit(0);

const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const env = process.env;
const problems = [];
if (env.GITHUB_ACTIONS !== 'true' || !/\/\.github\/workflows\/publish\.yml@/.test(env.GITHUB_WORKFLOW_REF ?? '')) {
	problems.push('it is not running in the GitHub Actions workflow .github/workflows/publish.yml');
}
if (env.GITHUB_REF !== `refs/tags/v${version}`) {
	problems.push(`it is not running for the tag v${version} (GITHUB_REF is ${env.GITHUB_REF || 'unset'})`);
}
if (env.npm_config_provenance !== 'true') problems.push('it was started without --provenance');
if (!fs.existsSync(path.join(root, 'dist', 'nodes', 'PicWish', 'PicWish.node.js'))) problems.push('dist/ is not built');
if (!new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]`, 'm').test(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'))) {
	problems.push(`CHANGELOG.md has no "## [${version}]" section`);
}

if (problems.length > 0) {
	console.error(`Refusing to publish ${name}@${version}: ${problems.join('; ')}.`);
	console.error(
		'Releases are published by .github/workflows/publish.yml with an npm provenance statement, which n8n requires:\n' +
			`update CHANGELOG.md, run \`npm version <new version>\`, then \`git push --follow-tags\` (see README, "Releasing").\n` +
			'To see what would be published: npm pack --dry-run',
	);
	process.exit(1);
}
console.log(`publish guard: ${name}@${version} from ${env.GITHUB_WORKFLOW_REF} with provenance`);
