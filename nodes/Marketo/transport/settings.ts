/**
 * What the Marketo transport reads from the `marketoApi` credential: the endpoints, the throttle
 * budget and the timing of retries (the hidden `timeScale` shrinks it for the local emulator only).
 */
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { MarketoEndpointError, resolveMarketoEndpoints, type MarketoEndpoints } from './endpoint';
import type { ThrottleBudget } from './throttle';

export const CREDENTIAL_TYPE = 'marketoApi';

/** Every n8n context that may call Marketo: nodes, triggers, dropdowns, webhooks. */
export type MarketoContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions;

/** Timing of Marketo's windows and of our retries; `timeScale` (hidden credential field) shrinks it for the local emulator only. */
export interface MarketoTiming {
	windowMs: number;
	baseDelayMs: number;
	maxDelayMs: number;
	maxTotalWaitMs: number;
	maxAttempts: number;
	timeoutMs: number;
	/** Marketo time → real time: 1 against Marketo, less for the local emulator (`timeScale`). */
	scale: number;
}

export interface MarketoSettings {
	endpoints: MarketoEndpoints;
	budget: ThrottleBudget;
	timing: MarketoTiming;
	/** Key of the process-wide throttle and upsert locks: one per Marketo instance. */
	instanceKey: string;
	/**
	 * The credential's cap on the day's calls (0 = none) and whose calls count: one API user's (its
	 * email as Marketo's usage report names it) or, when empty, the whole instance's (dailyCap.ts).
	 */
	dailyCap: { calls: number; apiUser: string };
}

function positive(value: unknown, fallback: number): number {
	const n = Number(value);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** True for localhost / 127.x / ::1: where the emulators listen, never a Marketo instance. */
export function isLoopback(url: string): boolean {
	let host: string;
	try {
		host = new URL(url).hostname.toLowerCase();
	} catch {
		return false;
	}
	return (
		host === 'localhost' || host === '[::1]' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
	);
}

export function settingsFromCredentials(
	this: MarketoContext,
	credentials: ICredentialDataDecryptedObject,
): MarketoSettings {
	let endpoints: MarketoEndpoints;
	try {
		endpoints = resolveMarketoEndpoints(credentials.restEndpoint, credentials.identityEndpoint);
	} catch (error) {
		if (error instanceof MarketoEndpointError) {
			throw new NodeOperationError(this.getNode(), error.message, {
				description: 'Fix the REST API Endpoint in the Marketo API credential',
			});
		}
		throw new NodeOperationError(this.getNode(), error as Error);
	}
	// The hidden `timeScale` compresses Marketo's 20 s window for the local emulator. It is honoured only
	// for an endpoint on this machine, so a stray value can never loosen the throttle against real Marketo.
	const scale = isLoopback(endpoints.restUrl) ? positive(credentials.timeScale, 1) : 1;
	// Queue mode: every n8n process (each worker, main if it runs executions) takes its share of the
	// instance's budget; Marketo's 606/615 slow them all down further (throttle.ts).
	const calls = positive(credentials.callsPer20Seconds, 100);
	const concurrent = positive(credentials.maxConcurrentCalls, 10);
	const processes = Math.max(1, Math.floor(positive(credentials.sharingProcesses, 1)));
	return {
		endpoints,
		instanceKey: endpoints.restUrl.toLowerCase(),
		budget: {
			callsPerWindow: Math.max(1, Math.floor(calls / processes)),
			maxConcurrent: Math.max(1, Math.floor(concurrent / processes)),
			windowMs: 20000 * scale,
			share: { processes, callsPerWindow: calls, maxConcurrent: concurrent },
		},
		dailyCap: {
			calls: Math.max(0, Math.floor(Number(credentials.dailyCallCap) || 0)),
			apiUser:
				typeof credentials.dailyCapApiUser === 'string' ? credentials.dailyCapApiUser.trim() : '',
		},
		timing: {
			windowMs: 20000 * scale,
			baseDelayMs: 1000 * scale,
			maxDelayMs: 20000 * scale,
			maxTotalWaitMs: 120000 * scale,
			maxAttempts: 8,
			// Above Marketo's own server time-outs (90-300 s) so its 604 is seen rather than our abort.
			timeoutMs: Math.max(1000, 310000 * scale),
			scale,
		},
	};
}

export async function getMarketoSettings(this: MarketoContext): Promise<MarketoSettings> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	return settingsFromCredentials.call(this, credentials);
}
