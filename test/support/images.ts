/** Small real images and hand-made headers for the tests. */
interface PngImage { data: Buffer }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as {
	PNG: { new (options: { width: number; height: number }): PngImage; sync: { write(image: PngImage): Buffer } };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jpeg = require('jpeg-js') as { encode: (image: { data: Buffer; width: number; height: number }, quality: number) => { data: Buffer } };

export function png(width = 8, height = 6, rgba: [number, number, number, number] = [200, 30, 30, 255]): Buffer {
	const image = new PNG({ width, height });
	for (let index = 0; index < width * height; index++) image.data.set(rgba, index * 4);
	return PNG.sync.write(image);
}

export function jpg(width = 8, height = 6): Buffer {
	const data = Buffer.alloc(width * height * 4, 180);
	return jpeg.encode({ data, width, height }, 80).data;
}

export function gif(width = 4, height = 3): Buffer {
	const header = Buffer.alloc(13);
	header.write('GIF89a', 0, 'latin1');
	header.writeUInt16LE(width, 6);
	header.writeUInt16LE(height, 8);
	return Buffer.concat([header, Buffer.from([0x3b])]);
}

export function bmp(width: number, height: number): Buffer {
	const bytes = Buffer.alloc(54);
	bytes.write('BM', 0, 'latin1');
	bytes.writeUInt32LE(54, 2);
	bytes.writeUInt32LE(40, 14);
	bytes.writeInt32LE(width, 18);
	bytes.writeInt32LE(-height, 22); // top-down bitmap: negative height
	return bytes;
}

export function tiff(width: number, height: number, littleEndian = true): Buffer {
	const bytes = Buffer.alloc(8 + 2 + 2 * 12 + 4);
	const u16 = (value: number, at: number) => (littleEndian ? bytes.writeUInt16LE(value, at) : bytes.writeUInt16BE(value, at));
	const u32 = (value: number, at: number) => (littleEndian ? bytes.writeUInt32LE(value, at) : bytes.writeUInt32BE(value, at));
	bytes.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
	u16(42, 2);
	u32(8, 4);
	u16(2, 8);
	u16(256, 10); u16(4, 12); u32(1, 14); u32(width, 18); // ImageWidth, LONG
	u16(257, 22); u16(3, 24); u32(1, 26); u16(height, 30); // ImageLength, SHORT
	return bytes;
}

function riff(chunk: string, payload: Buffer): Buffer {
	const header = Buffer.alloc(20);
	header.write('RIFF', 0, 'latin1');
	header.writeUInt32LE(12 + payload.length, 4);
	header.write('WEBP', 8, 'latin1');
	header.write(chunk, 12, 'latin1');
	header.writeUInt32LE(payload.length, 16);
	return Buffer.concat([header, payload]);
}

export function webpLossy(width: number, height: number): Buffer {
	const payload = Buffer.alloc(10);
	payload.set([0x9d, 0x01, 0x2a], 3);
	payload.writeUInt16LE(width, 6);
	payload.writeUInt16LE(height, 8);
	return riff('VP8 ', payload);
}

export function webpLossless(width: number, height: number): Buffer {
	const payload = Buffer.alloc(5);
	payload[0] = 0x2f;
	payload.writeUInt32LE((width - 1) | ((height - 1) << 14), 1);
	return riff('VP8L', payload);
}

export function webpExtended(width: number, height: number): Buffer {
	const payload = Buffer.alloc(10);
	payload.writeUIntLE(width - 1, 4, 3);
	payload.writeUIntLE(height - 1, 7, 3);
	return riff('VP8X', payload);
}

/** A JPEG header claiming the given size, with an APP0 segment before the frame header. */
export function jpegHeader(width: number, height: number): Buffer {
	const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
	const sof = Buffer.alloc(19);
	sof.set([0xff, 0xc2, 0x00, 0x11, 0x08]);
	sof.writeUInt16BE(height, 5);
	sof.writeUInt16BE(width, 7);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]);
}

/** A PNG header claiming the given size (IHDR only). */
export function pngHeader(width: number, height: number): Buffer {
	const bytes = Buffer.alloc(33);
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
	bytes.writeUInt32BE(13, 8);
	bytes.write('IHDR', 12, 'latin1');
	bytes.writeUInt32BE(width, 16);
	bytes.writeUInt32BE(height, 20);
	return bytes;
}

/** Parses a multipart body the way a server would, to check what the node sent. */
export function parseMultipart(body: Buffer, contentType: string): Record<string, { value: string; fileName?: string; contentType?: string; bytes: Buffer }> {
	const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
	if (!boundary) throw new Error(`no boundary in ${contentType}`);
	const parts: Record<string, { value: string; fileName?: string; contentType?: string; bytes: Buffer }> = {};
	const delimiter = Buffer.from(`--${boundary}`);
	let start = body.indexOf(delimiter) + delimiter.length;
	for (;;) {
		const end = body.indexOf(delimiter, start);
		if (end < 0) break;
		const part = body.subarray(start + 2, end - 2); // skip CRLF after delimiter, before next
		const headerEnd = part.indexOf('\r\n\r\n');
		const head = part.subarray(0, headerEnd).toString('utf8');
		const bytes = part.subarray(headerEnd + 4);
		const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
		parts[name] = {
			value: bytes.toString('utf8'),
			fileName: /filename="([^"]*)"/.exec(head)?.[1],
			contentType: /Content-Type: (.*)/i.exec(head)?.[1]?.trim(),
			bytes,
		};
		start = end + delimiter.length;
	}
	return parts;
}
