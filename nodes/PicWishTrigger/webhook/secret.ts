/**
 * The shared secret that proves a callback comes from a task we created: the Callback URL carries it
 * as `?secret=…`, the trigger compares it with its "Secret" field before anything else happens.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Shorter secrets can be guessed; the editor says so when the workflow is published. */
export const MIN_SECRET_LENGTH = 16;

export type SecretCheck = { ok: true } | { ok: false; status: 401 | 403; reason: string };

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares in constant time (over fixed-length digests), so the answer time says nothing about the secret. */
export function checkSecret(expected: string, given: unknown): SecretCheck {
	const value = Array.isArray(given) ? given[0] : given;
	if (typeof value !== 'string' || value === '') {
		return { ok: false, status: 401, reason: 'The call has no secret: add ?secret=… (the trigger\'s Secret) to the Callback URL' };
	}
	if (!expected || !timingSafeEqual(digest(expected), digest(value))) {
		return { ok: false, status: 403, reason: 'The secret in the call does not match the trigger\'s Secret' };
	}
	return { ok: true };
}

/** Why a Secret cannot be used, or undefined when it can. */
export function secretProblem(secret: string): string | undefined {
	if (secret.trim() !== secret) return 'The Secret starts or ends with a space';
	if (secret.length < MIN_SECRET_LENGTH) {
		return `The Secret must be at least ${MIN_SECRET_LENGTH} characters long (it has ${secret.length})`;
	}
	if (!/^[\w.~-]+$/.test(secret)) {
		return 'The Secret may hold only letters, digits and - _ . ~ (so it needs no escaping in a URL)';
	}
	return undefined;
}

/** The URL to paste into the PicWish node's Callback URL: the webhook URL with the secret added. */
export function callbackUrlFor(webhookUrl: string, secret: string): string {
	const url = new URL(webhookUrl);
	url.searchParams.set('secret', secret);
	return url.toString();
}
