/**
 * The picture to send: an incoming binary property (memory or disk, n8n reads it either way) or an
 * image URL. Every check here runs before a request is spent, and names the item and the field.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { FilePart } from '../transport/multipart';
import { inputError } from './errors';
import { MAX_DIMENSION, MAX_FILE_BYTES, readImageInfo } from './imageInfo';

const SUPPORTED = 'JPG, PNG, WEBP, BMP or TIFF';

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export interface BinaryInput {
	file: FilePart;
	/** The input's file name, for naming the results. */
	fileName?: string;
}

export async function readBinaryInput(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<BinaryInput> {
	const node = this.getNode();
	const item = this.getInputData()[itemIndex];
	const available = Object.keys(item?.binary ?? {});
	if (!propertyName) {
		throw inputError(node, 'The field "Input Binary Field" is empty', 'Enter the name of the binary property that holds the image, usually "data".', itemIndex);
	}
	const metadata = item?.binary?.[propertyName];
	if (!metadata) {
		throw inputError(
			node,
			`The input item has no binary property "${propertyName}" (field "Input Binary Field")`,
			available.length > 0
				? `This item's binary properties are: ${available.join(', ')}. Put one of them in "Input Binary Field".`
				: 'This item has no binary data at all. Read the image first (e.g. Read/Write Files from Disk, HTTP Request with "File" response), or switch "Input Source" to "Image URL".',
			itemIndex,
		);
	}
	const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	const fileName = metadata.fileName;
	const label = fileName ? `"${fileName}"` : `binary property "${propertyName}"`;
	if (bytes.length === 0) {
		throw inputError(node, `The image ${label} is empty (0 bytes)`, 'Check the node that produced the file.', itemIndex);
	}
	if (bytes.length > MAX_FILE_BYTES) {
		throw inputError(
			node,
			`The image ${label} is ${megabytes(bytes.length)}, over PicWish's 15 MB limit`,
			'Compress or resize the image to 15 MB or less before this node (e.g. with the Edit Image node).',
			itemIndex,
		);
	}
	const info = readImageInfo(bytes);
	if (!info) {
		throw inputError(
			node,
			`The file ${label} is not an image PicWish accepts`,
			`PicWish accepts ${SUPPORTED}. Check that "Input Binary Field" points at the image.`,
			itemIndex,
		);
	}
	if (info.kind === 'gif') {
		throw inputError(
			node,
			`The image ${label} is a GIF, which PicWish does not accept`,
			`Convert it to ${SUPPORTED} first (e.g. with the Edit Image node).`,
			itemIndex,
		);
	}
	if ((info.width ?? 0) > MAX_DIMENSION || (info.height ?? 0) > MAX_DIMENSION) {
		throw inputError(
			node,
			`The image ${label} is ${info.width}×${info.height} px, over PicWish's limit of ${MAX_DIMENSION}×${MAX_DIMENSION}`,
			'Resize it so that neither side exceeds 4096 px (e.g. with the Edit Image node).',
			itemIndex,
		);
	}
	const extension = info.kind;
	const uploadName = fileName && /\.[a-z0-9]+$/i.test(fileName) ? fileName : `image.${extension}`;
	return { file: { fileName: uploadName, contentType: info.mimeType, bytes }, fileName };
}

export function validateImageUrl(this: IExecuteFunctions, itemIndex: number, value: string): string {
	const url = value.trim();
	const node = this.getNode();
	if (!url) {
		throw inputError(node, 'The field "Image URL" is empty', 'Enter the public http(s) address of the image, or map it from an earlier node.', itemIndex);
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw inputError(node, `The field "Image URL" is not a valid URL: "${url.slice(0, 200)}"`, 'Use a full address starting with https:// or http://.', itemIndex);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw inputError(
			node,
			`The field "Image URL" must be an http(s) address, not "${parsed.protocol}"`,
			'PicWish downloads the image itself, so it needs a public https:// or http:// link. For a local file, use "Input Source: Binary File".',
			itemIndex,
		);
	}
	return url;
}
