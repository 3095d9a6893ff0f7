/**
 * Node fields → the API's multipart fields. Pure functions: what the UI asks for, in the API's words.
 */
import type { FilePart, FormFields } from '../transport/multipart';
import type {
	ApiReturnType,
	ImageFormat,
	OutputType,
	ProcessingMode,
	ReturnType,
	SegmentationType,
} from './interfaces';

export interface SegmentationSettings {
	processingMode: ProcessingMode;
	segmentationType: SegmentationType;
	outputType: OutputType;
	returnType: ReturnType;
	crop: boolean;
	format: ImageFormat;
	/** Six lowercase hex digits, only for jpg. */
	backgroundColor?: string;
}

export type ImageSource = { file: FilePart } | { url: string };

/** API `output_type`: 1 image and mask, 2 image, 3 mask. */
export const OUTPUT_TYPE_CODES: Record<OutputType, number> = { imageAndMask: 1, image: 2, mask: 3 };

/**
 * The cheapest API return type that gives what was asked for. Binary results come as raw bytes in
 * the same response where the API can (sync, one picture), else as base64 in the JSON (no second
 * download, no expiring link); URLs only when the user wants URLs.
 */
export function chooseApiReturnType(
	returnType: ReturnType,
	outputType: OutputType,
	processingMode: ProcessingMode,
): ApiReturnType {
	if (returnType === 'url') return 1;
	if (returnType === 'base64') return 2;
	return processingMode === 'sync' && outputType !== 'imageAndMask' ? 3 : 2;
}

/**
 * `#FFF`, `fff`, `#FFFFFF`, `ffffff` and n8n's colour picker values become `ffffff`;
 * anything else is `undefined` (the caller reports it).
 */
export function normalizeHexColor(value: string): string | undefined {
	const text = value.trim().replace(/^#/, '');
	if (/^[0-9a-f]{6}$/i.test(text)) return text.toLowerCase();
	if (/^[0-9a-f]{3}$/i.test(text)) {
		return text
			.split('')
			.map((digit) => digit + digit)
			.join('')
			.toLowerCase();
	}
	// The picker may add an alpha channel (#rrggbbaa); a JPG has none, so an opaque one is fine.
	if (/^[0-9a-f]{6}ff$/i.test(text)) return text.slice(0, 6).toLowerCase();
	const rgb = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*1(?:\.0*)?\s*)?\)$/i.exec(text);
	if (rgb) {
		const channels = rgb.slice(1, 4).map(Number);
		if (channels.every((channel) => channel <= 255)) {
			return channels.map((channel) => channel.toString(16).padStart(2, '0')).join('');
		}
	}
	return undefined;
}

export function buildSegmentationFields(settings: SegmentationSettings, image: ImageSource): FormFields {
	const fields: FormFields = {};
	if ('file' in image) fields.image_file = image.file;
	else fields.image_url = image.url;
	fields.sync = settings.processingMode === 'sync' ? '1' : '0';
	// "auto" is the API's default and is expressed by leaving the field out.
	if (settings.segmentationType !== 'auto') fields.type = settings.segmentationType;
	fields.return_type = String(
		chooseApiReturnType(settings.returnType, settings.outputType, settings.processingMode),
	);
	fields.output_type = String(OUTPUT_TYPE_CODES[settings.outputType]);
	fields.crop = settings.crop ? '1' : '0';
	fields.format = settings.format;
	if (settings.format === 'jpg' && settings.backgroundColor) fields.bg_color = settings.backgroundColor;
	return fields;
}
