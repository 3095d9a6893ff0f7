// The simulator's "storage host": serves results under signed links that expire, answers an expired
// or forged link with the vendor's 403 AccessDenied XML, and counts every request that carries an
// X-API-KEY (a client leaking its key to storage).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const MAX_OBJECTS = 600;
const CONTENT_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.bmp': 'image/bmp', '.tif': 'image/tiff', '.tiff': 'image/tiff', '.gif': 'image/gif',
	'.pdf': 'application/pdf', '.txt': 'text/plain; charset=utf-8', '.zip': 'application/zip', '.doc': 'application/msword',
	'.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation' };

class Storage {
	constructor(state) {
		this.state = state;
		this.secret = crypto.randomBytes(16);
		this.objects = new Map();
		this.baseUrl = '';
	}

	sign(objectPath, expires) {
		return crypto.createHmac('sha1', this.secret).update(`${objectPath}\n${expires}`).digest('base64');
	}

	/** Stores bytes and returns a signed link; `expired` issues one that is already past its time. */
	put(name, bytes, contentType, { folder = 'segmentation', expired = false, escapeAmpersand = false } = {}) {
		const objectPath = `/tasks/output/${folder}/${name}`;
		this.objects.set(objectPath, { bytes, contentType });
		while (this.objects.size > MAX_OBJECTS) this.objects.delete(this.objects.keys().next().value);
		const ttl = this.state.config.linkTtlMs;
		const expires = Math.floor((Date.now() + (expired ? -60_000 : ttl)) / 1000);
		const query = [`Expires=${expires}`, 'OSSAccessKeyId=sim', `Signature=${encodeURIComponent(this.sign(objectPath, expires))}`];
		return `${this.baseUrl}${objectPath}?${query.join(escapeAmpersand ? '\\u0026' : '&')}`;
	}

	denied(res, message) {
		this.state.stats.storageDenied++;
		res.writeHead(403, { 'Content-Type': 'application/xml' });
		res.end(
			`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${message}</Message>` +
				`<RequestId>${crypto.randomBytes(12).toString('hex').toUpperCase()}</RequestId><HostId>storage.sim</HostId></Error>`,
		);
	}

	handle(req, res) {
		const { stats, config } = this.state;
		stats.storageRequests++;
		if (req.headers['x-api-key'] !== undefined) stats.keyLeaks++;
		const url = new URL(req.url, 'http://storage.sim');
		if (url.pathname.startsWith('/samples/')) return this.serveSample(url.pathname, res, config.samplesDir);
		const object = this.objects.get(url.pathname);
		const expires = Number(url.searchParams.get('Expires'));
		const signature = url.searchParams.get('Signature');
		if (!object || !signature || signature !== this.sign(url.pathname, expires)) {
			return this.denied(res, 'You have no right to access this object because of bucket acl.');
		}
		if (!(expires * 1000 > Date.now())) return this.denied(res, 'Request has expired.');
		stats.storageDownloads++;
		res.writeHead(200, { 'Content-Type': object.contentType, 'Content-Length': object.bytes.length });
		res.end(object.bytes);
	}

	serveSample(pathname, res, samplesDir) {
		const name = decodeURIComponent(pathname.slice('/samples/'.length));
		const file = samplesDir && path.join(samplesDir, path.basename(name));
		if (!file || !fs.existsSync(file)) {
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			return res.end('no such sample');
		}
		const bytes = fs.readFileSync(file);
		res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': bytes.length });
		res.end(bytes);
	}

	clear() {
		this.objects.clear();
	}
}

module.exports = { Storage };
