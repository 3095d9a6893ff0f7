/** A stand-in for one item's parameters (engine/spec.ts Params), for testing operation mappings. */
import type { Params } from '../../nodes/PicWish/engine/spec';
import type { FilePart } from '../../nodes/PicWish/transport/multipart';

export class FieldError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

export function fakeParams(values: Record<string, unknown> = {}, files: Record<string, FilePart> = {}): Params {
	return {
		itemIndex: 0,
		get<T>(name: string, fallback: T): T {
			const value = values[name];
			return (value === undefined || value === null ? fallback : value) as T;
		},
		fail(message: string, description: string): never {
			throw new FieldError(message, description);
		},
		async binaryFile(propertyName: string, fieldLabel: string): Promise<FilePart> {
			const file = files[propertyName];
			if (!file) throw new FieldError(`no binary property "${propertyName}" (field "${fieldLabel}")`, '');
			return file;
		},
		url(value: string, fieldLabel: string): string {
			if (!/^https?:\/\//.test(value)) throw new FieldError(`The field "${fieldLabel}" is not a valid URL`, '');
			return value;
		},
	} as Params;
}
