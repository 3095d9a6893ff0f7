/**
 * When and how long to wait before sending a request again: 429, 5xx and network failures are
 * retried with exponential backoff and full jitter; `Retry-After` wins when the server sends one.
 */

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

/** Status codes worth another try: rate limiting and server-side failures. 4xx never heal by waiting. */
export function isRetryableStatus(statusCode: number): boolean {
	return statusCode === 429 || statusCode >= 500;
}

/** `Retry-After` in seconds or as an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 120_000);
	const date = Date.parse(String(text));
	if (Number.isNaN(date)) return undefined;
	return Math.min(Math.max(0, date - now), 120_000);
}

/** Delay before retry number `attempt` (1 = first retry): full jitter over an exponential ceiling. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
	const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Full jitter: a wait drawn uniformly from [0, capMs], so clients refused together come back apart. */
export function fullJitter(capMs: number, random: () => number = Math.random): number {
	return capMs > 0 ? Math.round(random() * capMs) : 0;
}
