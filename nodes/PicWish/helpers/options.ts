/** The options collection with its defaults, checked once per item. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputError } from './errors';
import type { PicWishOptions } from './interfaces';

export const DEFAULT_OPTIONS: PicWishOptions = {
	outputBinaryPropertyName: 'data',
	maskBinaryPropertyName: 'mask',
	waitForCompletion: true,
	pollIntervalMs: 1000,
	timeoutSeconds: 60,
	maxRequestsPerSecond: 2,
	maxRetries: 4,
	requestTimeoutSeconds: 60,
};

const NUMBER_LIMITS: Array<[keyof PicWishOptions, string, number]> = [
	['pollIntervalMs', 'Poll Interval (Ms)', 200],
	['timeoutSeconds', 'Timeout (Seconds)', 1],
	['maxRequestsPerSecond', 'Max Requests per Second', 0.1],
	['maxRetries', 'Max Retries', 0],
	['requestTimeoutSeconds', 'Request Timeout (Seconds)', 1],
];

export function readOptions(this: IExecuteFunctions, itemIndex: number): PicWishOptions {
	const given = (this.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
	// Queue-mode workers may hand unset values as null: those take the default.
	const set = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== null && value !== undefined));
	const options = { ...DEFAULT_OPTIONS, ...set } as PicWishOptions;
	for (const [key, label, minimum] of NUMBER_LIMITS) {
		const value = Number(options[key]);
		if (!Number.isFinite(value) || value < minimum) {
			throw inputError(
				this.getNode(),
				`The option "${label}" must be a number of at least ${minimum}, not "${String(options[key])}"`,
				'Fix the value under Options, or remove the option to use its default.',
				itemIndex,
			);
		}
		(options[key] as number) = value;
	}
	options.maxRetries = Math.min(10, Math.floor(options.maxRetries));
	for (const [key, label] of [
		['outputBinaryPropertyName', 'Output Field'],
		['maskBinaryPropertyName', 'Mask Output Field'],
	] as const) {
		options[key] = String(options[key] ?? '').trim();
		if (!options[key]) {
			throw inputError(this.getNode(), `The option "${label}" is empty`, 'Enter a binary property name such as "data", or remove the option.', itemIndex);
		}
	}
	options.callbackUrl = String(options.callbackUrl ?? '').trim() || undefined;
	return options;
}
