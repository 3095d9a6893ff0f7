// Per-request switches: a token in the uploaded file's name or in the image URL.

/**
 * sim-state-N (the task ends in state -N), sim-slow-MS (processing takes MS ms), sim-500 (HTTP 500
 * once), sim-expired, sim-u0026, sim-json429 / sim-json500 / sim-html502 (once on the create request
 * and once on the first GET of the task), sim-cb-form / sim-cb-dup (callbacks), sim-bg-objects /
 * sim-bg-string (shapes of the background generator's result).
 */
function faultsIn(name) {
	const text = String(name || '');
	const state = /sim-state-(\d+)/.exec(text);
	const slow = /sim-slow-(\d+)/.exec(text);
	const answer = /sim-(json429|json500|html502)/.exec(text);
	return {
		state: state ? -Number(state[1]) : undefined,
		slowMs: slow ? Number(slow[1]) : undefined,
		fail500: text.includes('sim-500'),
		expired: text.includes('sim-expired'),
		escaped: text.includes('sim-u0026'),
		answer: answer ? answer[1] : undefined,
		callbackForm: text.includes('sim-cb-form'),
		callbackDuplicate: text.includes('sim-cb-dup'),
		bgObjects: text.includes('sim-bg-objects'),
		bgString: text.includes('sim-bg-string'),
	};
}

module.exports = { faultsIn };
