/**
 * Shared set-up for SpotMe engine tests: an emulator with time scaled ×0.01 (SpotMe's 1 s rate
 * window lasts 10 ms), and a credential whose client throttle matches (300 requests/s, burst 5).
 */
import {
	startSpotMeEmulator,
	type SpotMeEmulator,
	type SpotMeEmulatorOptions,
} from '../../dev/emulators/spotme';
import { TestCredentialsHelper } from '../../dev/harness/engine';

export const TIME_SCALE = 0.01;

export async function startScaledSpotMe(opts: SpotMeEmulatorOptions = {}): Promise<SpotMeEmulator> {
	return await startSpotMeEmulator({ timeScale: TIME_SCALE, ...opts });
}

export function spotMeCredentials(emu: SpotMeEmulator, extra: Record<string, unknown> = {}) {
	const helper = new TestCredentialsHelper();
	const ref = helper.add('spotMeApi', {
		apiToken: emu.token,
		baseUrl: emu.apiUrl,
		organizationId: 'org-1',
		requestsPerSecond: 3 / TIME_SCALE,
		burst: 5,
		...extra,
	} as never);
	return { credentialsHelper: helper, credentials: { spotMeApi: ref } };
}

export const standardSeed = {
	orgs: [{ id: 'org-1', name: 'Acme Events' }],
	workspaces: [
		{
			id: 'ws-summit',
			orgId: 'org-1',
			name: 'Summit 2026',
			start: '2026-06-01T08:00:00Z',
			end: '2026-06-01T18:00:00Z',
			is_active: true,
			is_test: false,
		},
		{
			id: 'ws-webinar',
			orgId: 'org-1',
			name: 'Spring Webinar',
			start: '2026-03-01T15:00:00Z',
			end: '2026-03-01T16:00:00Z',
			is_active: true,
			is_test: false,
		},
		{ id: 'ws-sandbox', orgId: 'org-1', name: 'Sandbox', is_active: true, is_test: true },
		{ id: 'ws-old', orgId: 'org-1', name: 'Old Summit', is_active: false, is_test: false },
		{ id: 'ws-other-org', orgId: 'org-2', name: 'Someone else', is_active: true, is_test: false },
	],
};

/** The Summit workspace of `standardSeed`, as the Workspace locator's "By ID" value. */
export const summitWorkspace = { __rl: true, mode: 'id', value: 'ws-summit' };

/** Person › Create or Update in the Summit workspace, mapping items shaped `{id, email, first, last}`. */
export function personUpsertParams(extra: Record<string, unknown> = {}) {
	return {
		resource: 'person',
		operation: 'upsert',
		workspaceId: summitWorkspace,
		personId: '={{ $json.id }}',
		email: '={{ $json.email }}',
		fname: '={{ $json.first }}',
		lname: '={{ $json.last }}',
		...extra,
	};
}
