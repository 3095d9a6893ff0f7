// Builders for the workflows the end-to-end suite, the demo and the benchmark run in a real n8n.
// Only core nodes that exist in n8n 1.x and 2.x are used next to ours.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const PICWISH_TYPE = 'n8n-nodes-picwish.picWish';
let counter = 0;

/** Any n8n node; `extra` adds node settings such as `onError` or `credentials`. */
function node(name, type, typeVersion, parameters = {}, extra = {}) {
	return { id: crypto.randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

function manualTrigger(name = 'Start') {
	return node(name, 'n8n-nodes-base.manualTrigger', 1);
}

function readFiles(name, fileSelector) {
	return node(name, 'n8n-nodes-base.readWriteFile', 1, { fileSelector, options: {} });
}

function writeFiles(name, directory, property = 'data') {
	return node(name, 'n8n-nodes-base.readWriteFile', 1, {
		operation: 'write',
		fileName: `=${directory}/{{ $binary.${property}.fileName }}`,
		dataPropertyName: property,
		options: {},
	});
}

function noOp(name) {
	return node(name, 'n8n-nodes-base.noOp', 1);
}

/** The PicWish node with our defaults; `parameters` override them. */
function picwish(name, parameters = {}, { credential = { id: 'sim', name: 'PicWish simulator' }, onError } = {}) {
	const parameterDefaults = {
		operation: 'removeBackground',
		inputSource: 'binary',
		binaryPropertyName: 'data',
		processingMode: 'sync',
		segmentationType: 'auto',
		outputType: 'image',
		returnType: 'binary',
		crop: false,
		format: 'png',
		options: {},
	};
	return node(name, PICWISH_TYPE, 1, { ...parameterDefaults, ...parameters }, {
		credentials: { picWishApi: credential },
		...(onError ? { onError } : {}),
	});
}

/**
 * A saved workflow file (an example users import, or one saved by an older version of the node),
 * with its folders pointed at ours: `folders` maps e.g. '/home/node/photos' to a test folder.
 */
function savedWorkflow(file, folders, id) {
	let text = fs.readFileSync(path.resolve(__dirname, '../..', file), 'utf8');
	for (const [from, to] of Object.entries(folders)) text = text.replaceAll(from, to);
	return { ...JSON.parse(text), id };
}

/** examples/remove-background-folder.json: the demo runs it headless, the screenshot script opens it. */
function folderExample(photosDir, cutoutsDir) {
	return savedWorkflow('examples/remove-background-folder.json', { '/home/node/photos': photosDir, '/home/node/cutouts': cutoutsDir }, 'picwishDemo');
}

/**
 * A chain: each node feeds the next. `branches` adds the error output of a node:
 * { from: 'PicWish', error: 'Failed' } connects output 1 of PicWish to node "Failed".
 */
function chain(name, nodes, { errorBranches = [] } = {}) {
	const connections = {};
	for (let index = 0; index < nodes.length - 1; index++) {
		const from = nodes[index];
		const to = nodes[index + 1];
		if (errorBranches.some((branch) => branch.error === to.name)) continue;
		connections[from.name] = { main: [[{ node: to.name, type: 'main', index: 0 }]] };
	}
	for (const branch of errorBranches) {
		const main = connections[branch.from]?.main ?? [[]];
		main[1] = [{ node: branch.error, type: 'main', index: 0 }];
		connections[branch.from] = { main };
	}
	nodes.forEach((node, index) => {
		node.position = [index * 220, node.name === errorBranches.find((b) => b.error === node.name)?.error ? 200 : 0];
	});
	return {
		id: `wf${Date.now().toString(36)}${(++counter).toString(36)}`.slice(0, 16),
		name,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

module.exports = { node, manualTrigger, readFiles, writeFiles, noOp, picwish, chain, folderExample, savedWorkflow, PICWISH_TYPE };
