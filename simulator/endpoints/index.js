// Every endpoint the simulator answers, by its path under /api/tasks/ (one file each).
const list = [
	require('./segmentation'),
	require('./face-cutout'),
	require('./scale'),
	require('./scale-pro'),
	require('./colorization'),
	require('./idphoto'),
	require('./imgcompress'),
	require('./ocr'),
	require('./correction'),
	require('./inpaint'),
	require('./watermark-remove'),
	require('./background'),
	require('./image-expand'),
	require('./clothing-segmentation'),
];

const ENDPOINTS = Object.fromEntries(list.map((endpoint) => [endpoint.path, endpoint]));

module.exports = { ENDPOINTS };
