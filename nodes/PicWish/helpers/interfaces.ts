import type { IDataObject } from 'n8n-workflow';

export type InputSource = 'binary' | 'url';
export type ProcessingMode = 'sync' | 'async';
export type SegmentationType = 'auto' | 'person' | 'object' | 'stamp';
export type OutputType = 'image' | 'mask' | 'imageAndMask';
export type ReturnType = 'binary' | 'url' | 'base64';
export type ImageFormat = 'png' | 'jpg';

/** API `return_type`: 1 download URL, 2 base64, 3 raw bytes (sync only). */
export type ApiReturnType = 1 | 2 | 3;

/** The options collection, with defaults filled in. */
export interface PicWishOptions {
	outputBinaryPropertyName: string;
	maskBinaryPropertyName: string;
	waitForCompletion: boolean;
	pollIntervalMs: number;
	timeoutSeconds: number;
	maxRequestsPerSecond: number;
	maxRetries: number;
	requestTimeoutSeconds: number;
	/** PicWish calls this URL when the task ends; the node then returns the created task at once. */
	callbackUrl?: string;
}

/**
 * What a task looks like in the API's `data` object (snake_case, as the API sends it). Result fields
 * (`image`, `mask`, `file`, `class_masks`, …) differ by endpoint and may be "", null or missing.
 */
export interface TaskData extends IDataObject {
	task_id?: string;
	state?: number;
	state_detail?: string;
	progress?: number;
	output_type?: number;
	return_type?: number;
}

/** The API's JSON envelope: `{ status, message, data }`. */
export interface ApiEnvelope {
	status?: number;
	message?: string;
	data?: TaskData;
}

/** One HTTP answer, body kept as bytes so JSON and image streams are handled alike. */
export interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: Buffer;
}

/** A task: its data, plus the picture's bytes when the API streamed them (return_type 3). */
export interface TaskResult {
	data: TaskData;
	streamed?: Buffer;
}
