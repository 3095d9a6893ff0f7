/** The real-n8n suite: slow (n8n boots per run), so run in band with long timeouts. */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	testMatch: ['<rootDir>/**/*.e2e.test.js'],
	testTimeout: 15 * 60 * 1000,
	maxWorkers: 1,
};
