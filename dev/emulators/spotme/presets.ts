import type { SeedData } from './state';

/**
 * A small demo workspace set for `npm run emulator -- --service spotme --preset spotme`:
 * one organization, a live event, a test and an inactive workspace, and people in each
 * registration state.
 */
export function spotMeDemoSeed(): SeedData {
	return {
		orgs: [{ id: 'org-demo', name: 'Demo Events' }],
		workspaces: [
			{
				id: 'ws-summit',
				orgId: 'org-demo',
				name: 'Customer Summit',
				start: '2026-06-01T08:00:00Z',
				end: '2026-06-01T18:00:00Z',
				format: 'hybrid',
				is_active: true,
				is_test: false,
			},
			{ id: 'ws-sandbox', orgId: 'org-demo', name: 'Sandbox', is_active: true, is_test: true },
			{ id: 'ws-2025', orgId: 'org-demo', name: 'Summit 2025', is_active: false, is_test: false },
		],
		people: [
			{
				workspaceId: 'ws-summit',
				_id: 'ada',
				fname: 'Ada',
				lname: 'Lovelace',
				email: 'ada@example.test',
				company: 'Analytical Engines',
				registration: 'registered',
			},
			{
				workspaceId: 'ws-summit',
				_id: 'alan',
				fname: 'Alan',
				lname: 'Turing',
				email: 'alan@example.test',
				company: 'Bletchley',
				registration: 'invited',
			},
			{
				workspaceId: 'ws-summit',
				_id: 'grace',
				fname: 'Grace',
				lname: 'Hopper',
				email: 'grace@example.test',
				company: 'Navy',
				registration: 'cancelled',
			},
		],
	};
}
