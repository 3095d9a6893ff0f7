/** nock hands a request body over as utf8 text, or as hex when the bytes are not valid utf8. */
export function bodyBuffer(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	if (/^(?:[0-9a-f]{2})+$/i.test(text)) {
		const bytes = Buffer.from(text, 'hex');
		if (bytes.toString('utf8').includes('\ufffd')) return bytes;
	}
	return Buffer.from(text, 'utf8');
}
