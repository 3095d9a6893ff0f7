/**
 * A finished task → the n8n item the user gets: the API's `data` as `json` (URLs repaired, base64
 * left out once turned into files) and, for Return Type "Binary", the image and mask as binary data
 * with the right mime type and a file name taken from the input's.
 */
import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadResult } from '../transport';
import type { Transport } from '../transport';
import { isUrl } from './apiResponse';
import { apiError } from './errors';
import { mimeTypeOf, sniffImageKind } from './imageInfo';
import type { ReturnType, TaskData, TaskResult } from './interfaces';

export interface ResultOptions {
	returnType: ReturnType;
	outputBinaryPropertyName: string;
	maskBinaryPropertyName: string;
	/** File name without extension, e.g. "photo" for an input "photo.jpg". */
	baseFileName: string;
	/** Reads the task again for fresh links when a download link has expired. */
	refresh?: () => Promise<TaskResult>;
}

const RESULT_KINDS = ['image', 'mask'] as const;
type ResultKind = (typeof RESULT_KINDS)[number];

/** "photo.jpg" → "photo"; a URL's last path segment; a fallback when there is nothing to go on. */
export function baseNameOf(fileNameOrUrl: string | undefined, fallback: string): string {
	if (!fileNameOrUrl) return fallback;
	let name = fileNameOrUrl;
	if (isUrl(name)) {
		try {
			name = decodeURIComponent(new URL(name).pathname.split('/').pop() ?? '');
		} catch {
			name = '';
		}
	}
	name = name.split(/[\\/]/).pop() ?? '';
	const stem = name.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}._ -]+/gu, '_').trim();
	return stem || fallback;
}

function isExpiredLink(outcome: { statusCode: number; body: string }): boolean {
	return outcome.statusCode === 403 || /AccessDenied|Request has expired/i.test(outcome.body);
}

async function fetchResultBytes(
	this: IExecuteFunctions,
	transport: Transport,
	kind: ResultKind,
	data: TaskData,
	options: ResultOptions,
	itemIndex: number,
): Promise<Buffer> {
	const value = String(data[kind]);
	// Base64 may come bare or as a data URI ("data:image/png;base64,…").
	if (!isUrl(value as unknown)) return Buffer.from(value.replace(/^data:[^,]*,/, ''), 'base64');

	let outcome = await downloadResult.call(this, transport, value, itemIndex);
	if (!outcome.ok && isExpiredLink(outcome) && options.refresh) {
		// Links are signed for one hour; the task may still hand out a fresh one.
		const fresh = (await options.refresh()).data[kind];
		if (isUrl(fresh)) outcome = await downloadResult.call(this, transport, fresh, itemIndex);
	}
	if (outcome.ok) return outcome.bytes;
	const expired = isExpiredLink(outcome);
	throw apiError(
		this.getNode(),
		{
			message: expired
				? `The PicWish result link has expired or was refused (HTTP ${outcome.statusCode} AccessDenied)`
				: `Could not download the PicWish result (HTTP ${outcome.statusCode})`,
			description: expired
				? 'PicWish result links are valid for one hour. Run the item again to get a fresh result, and download results soon after they are made.'
				: 'The storage host refused the download. Run the item again.',
			httpCode: outcome.statusCode,
			state: Number(data.state),
			taskId: data.task_id,
		},
		itemIndex,
	);
}

export async function buildResultItem(
	this: IExecuteFunctions,
	transport: Transport,
	result: TaskResult,
	options: ResultOptions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const json: TaskData = { ...result.data };
	if (options.returnType !== 'binary') return { json, pairedItem: { item: itemIndex } };

	const binary: Record<string, IBinaryData> = {};
	for (const kind of RESULT_KINDS) {
		const streamed = result.streamed?.kind === kind ? result.streamed.bytes : undefined;
		if (!streamed && typeof json[kind] !== 'string') continue;
		const bytes =
			streamed ?? (await fetchResultBytes.call(this, transport, kind, json, options, itemIndex));
		const imageKind = sniffImageKind(bytes);
		if (!imageKind) {
			throw apiError(
				this.getNode(),
				{
					message: `PicWish returned a ${kind} that is not a picture`,
					description: 'Run the item again; if it keeps happening, use Return Type "URL" and check the link.',
					state: Number(json.state),
					taskId: json.task_id,
				},
				itemIndex,
			);
		}
		// A base64 payload now lives in the binary data; a URL stays, it is small and useful.
		if (!isUrl(json[kind])) delete json[kind];
		const extension = imageKind === 'jpg' ? 'jpg' : imageKind;
		const fileName = `${options.baseFileName}${kind === 'mask' ? '-mask' : ''}.${extension}`;
		const property = kind === 'mask' ? options.maskBinaryPropertyName : options.outputBinaryPropertyName;
		binary[property] = await this.helpers.prepareBinaryData(bytes, fileName, mimeTypeOf(imageKind));
	}
	if (Object.keys(binary).length === 0) {
		throw apiError(
			this.getNode(),
			{
				message: 'PicWish finished the task but sent no picture',
				description: 'Run the item again. If it keeps happening, contact PicWish support with the task ID.',
				state: Number(json.state),
				taskId: json.task_id,
			},
			itemIndex,
		);
	}
	return { json, binary, pairedItem: { item: itemIndex } };
}
