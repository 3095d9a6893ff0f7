/**
 * Builds a multipart/form-data body as one Buffer: it can be sent again on a retry, and needs no
 * form-data library (the package has no runtime dependencies).
 */
import { randomBytes } from 'crypto';

export interface FilePart {
	fileName: string;
	contentType: string;
	bytes: Buffer;
}

export type FormFields = Record<string, string | FilePart>;

export interface MultipartBody {
	body: Buffer;
	contentType: string;
}

/** Quotes a header parameter value; control characters and quotes must not break the header. */
function quote(value: string): string {
	return value.replace(/[\r\n"\\]/g, '_');
}

export function buildMultipart(fields: FormFields): MultipartBody {
	const boundary = `----n8nPicWish${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		if (typeof value === 'string') {
			chunks.push(
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`,
				),
			);
		} else {
			chunks.push(
				Buffer.from(
					`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"; filename="${quote(value.fileName)}"\r\n` +
						`Content-Type: ${value.contentType}\r\n\r\n`,
				),
				value.bytes,
				Buffer.from('\r\n'),
			);
		}
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
