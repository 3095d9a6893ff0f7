/**
 * The moment a request leaves. `apiRequest` takes a pacer slot before it hands the request to n8n,
 * but n8n then loads the credential from its database before it sends, and under load (a queue-mode
 * worker starting ten executions at once) that takes up to a second: requests granted one by one
 * would leave together, late for their slots. So `apiRequest` gives each request a ticket, in a
 * header only this package reads, and the credential's `authenticate()` (n8n's last step before it
 * sends) presents it: a slot that is no longer on time goes back to the pacer for a new one.
 * Without the ticket (n8n's credential test, the HTTP Request node with this credential) nothing waits.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { Pacer } from './pacer';

export const TICKET_HEADER = 'X-PicWish-Ticket';

interface Ticket {
	pacer: Pacer;
	slot: number;
}

const tickets = new Map<string, Ticket>();
let nextTicket = 1;

/** A ticket for a request granted `slot` by `pacer`; `redeemTicket` must follow. */
export function issueTicket(pacer: Pacer, slot: number): string {
	const id = String(nextTicket++);
	tickets.set(id, { pacer, slot });
	return id;
}

/** The slot the request left in (a new one if its first was late); forgets the ticket. */
export function redeemTicket(id: string, granted: number): number {
	const ticket = tickets.get(id);
	tickets.delete(id);
	return ticket?.slot ?? granted;
}

/** For the credential's `authenticate()`: removes the ticket header; a late slot waits for a new one. */
export async function presentTicket(options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const headers: IDataObject = { ...(options.headers ?? {}) };
	let id: unknown;
	for (const name of Object.keys(headers)) {
		if (name.toLowerCase() !== TICKET_HEADER.toLowerCase()) continue;
		id = headers[name];
		delete headers[name];
	}
	const ticket = typeof id === 'string' ? tickets.get(id) : undefined;
	if (ticket) ticket.slot = await ticket.pacer.onTime(ticket.slot);
	return { ...options, headers };
}
