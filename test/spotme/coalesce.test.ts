/**
 * Coalesced writes (issue 14): a burst of webhook executions, each upserting its one person into
 * the same SpotMe workspace, shares SpotMe batch calls instead of one call each; every execution
 * gets its own person's result (login_url, status), and a person SpotMe refuses fails only that
 * person's execution. Runs through n8n-core's webhook path (executions in mode "webhook").
 */
import type { IDataObject } from 'n8n-workflow';

import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import type { WorkflowSpec } from '../../dev/harness/engine';
import { serveBehindMarketoTrigger } from '../../dev/harness/webhook';
import { coalesce } from '../../nodes/shared/kit/coalesce';
import {
	spotMeCredentials,
	standardSeed,
	startScaledSpotMe,
	summitWorkspace,
} from './emulator-setup';

const SECRET = 'coalesce-test-secret-0123456789';

/** SpotMe › Person › Upsert of the delivered lead into the summit workspace, its lead id included. */
const upsertNode = (credentials: WorkflowSpec['nodes'][number]['credentials'], options = {}) => ({
	name: 'Upsert',
	type: 'n8n-nodes-marketo-spotme.spotMe',
	credentials,
	parameters: {
		resource: 'person',
		operation: 'upsert',
		workspaceId: summitWorkspace,
		personId: '={{ "mkto-" + $json.fields.leadId }}',
		email: '={{ $json.fields.email }}',
		fname: '={{ $json.fields.firstName }}',
		lname: 'Burst',
		customFields: {
			field: [{ key: 'marketo_lead_id', value: '={{ $json.fields.leadId }}' }],
		},
		options,
	},
});

describe('coalesced SpotMe writes from concurrent webhook executions', () => {
	let emu: SpotMeEmulator;
	beforeAll(async () => {
		emu = await startScaledSpotMe({ seed: standardSeed, tokens: undefined });
	});
	afterAll(async () => emu.stop());

	it('30 concurrent deliveries share batch calls (under half as many as deliveries), each answer holds its own login_url, and a refused person fails only its own execution', async () => {
		// SpotMe's real pace on the client (3 requests/s, burst 5): one call per delivery would take 10 s.
		const { credentialsHelper, credentials } = spotMeCredentials(emu, { requestsPerSecond: 3 });
		const served = await serveBehindMarketoTrigger(
			upsertNode(credentials),
			SECRET,
			credentialsHelper,
		);
		try {
			const postsBefore = emu
				.requestLog()
				.filter((e) => e.method === 'POST' && /\/global\/docs\/person$/.test(e.path)).length;
			const leads = Array.from({ length: 30 }, (_, i) => 5000 + i);
			const answers = await Promise.all(
				leads.map(async (leadId) => {
					const res = await fetch(served.url, {
						method: 'POST',
						headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
						body: JSON.stringify({
							leadId,
							email: `p${leadId}@example.com`,
							// SpotMe refuses a new person without a first name
							firstName: leadId === 5007 ? '' : `P${leadId}`,
						}),
					});
					return { leadId, status: res.status, body: (await res.json()) as IDataObject };
				}),
			);
			const posts =
				emu
					.requestLog()
					.filter((e) => e.method === 'POST' && /\/global\/docs\/person$/.test(e.path)).length -
				postsBefore;
			// One call per delivery before; shared calls now (how many depends on how the burst spreads
			// over this machine's load, which the benchmark measures).
			expect(posts).toBeLessThan(leads.length / 2);
			for (const a of answers) {
				if (a.leadId === 5007) {
					expect(a.status).toBe(500);
					continue;
				}
				const person = emu.state.getDoc('ws-summit', 'person', `mkto-${a.leadId}`);
				expect({ status: a.status, _id: a.body._id, login_url: a.body.login_url }).toEqual({
					status: 200,
					_id: `mkto-${a.leadId}`,
					login_url: person?.login_url,
				});
				expect(String(person?.marketo_lead_id)).toBe(String(a.leadId));
			}
			expect(emu.state.getDoc('ws-summit', 'person', 'mkto-5007')).toBeUndefined();
		} finally {
			await served.close();
		}
	});
});

describe('a burst with Match Person by Email and a fresh credential', () => {
	let emu: SpotMeEmulator;
	beforeAll(async () => {
		emu = await startScaledSpotMe({
			seed: {
				...standardSeed,
				people: [
					// registered in SpotMe before Marketo sent them: their delivery must update this person
					{
						workspaceId: 'ws-summit',
						_id: 'early-6003',
						fname: 'E',
						lname: 'Early',
						email: 'P6003@example.com',
					},
					{
						workspaceId: 'ws-summit',
						_id: 'early-6011',
						fname: 'E',
						lname: 'Early',
						email: 'p6011@example.com',
					},
				],
			},
			tokens: undefined,
		});
	});
	afterAll(async () => emu.stop());

	it('30 concurrent deliveries read the workspace once per shared call, not once per delivery; people already in SpotMe are matched, each answer is its own, a refused person fails only its own', async () => {
		// A credential never checked (no verifiedFor yet).
		const { credentialsHelper, credentials } = spotMeCredentials(emu, {
			requestsPerSecond: 3,
			apiToken: emu.token,
		});
		const served = await serveBehindMarketoTrigger(
			upsertNode(credentials, { matchByEmail: true }),
			SECRET,
			credentialsHelper,
		);
		try {
			const before = emu.callCounts().byRoute;
			const leads = Array.from({ length: 30 }, (_, i) => 6000 + i);
			const answers = await Promise.all(
				leads.map(async (leadId) => {
					const res = await fetch(served.url, {
						method: 'POST',
						headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
						body: JSON.stringify({
							leadId,
							email: `p${leadId}@example.com`,
							// SpotMe refuses a new person without a first name
							firstName: leadId === 6007 ? '' : `P${leadId}`,
						}),
					});
					return { leadId, status: res.status, body: (await res.json()) as IDataObject };
				}),
			);
			const after = emu.callCounts().byRoute;
			const calls = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
			const reads = calls('POST /workspace/:eid/global/docs/:type/changes/since');
			const writes = calls('POST /workspace/:eid/global/docs/:type');
			// One read of the whole workspace per delivery before (30); now one read of the changes per
			// shared call. The credential is checked once: requests go one at a time per credential, so
			// the first check is stored before the next request reads the credential.
			expect({ me: calls('GET /me'), readsPerWrite: reads <= writes }).toEqual({
				me: 1,
				readsPerWrite: true,
			});
			expect(reads).toBeLessThan(leads.length / 2);
			const early: Record<number, string> = { 6003: 'early-6003', 6011: 'early-6011' };
			for (const a of answers) {
				if (a.leadId === 6007) {
					expect(a.status).toBe(500);
					continue;
				}
				const id = early[a.leadId] ?? `mkto-${a.leadId}`;
				const person = emu.state.getDoc('ws-summit', 'person', id);
				expect({
					status: a.status,
					_id: a.body._id,
					login_url: a.body.login_url,
					requestedId: a.body.requestedId,
					lead: String(person?.marketo_lead_id),
				}).toEqual({
					status: 200,
					_id: id,
					login_url: person?.login_url,
					requestedId: early[a.leadId] ? `mkto-${a.leadId}` : undefined,
					lead: String(a.leadId),
				});
			}
			// Matched people were updated, not created again under the Marketo id.
			expect(emu.state.getDoc('ws-summit', 'person', 'mkto-6003')).toBeUndefined();
			expect(emu.state.getDoc('ws-summit', 'person', 'mkto-6011')).toBeUndefined();
			expect(emu.state.getDoc('ws-summit', 'person', 'mkto-6007')).toBeUndefined();
		} finally {
			await served.close();
		}
	});
});

describe('coalesce (the mechanism)', () => {
	it('groups concurrent callers in arrival order, caps a group at maxRecords, and a failed call fails only its group', async () => {
		const calls: string[][] = [];
		const send = async (all: string[]) => {
			calls.push([...all]);
			if (all.includes('boom')) throw new Error('call failed');
			return all.map((r) => `ok:${r}`);
		};
		const options = { windowMs: 10, maxRecords: 3 };
		const results = await Promise.allSettled(
			['a', 'b', 'c', 'd', 'boom', 'f'].map(async (r) => await coalesce('k', [r], send, options)),
		);
		expect(calls).toEqual([
			['a', 'b', 'c'],
			['d', 'boom', 'f'],
		]);
		expect(results.slice(0, 3)).toEqual([
			{ status: 'fulfilled', value: ['ok:a'] },
			{ status: 'fulfilled', value: ['ok:b'] },
			{ status: 'fulfilled', value: ['ok:c'] },
		]);
		expect(results.slice(3).every((r) => r.status === 'rejected')).toBe(true);
	});
});
