// Builders for the workflows the end-to-end suite, the demo and the benchmark run in a real n8n.
// Only core nodes that exist in n8n 1.x and 2.x are used next to ours.
const crypto = require('node:crypto');

const PICWISH_TYPE = 'n8n-nodes-picwish.picWish';
let counter = 0;

function nodeId() {
	return crypto.randomUUID();
}

function manualTrigger(name = 'Start') {
	return { id: nodeId(), name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

function readFiles(name, fileSelector) {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [200, 0],
		parameters: { fileSelector, options: {} },
	};
}

function writeFiles(name, directory, property = 'data') {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [600, 0],
		parameters: {
			operation: 'write',
			fileName: `=${directory}/{{ $binary.${property}.fileName }}`,
			dataPropertyName: property,
			options: {},
		},
	};
}

function noOp(name) {
	return { id: nodeId(), name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [800, 0], parameters: {} };
}

/** The PicWish node with our defaults; `parameters` override them. */
function picwish(name, parameters = {}, { credential = { id: 'sim', name: 'PicWish simulator' }, onError } = {}) {
	const node = {
		id: nodeId(),
		name,
		type: PICWISH_TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters: {
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
			...parameters,
		},
		credentials: { picWishApi: credential },
	};
	if (onError) node.onError = onError;
	return node;
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

module.exports = { manualTrigger, readFiles, writeFiles, noOp, picwish, chain, PICWISH_TYPE };
