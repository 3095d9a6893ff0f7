// A small, binary-safe multipart/form-data parser: enough to read what an API client uploads.

function boundaryOf(contentType) {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
	return match ? match[1] || match[2] : undefined;
}

/** Parses a complete body into { fields: {name: string}, files: {name: {fileName, contentType, bytes}} }. */
function parseMultipart(body, contentType) {
	const boundary = boundaryOf(contentType);
	if (!boundary) throw new Error('multipart body without a boundary');
	const delimiter = Buffer.from(`--${boundary}`);
	const fields = {};
	const files = {};
	let position = body.indexOf(delimiter);
	if (position < 0) throw new Error('multipart boundary not found in the body');
	for (;;) {
		position += delimiter.length;
		if (body[position] === 0x2d && body[position + 1] === 0x2d) break; // closing "--"
		if (body[position] === 0x0d && body[position + 1] === 0x0a) position += 2;
		const headerEnd = body.indexOf('\r\n\r\n', position);
		if (headerEnd < 0) throw new Error('multipart part without headers');
		const headers = body.toString('utf8', position, headerEnd);
		const next = body.indexOf(delimiter, headerEnd + 4);
		if (next < 0) throw new Error('multipart part without a closing boundary');
		// The part's content ends with the CRLF that precedes the next delimiter.
		const content = body.subarray(headerEnd + 4, next - 2);
		const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
		const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
		const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
		const partType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
		if (name !== undefined) {
			if (fileName !== undefined) files[name] = { fileName, contentType: partType, bytes: content };
			else fields[name] = content.toString('utf8');
		}
		position = next;
	}
	return { fields, files };
}

module.exports = { parseMultipart, boundaryOf };
