/**
 * A finished task → the n8n items the user gets. The API's `data` becomes `json` (links repaired,
 * base64 left out once turned into files); results become binary data (right mime type, names from
 * the input), links, or base64 text, as "Return Type" asks. A result field may be a string (link or
 * base64), "" / null / missing (not returned), a list (several pictures) or a map (a mask per part):
 * all are read alike, and only the results the user asked for are required.
 */
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { apiError } from '../helpers/errors';
import { mimeTypeOf, sniffFileKind, sniffImageKind } from '../helpers/imageInfo';
import type { ReturnType, TaskData, TaskResult } from '../helpers/interfaces';
import { downloadResult } from '../transport';
import type { ApiContext, Transport } from '../transport';
import type { ResultSpec } from './spec';
import { isUrl } from './taskData';

export interface ResultOptions {
	returnType: ReturnType;
	outputBinaryPropertyName: string;
	maskBinaryPropertyName: string;
	/** File name without extension, e.g. "photo" for an input "photo.jpg". */
	baseFileName: string;
	/** The results the user asked for: each must be there. */
	wanted: string[];
	/** Several pictures in one field → one item each. */
	itemPerResult?: boolean;
	/** Reads the task again for fresh links when a download link has expired. */
	refresh?: () => Promise<TaskResult>;
}

/** One picture or file of a result field: its value (link or base64) and, in a map, its name. */
interface Entry {
	value: string;
	name?: string;
	/** Where it sits in the task, to find it again in a refreshed task. */
	path: Array<string | number>;
}

const ENTRY_VALUE_KEYS = ['url', 'image', 'file', 'data', 'base64'];

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

/** Every picture/file a result field holds; "", null and missing hold none. */
export function entriesOf(value: unknown, path: Array<string | number>): Entry[] {
	if (typeof value === 'string') return value.trim() ? [{ value: value.trim(), path }] : [];
	if (Array.isArray(value)) return value.flatMap((entry, index) => entriesOf(entry, [...path, index]));
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		const key = ENTRY_VALUE_KEYS.find((name) => typeof record[name] === 'string' && String(record[name]).trim());
		if (key) return entriesOf(record[key], [...path, key]);
		// A map of named results, e.g. class_masks { tops: url, bottoms: url }.
		return Object.entries(record).flatMap(([name, entry]) =>
			entriesOf(entry, [...path, name]).map((found) => ({ ...found, name: found.name ?? name })),
		);
	}
	return [];
}

function valueAt(data: TaskData, path: Array<string | number>): unknown {
	let current: unknown = data;
	for (const key of path) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

function isExpiredLink(outcome: { statusCode: number; body: string }): boolean {
	return outcome.statusCode === 403 || /AccessDenied|Request has expired/i.test(outcome.body);
}

/** The bytes of one entry: decoded base64, or downloaded from the storage host (never with the key). */
async function entryBytes(
	this: ApiContext,
	transport: Transport,
	entry: Entry,
	data: TaskData,
	options: ResultOptions,
	itemIndex: number,
): Promise<Buffer> {
	// Base64 may come bare or as a data URI ("data:image/png;base64,…").
	const value: string = entry.value;
	if (!isUrl(value as unknown)) return Buffer.from(value.replace(/^data:[^,]*,/, ''), 'base64');

	let outcome = await downloadResult.call(this, transport, entry.value, itemIndex);
	if (!outcome.ok && isExpiredLink(outcome) && options.refresh) {
		// Links are signed for one hour; the task may still hand out a fresh one.
		const fresh = entriesOf(valueAt((await options.refresh()).data, entry.path), entry.path)[0];
		if (fresh && isUrl(fresh.value)) outcome = await downloadResult.call(this, transport, fresh.value, itemIndex);
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

const DOCUMENT_TYPES: Record<string, string> = {
	pdf: 'application/pdf',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	zip: 'application/zip',
	txt: 'text/plain',
	json: 'application/json',
};

/** Extension and mime type from the bytes, with the link's extension as a hint for Office files. */
function fileTypeOf(bytes: Buffer, hint: string): { extension: string; mimeType: string } | undefined {
	const image = sniffImageKind(bytes);
	if (image) return { extension: image, mimeType: mimeTypeOf(image) };
	const kind = sniffFileKind(bytes);
	let hinted = '';
	try {
		hinted = isUrl(hint) ? (/\.([a-z0-9]{2,5})$/i.exec(new URL(hint).pathname)?.[1] ?? '').toLowerCase() : '';
	} catch {
		hinted = '';
	}
	if (kind === 'pdf') return { extension: 'pdf', mimeType: DOCUMENT_TYPES.pdf };
	if (kind === 'zip') {
		const extension = ['docx', 'xlsx', 'pptx'].includes(hinted) ? hinted : 'zip';
		return { extension, mimeType: DOCUMENT_TYPES[extension] };
	}
	if (kind === 'ole') return { extension: hinted || 'bin', mimeType: 'application/octet-stream' };
	if (!bytes.includes(0)) {
		const extension = hinted === 'json' ? 'json' : 'txt';
		return { extension, mimeType: DOCUMENT_TYPES[extension] };
	}
	return undefined;
}

/** A binary property name per entry: "data", then "data_2", …; a map's entries as "mask_tops". */
function propertyFor(base: string, entry: Entry, index: number): string {
	if (entry.name) return `${base}_${entry.name.replace(/[^\w-]+/g, '_')}`;
	return index === 0 ? base : `${base}_${index + 1}`;
}

function fileNameFor(options: ResultOptions, spec: ResultSpec, entry: Entry, index: number, extension: string): string {
	const part = entry.name ? `-${entry.name.replace(/[^\p{L}\p{N}_-]+/gu, '_')}` : index > 0 ? `-${index + 1}` : '';
	return `${options.baseFileName}${spec.suffix ?? ''}${part}.${extension}`;
}

function missingResult(this: ApiContext, spec: ResultSpec, data: TaskData, itemIndex: number): never {
	throw apiError(
		this.getNode(),
		{
			message: `PicWish finished the task but returned no ${spec.label} (field "${spec.field}" is empty)`,
			description:
				'Run the item again. If it keeps happening, choose an output PicWish returns for this input, or contact PicWish support with the task ID.',
			state: Number(data.state),
			taskId: data.task_id,
		},
		itemIndex,
	);
}

interface Produced {
	json: TaskData;
	binary: Record<string, IBinaryData>;
}

export async function buildResultItems(
	this: ApiContext,
	transport: Transport,
	result: TaskResult,
	specs: ResultSpec[],
	options: ResultOptions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const data = result.data;
	const json: TaskData = { ...data };
	const binary: Record<string, IBinaryData> = {};
	// Several pictures in one field, split into items: [{ json, binary }] per picture.
	let split: Produced[] | undefined;

	for (const spec of specs) {
		const wanted = options.wanted.includes(spec.field);
		const streamed = wanted && result.streamed ? result.streamed : undefined;
		const entries: Entry[] = streamed ? [{ value: '', path: [spec.field] }] : entriesOf(data[spec.field], [spec.field]);
		if (entries.length === 0) {
			if (wanted) missingResult.call(this, spec, data, itemIndex);
			continue;
		}
		if (!wanted) continue;
		const splitting = options.itemPerResult === true && entries.length > 1;
		if (options.returnType === 'url') {
			if (splitting) split = entries.map((entry, index) => ({ json: { ...json, [spec.field]: entry.value, result_index: index }, binary: {} }));
			continue;
		}

		const bytesOf = async (entry: Entry): Promise<Buffer> =>
			streamed ?? (await entryBytes.call(this, transport, entry, data, options, itemIndex));

		if (options.returnType === 'base64') {
			// Base64 stays as PicWish sent it; links (endpoints without base64) and streams are encoded here.
			const encoded: string[] = [];
			for (const entry of entries) {
				encoded.push(isUrl(entry.value) || streamed ? (await bytesOf(entry)).toString('base64') : entry.value);
			}
			if (splitting) {
				split = encoded.map((value, index) => ({ json: { ...json, [spec.field]: value, result_index: index }, binary: {} }));
			} else {
				json[spec.field] = entries.length === 1 && !entries[0].name ? encoded[0] : encoded;
			}
			continue;
		}

		const produced: Array<{ entry: Entry; bytes: Buffer; index: number }> = [];
		for (const [index, entry] of entries.entries()) produced.push({ entry, bytes: await bytesOf(entry), index });

		const files: Array<{ property: string; data: IBinaryData }> = [];
		for (const { entry, bytes, index } of produced) {
			const type = fileTypeOf(bytes, entry.value);
			if (!type || ((spec.kind ?? 'image') === 'image' && !sniffImageKind(bytes))) {
				throw apiError(
					this.getNode(),
					{
						message: `PicWish returned a ${spec.label} that is not a ${(spec.kind ?? 'image') === 'image' ? 'picture' : 'readable file'}`,
						description: 'Run the item again; if it keeps happening, use Return Type "URL" and check the link.',
						state: Number(data.state),
						taskId: data.task_id,
					},
					itemIndex,
				);
			}
			const base = spec.property === 'mask' ? options.maskBinaryPropertyName : options.outputBinaryPropertyName;
			const property = splitting ? base : propertyFor(base, entry, index);
			const fileName = fileNameFor(options, spec, entry, index, type.extension);
			files.push({ property, data: await this.helpers.prepareBinaryData(bytes, fileName, type.mimeType) });
		}
		// A base64 payload now lives in the binary data; links stay, they are small and useful.
		const linked = entries.every((entry) => isUrl(entry.value));
		if (!linked) delete json[spec.field];

		if (splitting) {
			split = files.map((file, index) => ({
				json: { ...json, ...(linked ? { [spec.field]: entries[index].value } : {}), result_index: index },
				binary: { [file.property]: file.data },
			}));
			continue;
		}
		for (const file of files) binary[file.property] = file.data;
	}

	if (split) {
		return split.map((entry) => ({
			json: entry.json,
			...(options.returnType === 'binary' ? { binary: { ...binary, ...entry.binary } } : {}),
			pairedItem: { item: itemIndex },
		}));
	}
	if (options.returnType === 'binary') return [{ json, binary, pairedItem: { item: itemIndex } }];
	return [{ json, pairedItem: { item: itemIndex } }];
}
