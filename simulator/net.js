// HTTP helpers: reading a request body with a limit, fetching from this machine only.
const http = require('node:http');

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

function readBody(req, limit) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
		});
		req.on('end', () => resolve({ body: Buffer.concat(chunks), size }));
		req.on('error', reject);
	});
}

function isLocalHttpUrl(url) {
	try {
		const parsed = new URL(url);
		return parsed.protocol === 'http:' && LOCAL_HOSTS.includes(parsed.hostname);
	} catch {
		return false;
	}
}

/** GETs a URL on this machine (the simulator never goes further); { ok, bytes, size, contentType }. */
function fetchUrl(url, limit, redirects = 3) {
	return new Promise((resolve) => {
		if (!isLocalHttpUrl(url)) return resolve({ ok: false });
		const parsed = new URL(url);
		// No keep-alive: a reused socket the server is closing at that moment would fail the download.
		http.get(parsed, { agent: false }, (res) => {
			if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && redirects > 0) {
				res.resume();
				return resolve(fetchUrl(new URL(res.headers.location, parsed).toString(), limit, redirects - 1));
			}
			if (res.statusCode !== 200) {
				res.resume();
				return resolve({ ok: false });
			}
			const chunks = [];
			let size = 0;
			res.on('data', (chunk) => {
				size += chunk.length;
				if (size <= limit) chunks.push(chunk);
			});
			res.on('end', () => resolve({ ok: true, bytes: Buffer.concat(chunks), size, contentType: res.headers['content-type'] }));
		}).on('error', () => resolve({ ok: false }));
	});
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { readBody, fetchUrl, isLocalHttpUrl, sleep, LOCAL_HOSTS };
