/** Remove Background: send one item's picture, wait (sync or by polling), return the result. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { readTaskResponse, isFinalState } from '../helpers/apiResponse';
import { asNodeError, inputError, RETRYABLE_STATES } from '../helpers/errors';
import { readBinaryInput, validateImageUrl } from '../helpers/input';
import type {
	ImageFormat,
	OutputType,
	ProcessingMode,
	ReturnType,
	SegmentationType,
	TaskResult,
} from '../helpers/interfaces';
import { readOptions } from '../helpers/options';
import { readTask, waitForTask } from '../helpers/polling';
import { buildSegmentationFields, normalizeHexColor, OUTPUT_TYPE_CODES } from '../helpers/requestFields';
import type { ImageSource, SegmentationSettings } from '../helpers/requestFields';
import { baseNameOf, buildResultItem } from '../helpers/results';
import { apiRequest, SEGMENTATION_PATH } from '../transport';
import type { Transport } from '../transport';
import { buildMultipart } from '../transport/multipart';

export { removeBackgroundFields as description } from './removeBackground.description';

function readSettings(this: IExecuteFunctions, itemIndex: number): SegmentationSettings {
	const format = this.getNodeParameter('format', itemIndex, 'png') as ImageFormat;
	const settings: SegmentationSettings = {
		processingMode: this.getNodeParameter('processingMode', itemIndex, 'sync') as ProcessingMode,
		segmentationType: this.getNodeParameter('segmentationType', itemIndex, 'auto') as SegmentationType,
		outputType: this.getNodeParameter('outputType', itemIndex, 'image') as OutputType,
		returnType: this.getNodeParameter('returnType', itemIndex, 'binary') as ReturnType,
		crop: this.getNodeParameter('crop', itemIndex, false) as boolean,
		format,
	};
	if (format === 'jpg') {
		const raw = String(this.getNodeParameter('backgroundColor', itemIndex, '') ?? '');
		if (raw.trim()) {
			const color = normalizeHexColor(raw);
			if (!color) {
				throw inputError(
					this.getNode(),
					`The field "Background Color" is not a colour: "${raw.slice(0, 40)}"`,
					'Use a hex colour such as #FFFFFF (white) or #FF0000 (red); the # is optional.',
					itemIndex,
				);
			}
			settings.backgroundColor = color;
		}
	}
	return settings;
}

async function createTask(
	this: IExecuteFunctions,
	transport: Transport,
	settings: SegmentationSettings,
	image: ImageSource,
	itemIndex: number,
): Promise<TaskResult> {
	const { body, contentType } = buildMultipart(buildSegmentationFields(settings, image));
	const response = await apiRequest.call(
		this,
		transport,
		{ method: 'POST', path: SEGMENTATION_PATH, body, contentType },
		itemIndex,
	);
	const result = readTaskResponse(this.getNode(), response, itemIndex, {
		streamedKind: settings.outputType === 'mask' ? 'mask' : 'image',
	});
	// A streamed picture comes without the task's data: say what it is, in the API's words.
	if (result.streamed) result.data.output_type = OUTPUT_TYPE_CODES[settings.outputType];
	return result;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	transport: Transport,
): Promise<INodeExecutionData> {
	const options = readOptions.call(this, itemIndex);
	const settings = readSettings.call(this, itemIndex);
	if (
		settings.returnType === 'binary' &&
		settings.outputType === 'imageAndMask' &&
		options.outputBinaryPropertyName === options.maskBinaryPropertyName
	) {
		throw inputError(
			this.getNode(),
			`"Output Field" and "Mask Output Field" are both "${options.outputBinaryPropertyName}"`,
			'The mask would overwrite the image. Give them different names under Options.',
			itemIndex,
		);
	}

	let image: ImageSource;
	let sourceName: string | undefined;
	if (this.getNodeParameter('inputSource', itemIndex, 'binary') === 'url') {
		const url = validateImageUrl.call(this, itemIndex, String(this.getNodeParameter('imageUrl', itemIndex, '')));
		image = { url };
		sourceName = url;
	} else {
		const propertyName = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
		const input = await readBinaryInput.call(this, itemIndex, propertyName);
		image = { file: input.file };
		sourceName = input.fileName;
	}

	const run = async (): Promise<TaskResult> => {
		const startedAt = Date.now();
		const created = await createTask.call(this, transport, settings, image, itemIndex);
		const taskId = created.data.task_id;
		if (isFinalState(created.data.state) || created.streamed) return created;
		if (!taskId) return created;
		if (settings.processingMode === 'async' && !options.waitForCompletion) return created;
		return await waitForTask.call(this, transport, taskId, options, itemIndex, { startedAt });
	};

	let result: TaskResult;
	try {
		result = await run();
	} catch (error) {
		// -2 (storing failed) and -8 (timed out) are PicWish's own hiccups: one new task may succeed.
		const state = error instanceof NodeApiError ? error.context.state : undefined;
		if (typeof state !== 'number' || !RETRYABLE_STATES.has(state)) {
			throw asNodeError(this.getNode(), error, itemIndex);
		}
		result = await run();
	}

	if (!isFinalState(result.data.state) && !result.streamed) {
		return { json: result.data, pairedItem: { item: itemIndex } };
	}
	const taskId = result.data.task_id;
	return await buildResultItem.call(
		this,
		transport,
		result,
		{
			returnType: settings.returnType,
			outputBinaryPropertyName: options.outputBinaryPropertyName,
			maskBinaryPropertyName: options.maskBinaryPropertyName,
			baseFileName: baseNameOf(sourceName, taskId ? `picwish-${taskId}` : 'picwish'),
			refresh: taskId ? async () => await readTask.call(this, transport, taskId, itemIndex) : undefined,
		},
		itemIndex,
	);
}
