// Callbacks (callback_url): filled in with issue 14.
function createCallbacks() {
	return { taskEnded() {} };
}
module.exports = { createCallbacks };
