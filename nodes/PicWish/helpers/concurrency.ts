/**
 * Runs one async job per item with at most `limit` in flight, keeping results in item order.
 * With `stopOnError`, no new item starts after a failure (those items stay `undefined`).
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function mapWithConcurrency<T>(
	count: number,
	limit: number,
	job: (index: number) => Promise<T>,
	stopOnError = false,
): Promise<Array<Outcome<T> | undefined>> {
	const outcomes: Array<Outcome<T> | undefined> = new Array<Outcome<T> | undefined>(count);
	let next = 0;
	let stopped = false;
	const worker = async (): Promise<void> => {
		while (!stopped && next < count) {
			const index = next++;
			try {
				outcomes[index] = { ok: true, value: await job(index) };
			} catch (error) {
				outcomes[index] = { ok: false, error };
				if (stopOnError) stopped = true;
			}
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, async () => await worker());
	await Promise.all(workers);
	return outcomes;
}
