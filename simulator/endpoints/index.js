// Every endpoint the simulator answers, by its path under /api/tasks/.
const list = [
	require('./segmentation'),
];

const ENDPOINTS = Object.fromEntries(list.map((endpoint) => [endpoint.path, endpoint]));

module.exports = { ENDPOINTS };
