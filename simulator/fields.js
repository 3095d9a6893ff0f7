// Field validation for create requests: every invalid field is a 400 with a message naming it.

class BadRequest extends Error {}

const fail = (message) => {
	throw new BadRequest(message);
};

const given = (value) => value !== undefined && value !== '';

/** Readers over the multipart fields; each returns the fallback when the field is absent or empty. */
function reader(fields) {
	return {
		has: (name) => given(fields[name]),
		raw: (name) => fields[name],
		/** An integer from a list of allowed values. */
		choice(name, allowed, fallback) {
			if (!given(fields[name])) return fallback;
			const value = Number(fields[name]);
			if (!allowed.includes(value)) fail(`Invalid ${name}: ${fields[name]} (allowed: ${allowed.join(', ')})`);
			return value;
		},
		/** A string from a list of allowed values (case-sensitive). */
		oneOf(name, allowed, fallback) {
			if (!given(fields[name])) return fallback;
			if (!allowed.includes(fields[name])) fail(`Invalid ${name}: ${fields[name]} (allowed: ${allowed.join(', ')})`);
			return fields[name];
		},
		/** A number in [min, max] (exclusiveMin: (min, max]); integer: whole numbers only. */
		number(name, min, max, fallback, { integer = false, exclusiveMin = false } = {}) {
			if (!given(fields[name])) return fallback;
			const text = String(fields[name]).trim();
			const value = Number(text);
			const okNumber = text !== '' && Number.isFinite(value) && (!integer || Number.isInteger(value));
			const inRange = exclusiveMin ? value > min && value <= max : value >= min && value <= max;
			if (!okNumber || !inRange) {
				fail(`Invalid ${name}: ${fields[name]} (${integer ? 'a whole number' : 'a number'} ${exclusiveMin ? `over ${min} and up to ${max}` : `from ${min} to ${max}`})`);
			}
			return value;
		},
		/** A string of at most max characters. */
		text(name, max, fallback) {
			if (!given(fields[name])) return fallback;
			if (fields[name].length > max) fail(`${name} is too long: ${fields[name].length} characters, at most ${max}`);
			return fields[name];
		},
		hexColor(name) {
			if (!given(fields[name])) return undefined;
			if (!/^[0-9a-fA-F]{6}$/.test(fields[name])) fail(`Invalid ${name}: use 6 hex digits like ffffff`);
			return fields[name].toLowerCase();
		},
	};
}

module.exports = { BadRequest, fail, given, reader };
