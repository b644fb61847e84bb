/**
 * Member-field writes through the Marketo API from a burst of webhook deliveries (issue 14): the
 * option beside SpotMe's Response Mapping guide. Concurrent executions writing member fields of the
 * same program share members.json calls (up to 300 members each) instead of one call per delivery;
 * each execution gets its own member's result, and a lead Marketo refuses (not a member, 1013) fails
 * only its own execution. Runs through n8n-core's webhook path (executions in mode "webhook").
 */
import type { IDataObject } from 'n8n-workflow';

import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { serveBehindMarketoTrigger } from '../../dev/harness/webhook';
import { callsTo, credentialsFor, LOGIN_URL_MEMBER_FIELD, startEmulator } from './setup';

const PROGRAM = 1001;
const SECRET = 'member-burst-secret-0123456789';

describe('member-field writes from concurrent webhook executions', () => {
	let emu: MarketoEmulator;
	let leads: number[];
	beforeAll(async () => {
		emu = await startEmulator({
			seed: {
				programMemberFields: [LOGIN_URL_MEMBER_FIELD],
				programs: [{ id: PROGRAM, name: '2026 Spring Summit', channel: 'Live Event' }],
				leads: Array.from({ length: 30 }, (_, i) => ({ email: `burst${i}@example.com` })),
			},
		});
		leads = [...emu.state.leads.values()].map((l) => l.id);
		// Every lead but the 8th is a member; Marketo skips a non-member with 1013.
		emu.seed({
			members: leads
				.filter((_, k) => k !== 7)
				.map((leadId) => ({ programId: PROGRAM, leadId, statusName: 'Registered' })),
		});
	});
	afterAll(async () => await emu.stop());

	it('30 concurrent deliveries share members.json calls (under half as many as deliveries), each answer is its own member, a non-member fails only its own execution', async () => {
		const { credentialsHelper, credentials } = credentialsFor(emu);
		const served = await serveBehindMarketoTrigger(
			{
				name: 'Member Field',
				type: 'n8n-nodes-marketo-spotme.marketo',
				credentials,
				parameters: {
					resource: 'programMember',
					operation: 'updateFields',
					programId: { __rl: true, mode: 'id', value: String(PROGRAM) },
					leadId: '={{ $json.fields.leadId }}',
					memberFields: {
						field: [{ name: 'spotmeLoginUrl', value: '={{ $json.fields.url }}' }],
					},
				},
			},
			SECRET,
			credentialsHelper,
		);
		try {
			const path = `/rest/v1/programs/${PROGRAM}/members.json`;
			const before = callsTo(emu, path);
			const answers = await Promise.all(
				leads.map(async (leadId) => {
					const res = await fetch(served.url, {
						method: 'POST',
						headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
						body: JSON.stringify({ leadId, url: `https://events.spotme.com/l/${leadId}` }),
					});
					return { leadId, status: res.status, body: (await res.json()) as IDataObject };
				}),
			);
			// One call per delivery before (30); shared calls now.
			expect(callsTo(emu, path) - before).toBeLessThan(leads.length / 2);
			for (const a of answers) {
				const member = emu.state.members.get(PROGRAM)?.get(a.leadId);
				if (a.leadId === leads[7]) {
					expect({ status: a.status, member }).toEqual({ status: 500, member: undefined });
					continue;
				}
				expect({
					status: a.status,
					leadId: a.body.leadId,
					url: a.body.spotmeLoginUrl,
					result: a.body.status,
					stored: member?.spotmeLoginUrl,
				}).toEqual({
					status: 200,
					leadId: a.leadId,
					url: `https://events.spotme.com/l/${a.leadId}`,
					result: 'updated',
					stored: `https://events.spotme.com/l/${a.leadId}`,
				});
			}
		} finally {
			await served.close();
		}
	});
});
