/**
 * Reads an image's format and size from its header bytes, so that a file the API would reject
 * (GIF, unknown format, over 15 MB or 4096 px) fails before a request (and a credit) is spent.
 */

export type ImageKind = 'jpg' | 'png' | 'webp' | 'bmp' | 'tiff' | 'gif';
/** Documents OCR reads and writes: PDF, Office (OOXML is a ZIP, old Office an OLE container), text. */
export type DocumentKind = 'pdf' | 'zip' | 'ole';
export type FileKind = ImageKind | DocumentKind;

export interface ImageInfo {
	kind: ImageKind;
	mimeType: string;
	width?: number;
	height?: number;
}

export const MAX_FILE_BYTES = 15 * 1024 * 1024;
export const MAX_DIMENSION = 4096;

const MIME: Record<FileKind, string> = {
	jpg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	bmp: 'image/bmp',
	tiff: 'image/tiff',
	gif: 'image/gif',
	pdf: 'application/pdf',
	zip: 'application/zip',
	ole: 'application/octet-stream',
};

export function mimeTypeOf(kind: FileKind): string {
	return MIME[kind];
}

/** Images by their magic bytes, then PDF, ZIP (docx/xlsx/pptx, archives) and OLE (doc/xls/ppt). */
export function sniffFileKind(bytes: Buffer): FileKind | undefined {
	const image = sniffImageKind(bytes);
	if (image) return image;
	if (ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
	if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
	if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
	return undefined;
}

function startsWith(bytes: Buffer, signature: number[], offset = 0): boolean {
	if (bytes.length < offset + signature.length) return false;
	return signature.every((value, index) => bytes[offset + index] === value);
}

function ascii(bytes: Buffer, start: number, end: number): string {
	return bytes.length >= end ? bytes.toString('latin1', start, end) : '';
}

/** Only the format, from the magic bytes. */
export function sniffImageKind(bytes: Buffer): ImageKind | undefined {
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpg';
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
	if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 26) return 'bmp';
	if (ascii(bytes, 0, 4) === 'II*\u0000' || ascii(bytes, 0, 4) === 'MM\u0000*') return 'tiff';
	if (ascii(bytes, 0, 4) === 'GIF8') return 'gif';
	return undefined;
}

function pngSize(bytes: Buffer): [number, number] | undefined {
	if (bytes.length < 24 || ascii(bytes, 12, 16) !== 'IHDR') return undefined;
	return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

function jpegSize(bytes: Buffer): [number, number] | undefined {
	let offset = 2;
	while (offset + 4 <= bytes.length) {
		if (bytes[offset] !== 0xff) return undefined;
		const marker = bytes[offset + 1];
		// Fill bytes and stand-alone markers carry no length.
		if (marker === 0xff) {
			offset += 1;
			continue;
		}
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			offset += 2;
			continue;
		}
		const length = bytes.readUInt16BE(offset + 2);
		const isStartOfFrame =
			marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
		if (isStartOfFrame) {
			if (offset + 9 > bytes.length) return undefined;
			return [bytes.readUInt16BE(offset + 7), bytes.readUInt16BE(offset + 5)];
		}
		if (length < 2) return undefined;
		offset += 2 + length;
	}
	return undefined;
}

function webpSize(bytes: Buffer): [number, number] | undefined {
	const chunk = ascii(bytes, 12, 16);
	if (chunk === 'VP8 ' && bytes.length >= 30) {
		return [bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff];
	}
	if (chunk === 'VP8L' && bytes.length >= 25 && bytes[20] === 0x2f) {
		const bits = bytes.readUInt32LE(21);
		return [(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1];
	}
	if (chunk === 'VP8X' && bytes.length >= 30) {
		return [bytes.readUIntLE(24, 3) + 1, bytes.readUIntLE(27, 3) + 1];
	}
	return undefined;
}

function bmpSize(bytes: Buffer): [number, number] | undefined {
	const headerSize = bytes.readUInt32LE(14);
	if (headerSize === 12) return [bytes.readUInt16LE(18), bytes.readUInt16LE(20)];
	return [Math.abs(bytes.readInt32LE(18)), Math.abs(bytes.readInt32LE(22))];
}

function tiffSize(bytes: Buffer): [number, number] | undefined {
	const little = bytes[0] === 0x49;
	const u16 = (at: number) => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
	const u32 = (at: number) => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
	if (bytes.length < 8) return undefined;
	const ifd = u32(4);
	if (ifd + 2 > bytes.length) return undefined;
	const entries = u16(ifd);
	let width: number | undefined;
	let height: number | undefined;
	for (let index = 0; index < entries; index++) {
		const entry = ifd + 2 + index * 12;
		if (entry + 12 > bytes.length) break;
		const tag = u16(entry);
		const type = u16(entry + 2);
		const value = type === 3 ? u16(entry + 8) : u32(entry + 8);
		if (tag === 256) width = value;
		if (tag === 257) height = value;
	}
	return width !== undefined && height !== undefined ? [width, height] : undefined;
}

const SIZE_READERS: Partial<Record<ImageKind, (bytes: Buffer) => [number, number] | undefined>> = {
	png: pngSize,
	jpg: jpegSize,
	webp: webpSize,
	bmp: bmpSize,
	tiff: tiffSize,
};

/** Format and, where the header holds it, width and height. `undefined` for an unknown format. */
export function readImageInfo(bytes: Buffer): ImageInfo | undefined {
	const kind = sniffImageKind(bytes);
	if (!kind) return undefined;
	const info: ImageInfo = { kind, mimeType: MIME[kind] };
	const reader = SIZE_READERS[kind];
	const size = reader ? safely(() => reader(bytes)) : undefined;
	if (size) [info.width, info.height] = size;
	return info;
}

function safely<T>(read: () => T): T | undefined {
	try {
		return read();
	} catch {
		// A truncated header is reported as "size unknown"; the API judges the rest.
		return undefined;
	}
}
