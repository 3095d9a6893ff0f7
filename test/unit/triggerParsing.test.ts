import type { IDataObject } from 'n8n-workflow';

import { clearProcessMemory, MAX_AGE_MS, MAX_ENTRIES, SeenTasks } from '../../nodes/PicWishTrigger/webhook/dedupe';
import { callbackUrlFor, checkSecret, secretProblem } from '../../nodes/PicWishTrigger/webhook/secret';
import { findTaskId } from '../../nodes/PicWishTrigger/webhook/taskId';

const ID = '5d7a8bb7-97aa-4e57-a22d-7620b08ded8e';

describe('trigger secret', () => {
	it('accepts the right secret and refuses a missing (401) or wrong (403) one', () => {
		expect(checkSecret('correct-horse-battery-staple', 'correct-horse-battery-staple')).toEqual({ ok: true });
		expect(checkSecret('correct-horse-battery-staple', undefined)).toMatchObject({ ok: false, status: 401 });
		expect(checkSecret('correct-horse-battery-staple', '')).toMatchObject({ ok: false, status: 401 });
		expect(checkSecret('correct-horse-battery-staple', 'correct-horse-battery-stapl')).toMatchObject({ ok: false, status: 403 });
		expect(checkSecret('correct-horse-battery-staple', ['wrong', 'correct-horse-battery-staple'])).toMatchObject({ ok: false, status: 403 });
	});

	it('refuses every call while the trigger has no secret', () => {
		expect(checkSecret('', 'anything')).toMatchObject({ ok: false, status: 403 });
	});

	it('says why a secret cannot be used: too short, spaces, characters a URL would escape', () => {
		expect(secretProblem('short')).toMatch(/at least 16 characters/);
		expect(secretProblem(' correct-horse-battery-staple')).toMatch(/space/);
		expect(secretProblem('correct horse battery staple')).toMatch(/only letters, digits/);
		expect(secretProblem('correct-horse-battery-staple')).toBeUndefined();
	});

	it('adds the secret to a webhook URL', () => {
		expect(callbackUrlFor('https://n8n.example.com/webhook/abc/picwish', 's3cret-s3cret-s3cret')).toBe(
			'https://n8n.example.com/webhook/abc/picwish?secret=s3cret-s3cret-s3cret',
		);
	});
});

describe('task ID of a callback', () => {
	it('reads the JSON envelope of a task answer', () => {
		expect(findTaskId({ status: 200, message: 'success', data: { task_id: ID, state: 1 } }, {}, 'application/json')).toEqual({ taskId: ID, source: 'json' });
	});

	it('reads a flat JSON object', () => {
		expect(findTaskId({ task_id: ID, state: 1 }, {}, 'application/json; charset=utf-8')).toEqual({ taskId: ID, source: 'json' });
	});

	it('reads an urlencoded form body, and a multipart one whose fields n8n puts under "data"', () => {
		expect(findTaskId({ task_id: ID, state: '1' }, {}, 'application/x-www-form-urlencoded')).toEqual({ taskId: ID, source: 'form' });
		expect(findTaskId({ data: { task_id: ID }, files: {} }, {}, 'multipart/form-data')).toEqual({ taskId: ID, source: 'form' });
	});

	it('reads a JSON text in a form field or a plain-text body', () => {
		expect(findTaskId({ data: JSON.stringify({ task_id: ID, state: 1 }) }, {}, 'application/x-www-form-urlencoded')).toEqual({ taskId: ID, source: 'form' });
		expect(findTaskId(JSON.stringify({ data: { task_id: ID } }), {}, 'text/plain')).toEqual({ taskId: ID, source: 'json' });
	});

	it('takes "id" inside the task data, not at the top of a form', () => {
		expect(findTaskId({ data: { id: ID } }, {})).toEqual({ taskId: ID, source: 'json' });
		expect(findTaskId({ id: 'form-1' }, {})).toBeUndefined();
	});

	it('falls back to the query string', () => {
		expect(findTaskId({}, { secret: 'x', task_id: ID })).toEqual({ taskId: ID, source: 'query' });
		expect(findTaskId(undefined, { taskId: ID })).toEqual({ taskId: ID, source: 'query' });
	});

	it('finds nothing in a call without a task ID', () => {
		expect(findTaskId({ data: { state: 1 } }, { secret: 'x' })).toBeUndefined();
		expect(findTaskId('not json', {})).toBeUndefined();
	});
});

describe('duplicate callbacks', () => {
	beforeEach(() => clearProcessMemory());

	it('lets a task start one run; a redelivery, saved in static data, is refused even in a new process', () => {
		const staticData = {};
		const seen = new SeenTasks(staticData, 'wf:node');
		expect(seen.claim(ID)).toBe(true);
		seen.done(ID);
		expect(seen.claim(ID)).toBe(false);
		clearProcessMemory();
		expect(new SeenTasks(staticData, 'wf:node').claim(ID)).toBe(false);
	});

	it('refuses a twin that arrives while the first call is still reading the task', () => {
		// n8n gives each call its own copy of the static data: the twin cannot see the first call there.
		const first = new SeenTasks({}, 'wf:node');
		const twin = new SeenTasks({}, 'wf:node');
		expect(first.claim(ID)).toBe(true);
		expect(twin.claim(ID)).toBe(false);
	});

	it('lets a task be tried again when the first call did not become a run', () => {
		const seen = new SeenTasks({}, 'wf:node');
		expect(seen.claim(ID)).toBe(true);
		seen.release(ID);
		expect(new SeenTasks({}, 'wf:node').claim(ID)).toBe(true);
	});

	it('keeps trigger nodes apart', () => {
		new SeenTasks({}, 'wf:a').claim(ID);
		expect(new SeenTasks({}, 'wf:b').claim(ID)).toBe(true);
	});

	it('forgets IDs older than a day and the oldest beyond the size bound', () => {
		let now = 1_000_000;
		const staticData: IDataObject = {};
		const limits = { maxEntries: 50, maxAgeMs: MAX_AGE_MS };
		const seen = new SeenTasks(staticData, 'wf:node', () => now, limits);
		seen.claim('old');
		seen.done('old');
		now += MAX_AGE_MS + 1;
		expect(new SeenTasks(staticData, 'wf:other', () => now, limits).claim('old')).toBe(true);
		for (let index = 0; index < 60; index++) {
			now += 1;
			seen.claim(`t${index}`);
			seen.done(`t${index}`);
		}
		const stored = staticData.picWishSeenTasks as Record<string, number>;
		expect(Object.keys(stored)).toHaveLength(50);
		expect(stored.t9).toBeUndefined();
		expect(stored.t10).toBeDefined();
		expect(stored.t59).toBe(now);
		expect(MAX_ENTRIES).toBe(5000);
	});
});
