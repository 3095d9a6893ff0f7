/**
 * What an operation is, as data the task engine reads: which endpoint, which UI fields become which
 * API fields, what the answer holds, and the endpoint's limits. One operation file exports one spec.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { FilePart } from '../transport/multipart';
import type { TaskData } from '../helpers/interfaces';
import type { FileKind } from '../helpers/imageInfo';

/** How the endpoint runs tasks: both ways (the user picks), or only as async tasks. */
export type ModeSupport = 'syncOrAsync' | 'asyncOnly';

/** The documented limits of an endpoint's input, checked before a request (and a credit) is spent. */
export interface InputLimits {
	/** Kinds the endpoint accepts (sniffed from the bytes). */
	kinds: FileKind[];
	/** The documented size in MB; the check allows the larger reading (MiB), see README "Limits". */
	maxMegabytes: number;
	maxSide?: number;
	minSide?: number;
	/** Newer endpoints document a 512-character limit for `image_url`. */
	maxUrlLength?: number;
}

export interface InputSpec {
	/** Multipart field names: `image_file`/`image_url` almost everywhere, `file`/`url` for watermarks. */
	fileField: string;
	urlField: string;
	limits: InputLimits;
}

/** Reads one item's parameters: nulls (as n8n hands them in queue-mode workers) become the default. */
export interface Params {
	itemIndex: number;
	get(name: string, fallback: string): string;
	get(name: string, fallback: number): number;
	get(name: string, fallback: boolean): boolean;
	get<T>(name: string, fallback: T): T;
	/** Stops the item with an error that names the item and the field. */
	fail(message: string, description: string): never;
	/** An extra file from a binary property (e.g. a mask), checked against `limits`. */
	binaryFile(propertyName: string, fieldLabel: string, limits: InputLimits): Promise<FilePart>;
	/** A URL field, checked as an http(s) address. */
	url(value: string, fieldLabel: string, maxLength?: number): string;
}

export type ApiFields = Record<string, string | FilePart | undefined>;

/** Where one kind of result lives in the task's `data`, and how it becomes a file. */
export interface ResultSpec {
	/** The `data` key: `image`, `mask`, `file`, `class_masks`, … */
	field: string;
	/** Output property: the "Output Field" option (`data`) or the "Mask Output Field" option (`mask`). */
	property: 'output' | 'mask';
	/** Added to the file name: `photo-mask.png`. */
	suffix?: string;
	/** What the user called it, for messages: "cut-out image", "mask", "document". */
	label: string;
	/** Pictures are checked to be pictures; documents and archives are taken as they come. */
	kind?: 'image' | 'document' | 'archive';
}

export interface ResultRequest {
	/** The result fields the user asked for: each must come back, the others may be empty. */
	wanted: string[];
	/** The API `return_type` to send, or undefined when the endpoint has no such field. */
	apiReturnType?: number;
}

export interface OperationSpec {
	/**
	 * The `operation` parameter's value (part of saved workflows: never rename). Its label, description
	 * and action (what an AI agent reads) are in the operation list (actions/versionDescription.ts).
	 */
	name: string;
	/** `POST {path}` creates a task, `GET {path}/{task_id}` reads one. */
	path: string;
	modes: ModeSupport;
	input: InputSpec;
	/** The operation's own UI fields; the registry shows them for this operation only. */
	fields: INodeProperties[];
	/** The operation's fields → API fields. Throws (via `p.fail`) on bad values. */
	apiFields(p: Params): Promise<ApiFields> | ApiFields;
	/** Every result the endpoint can return. */
	results: ResultSpec[];
	/**
	 * Which results this request asks for. `apiReturnTypes` lists the endpoint's `return_type` values;
	 * the engine picks the cheapest one that gives what the user wants.
	 */
	wantedResults(p: Params): string[];
	/** What a streamed answer (return_type 3, bytes without a task) is, in the API's words. */
	describeStreamed?(p: Params): TaskData;
	/** For Get Task: which results a finished task of this endpoint should hold. */
	wantedFromTask?(data: TaskData): string[];
	/** The endpoint's documented `return_type` values (1 URL, 2 base64, 3 bytes, sync only). */
	apiReturnTypes?: number[];
	/** Several pictures in one result field become one output item each (paired with the input). */
	itemPerResult?: boolean;
	/** Default for "Timeout (Seconds)" when the user left it: slow endpoints need more. */
	defaultTimeoutSeconds?: number;
}
