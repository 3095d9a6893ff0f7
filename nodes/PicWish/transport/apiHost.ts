/**
 * Where the API lives for this execution. The only function here that reads the credential; it
 * sends nothing (requests go through httpRequestWithAuthentication, which adds the key itself).
 */
import { NodeOperationError } from 'n8n-workflow';

import { API_HOSTS } from '../../../credentials/PicWishApi.credentials';
import type { ApiContext } from './index';
import { shareKey } from './pacer';

export interface ApiHost {
	baseUrl: string;
	/** Identifies the key (not its value) so that executions using one key share one pacer. */
	keyId: string;
	/** The credential's "n8n processes sharing this key": the pacer's starting share (1 = on its own). */
	sharedProcesses: number;
}

export async function resolveApiHost(this: ApiContext): Promise<ApiHost> {
	const credentials = await this.getCredentials('picWishApi');
	const region = String(credentials.region ?? 'global');
	const raw = region === 'custom' ? String(credentials.baseUrl ?? '') : API_HOSTS[region];
	const baseUrl = (raw ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^\s/]+/i.test(baseUrl)) {
		throw new NodeOperationError(
			this.getNode(),
			`The PicWish credential's Base URL "${raw ?? ''}" is not an http(s) URL`,
			{ description: 'Open the PicWish API credential and set Region, or a Base URL like https://techhk.aoscdn.com.' },
		);
	}
	const credentialId = this.getNode().credentials?.picWishApi?.id ?? 'default';
	const keyId = `${baseUrl}|${credentialId}`;
	// Saved before the field existed (undefined) or emptied (null, ''): one process.
	const shared = Math.floor(Number(credentials.sharedProcesses ?? 1));
	const sharedProcesses = Number.isFinite(shared) && shared >= 1 ? Math.min(shared, 100) : 1;
	// pacerFor(keyId, qps) picks it up even where the caller does not pass it along.
	shareKey(keyId, sharedProcesses);
	return { baseUrl, keyId, sharedProcesses };
}
