// Writing answers and counting them: JSON envelopes, bytes, JSON-only error statuses, HTML pages.

const BAD_GATEWAY_PAGE = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

const PORTAL_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Welcome</title></head>
<body><h1>Welcome</h1><p>This page is served by a captive portal, not by the PicWish API.</p></body>
</html>
`;

const JSON_ANSWERS = {
	json429: { status: 429, message: 'Too many requests', counter: 'jsonStatus429' },
	json500: { status: 500, message: 'Internal server error', counter: 'jsonStatus500' },
};

function responder(state) {
	function send(req, res, status, payload, headers = {}) {
		const { stats } = state;
		stats.status[status] = (stats.status[status] || 0) + 1;
		if (status === 429) stats.rateLimited++;
		stats.requestLog.push({ t: Date.now(), arrivedAt: req.arrivedAt, method: req.method, path: req.url, status, key: req.headers['x-api-key'] !== undefined });
		if (stats.requestLog.length > 2000) stats.requestLog.shift();
		if (Buffer.isBuffer(payload) || typeof payload === 'string') {
			const bytes = Buffer.from(payload);
			res.writeHead(status, { 'Content-Length': bytes.length, ...headers });
			return res.end(bytes);
		}
		res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
		res.end(JSON.stringify(payload));
	}

	const error = (req, res, status, message, headers) => send(req, res, status, { status, message }, headers);

	/** A JSON-only 429/500 (HTTP 200) or a proxy's HTML 502 page; counted in stats. */
	function fault(req, res, kind) {
		if (kind === 'html502') {
			state.stats.html502++;
			return send(req, res, 502, BAD_GATEWAY_PAGE, { 'Content-Type': 'text/html' });
		}
		const answer = JSON_ANSWERS[kind];
		state.stats[answer.counter]++;
		return send(req, res, 200, { status: answer.status, message: answer.message });
	}

	function portal(req, res) {
		return send(req, res, 200, PORTAL_PAGE, { 'Content-Type': 'text/html; charset=utf-8' });
	}

	return { send, error, fault, portal };
}

module.exports = { responder, BAD_GATEWAY_PAGE };
