/** Colours as the API wants them: six hex digits without `#`. */
import type { Params } from '../engine/spec';

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

/** A colour field → `rrggbb`; empty → undefined (the API's default); anything else stops the item. */
export function readColor(p: Params, name: string, label: string, fallback = ''): string | undefined {
	const raw = String(p.get(name, fallback) ?? '');
	if (!raw.trim()) return undefined;
	const color = normalizeHexColor(raw);
	if (!color) {
		p.fail(
			`The field "${label}" is not a colour: "${raw.slice(0, 40)}"`,
			'Use a hex colour such as #FFFFFF (white) or #FF0000 (red); the # is optional.',
		);
	}
	return color;
}
