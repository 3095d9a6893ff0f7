/**
 * What goes in: an incoming binary property (n8n hands it over in any binary data mode: memory,
 * filesystem, database) or a URL, checked against the operation's documented limits before a request
 * (and a credit) is spent. Every message names the item and the field.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../helpers/errors';
import type { FileKind } from '../helpers/imageInfo';
import { mimeTypeOf, readImageInfo, sniffFileKind } from '../helpers/imageInfo';
import type { FilePart } from '../transport/multipart';
import type { InputLimits, Params } from './spec';

const KIND_NAMES: Record<FileKind, string> = {
	jpg: 'JPG',
	png: 'PNG',
	webp: 'WEBP',
	bmp: 'BMP',
	tiff: 'TIFF',
	gif: 'GIF',
	pdf: 'PDF',
	zip: 'DOCX/XLSX/PPTX',
	ole: 'DOC/XLS/PPT',
};

export function kindList(kinds: FileKind[]): string {
	const names = kinds.map((kind) => KIND_NAMES[kind]);
	return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * "15 MB" may mean 15,000,000 bytes or 15 MiB (the vendor does not say): only files over the larger
 * reading are stopped here; between the two, PicWish decides (413 or state -5).
 */
export function maxBytes(limits: InputLimits): number {
	return limits.maxMegabytes * 1024 * 1024;
}

export interface BinaryInput {
	file: FilePart;
	/** The input's file name, for naming the results. */
	fileName?: string;
}

/** Checks bytes against the limits; `label` names the file in messages ("photo.jpg"). */
export function checkFile(
	context: IExecuteFunctions,
	itemIndex: number,
	bytes: Buffer,
	label: string,
	limits: InputLimits,
): FileKind {
	const node = context.getNode();
	const accepted = kindList(limits.kinds);
	if (bytes.length === 0) {
		throw inputError(node, `The file ${label} is empty (0 bytes)`, 'Check the node that produced the file.', itemIndex);
	}
	if (bytes.length > maxBytes(limits)) {
		throw inputError(
			node,
			`The file ${label} is ${megabytes(bytes.length)}, over PicWish's ${limits.maxMegabytes} MB limit`,
			`Compress or resize it to ${limits.maxMegabytes} MB or less before this node (e.g. with the Compress operation or the Edit Image node).`,
			itemIndex,
		);
	}
	const kind = sniffFileKind(bytes);
	if (!kind) {
		throw inputError(
			node,
			`The file ${label} is not ${limits.kinds.some((accepted) => ['pdf', 'zip', 'ole'].includes(accepted)) ? 'a file' : 'an image'} this operation accepts`,
			`It accepts ${accepted}. Check that "Input Binary Field" points at the right file.`,
			itemIndex,
		);
	}
	if (!limits.kinds.includes(kind)) {
		throw inputError(
			node,
			`The file ${label} is a ${KIND_NAMES[kind]}, which PicWish does not accept here`,
			`Convert it to ${accepted} first (e.g. with the Edit Image node).`,
			itemIndex,
		);
	}
	const info = readImageInfo(bytes);
	const width = info?.width ?? 0;
	const height = info?.height ?? 0;
	if (limits.maxSide && (width > limits.maxSide || height > limits.maxSide)) {
		throw inputError(
			node,
			`The image ${label} is ${width}×${height} px, over PicWish's limit of ${limits.maxSide}×${limits.maxSide}`,
			`Resize it so that neither side exceeds ${limits.maxSide} px (e.g. with the Edit Image node).`,
			itemIndex,
		);
	}
	if (limits.minSide && info?.width !== undefined && (width < limits.minSide || height < limits.minSide)) {
		throw inputError(
			node,
			`The image ${label} is ${width}×${height} px, under PicWish's minimum of ${limits.minSide}×${limits.minSide}`,
			`Use a larger image (at least ${limits.minSide} px on each side).`,
			itemIndex,
		);
	}
	return kind;
}

export async function readBinaryInput(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	limits: InputLimits,
	fieldLabel = 'Input Binary Field',
): Promise<BinaryInput> {
	const node = this.getNode();
	const item = this.getInputData()[itemIndex];
	const available = Object.keys(item?.binary ?? {});
	if (!propertyName) {
		throw inputError(
			node,
			`The field "${fieldLabel}" is empty`,
			'Enter the name of the binary property that holds the file, usually "data".',
			itemIndex,
		);
	}
	const metadata = item?.binary?.[propertyName];
	if (!metadata) {
		throw inputError(
			node,
			`The input item has no binary property "${propertyName}" (field "${fieldLabel}")`,
			available.length > 0
				? `This item's binary properties are: ${available.join(', ')}. Put one of them in "${fieldLabel}".`
				: 'This item has no binary data at all. Read the file first (e.g. Read/Write Files from Disk, HTTP Request with "File" response), or switch "Input Source" to "Image URL".',
			itemIndex,
		);
	}
	const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	const fileName = metadata.fileName;
	const label = fileName ? `"${fileName}"` : `in binary property "${propertyName}"`;
	const kind = checkFile(this, itemIndex, bytes, label, limits);
	const uploadName = fileName && /\.[a-z0-9]+$/i.test(fileName) ? fileName : `file.${kind === 'zip' ? 'zip' : kind}`;
	return { file: { fileName: uploadName, contentType: metadata.mimeType || mimeTypeOf(kind), bytes }, fileName };
}

export function validateUrl(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	fieldLabel = 'Image URL',
	maxLength?: number,
): string {
	const url = String(value ?? '').trim();
	const node = this.getNode();
	if (!url) {
		throw inputError(
			node,
			`The field "${fieldLabel}" is empty`,
			'Enter the public http(s) address of the file, or map it from an earlier node.',
			itemIndex,
		);
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw inputError(
			node,
			`The field "${fieldLabel}" is not a valid URL: "${url.slice(0, 200)}"`,
			'Use a full address starting with https:// or http://.',
			itemIndex,
		);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw inputError(
			node,
			`The field "${fieldLabel}" must be an http(s) address, not "${parsed.protocol}"`,
			'PicWish downloads the file itself, so it needs a public https:// or http:// link. For a local file, use "Input Source: Binary File".',
			itemIndex,
		);
	}
	if (maxLength && url.length > maxLength) {
		throw inputError(
			node,
			`The field "${fieldLabel}" is ${url.length} characters long, over this operation's limit of ${maxLength}`,
			'Use a shorter link (e.g. without tracking parameters), or send the file itself with "Input Source: Binary File".',
			itemIndex,
		);
	}
	return url;
}

/** One item's parameters, with nulls (as queue-mode workers may hand them) read as the default. */
export function paramsFor(context: IExecuteFunctions, itemIndex: number): Params {
	return {
		itemIndex,
		get<T>(name: string, fallback: T): T {
			const value = context.getNodeParameter(name, itemIndex, fallback as never) as T | null | undefined;
			return value === null || value === undefined ? fallback : value;
		},
		fail(message: string, description: string): never {
			throw inputError(context.getNode(), message, description, itemIndex);
		},
		async binaryFile(propertyName: string, fieldLabel: string, limits: InputLimits): Promise<FilePart> {
			return (await readBinaryInput.call(context, itemIndex, propertyName.trim(), limits, fieldLabel)).file;
		},
		url(value: string, fieldLabel: string, maxLength?: number): string {
			return validateUrl.call(context, itemIndex, value, fieldLabel, maxLength);
		},
	};
}
