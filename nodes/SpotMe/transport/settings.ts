/**
 * What the SpotMe transport reads from the `spotMeApi` credential, with SpotMe's defaults. The
 * credential's own GET /me check reads the base URL and pace from here too, so both agree.
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

export type SpotMeContext = IExecuteFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'spotMeApi';
export const DEFAULT_BASE_URL = 'https://api.spotme.com/api/v2';

export interface SpotMeSettings {
	baseUrl: string;
	organizationId: string;
	/** This process's pace: the credential's, divided by the processes sharing the token. */
	requestsPerSecond: number;
	burst: number;
	laneKey: string;
	/** Queue mode: how many n8n processes share the token's 3 requests/s (the credential says). */
	processes: number;
}

/** How many n8n processes share one token (queue mode: workers, and main if it runs executions). */
export function processesOf(credentials: ICredentialDataDecryptedObject): number {
	const n = Math.floor(Number(credentials.sharingProcesses));
	return Number.isFinite(n) && n > 1 ? n : 1;
}

/** The base URL request URLs are built from: as entered, without trailing slashes. */
export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	return String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** SpotMe allows 3 requests/s per token; the credential may ask for less. */
export function requestsPerSecondOf(credentials: ICredentialDataDecryptedObject): number {
	return Number(credentials.requestsPerSecond) > 0 ? Number(credentials.requestsPerSecond) : 3;
}

export async function getSpotMeSettings(this: SpotMeContext): Promise<SpotMeSettings> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = baseUrlOf(credentials);
	const processes = processesOf(credentials);
	const burst = Number(credentials.burst) >= 1 ? Math.floor(Number(credentials.burst)) : 5;
	const credentialId = this.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? '';
	return {
		baseUrl,
		organizationId: String(credentials.organizationId ?? '').trim(),
		requestsPerSecond: requestsPerSecondOf(credentials) / processes,
		burst: Math.max(1, Math.floor(burst / processes)),
		laneKey: `${credentialId}|${baseUrl}`,
		processes,
	};
}
