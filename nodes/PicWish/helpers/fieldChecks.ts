/** Checks for operation fields: a value outside its documented range stops the item, naming the field. */
import type { Params } from '../engine/spec';

/** A number field within [min, max] (an integer when `integer`), or the item stops. */
export function numberIn(
	p: Params,
	name: string,
	label: string,
	range: { min: number; max: number; fallback: number; integer?: boolean; exclusiveMin?: boolean },
): number {
	const raw = p.get<unknown>(name, range.fallback);
	const value = typeof raw === 'string' && raw.trim() === '' ? range.fallback : Number(raw);
	const belowMin = range.exclusiveMin ? value <= range.min : value < range.min;
	if (!Number.isFinite(value) || belowMin || value > range.max || (range.integer && !Number.isInteger(value))) {
		const lower = range.exclusiveMin ? `more than ${range.min}` : `${range.min}`;
		p.fail(
			`The field "${label}" must be ${range.integer ? 'a whole number' : 'a number'} from ${lower} to ${range.max}, not "${String(raw).slice(0, 40)}"`,
			`Enter a value between ${lower} and ${range.max}.`,
		);
	}
	return value;
}

/** A text field of at most `max` characters (trimmed); empty gives undefined unless `required`. */
export function textUpTo(p: Params, name: string, label: string, max: number, required = false): string | undefined {
	const value = String(p.get(name, '') ?? '').trim();
	if (!value) {
		if (required) p.fail(`The field "${label}" is empty`, `Enter the ${label.toLowerCase()}, or map it from an earlier node.`);
		return undefined;
	}
	if (value.length > max) {
		p.fail(`The field "${label}" is ${value.length} characters long, over PicWish's limit of ${max}`, `Shorten it to ${max} characters or fewer.`);
	}
	return value;
}
