/** Merge Leads (handlers/merge.ts): Marketo's repair for a lead held twice. */
import { startMarketoEmulator, type MarketoEmulator } from '../index';
import { client } from './helpers';

describe('Marketo emulator: Merge Leads', () => {
	let emu: MarketoEmulator;
	let api: ReturnType<typeof client>;
	beforeEach(async () => {
		emu = await startMarketoEmulator({
			seed: {
				leads: [
					{ id: 1, email: 'dup@example.com', firstName: 'Ada' },
					{ id: 2, email: 'dup@example.com', lastName: 'Lovelace', company: 'Engines' },
					{ id: 3, email: 'dup@example.com', firstName: 'Other' },
					{ id: 4, email: 'solo@example.com' },
				],
				programs: [{ id: 1002, name: 'Summit', channel: 'Live Event', folder: 13 }],
				members: [{ programId: 1002, leadId: 2, statusName: 'Registered' }],
			},
		});
		api = client(emu);
	});
	afterEach(async () => await emu.stop());

	const byEmail = async (email: string) =>
		(
			await api.call('GET', '/rest/v1/leads.json', {
				query: {
					filterType: 'email',
					filterValues: email,
					fields: 'id,firstName,lastName,company',
				},
			})
		).body;

	it('merges losers into the winner: winner values kept, empty fields filled, memberships moved, losers gone, activity 32', async () => {
		// A sync by the duplicated key is refused while it is held twice (1007).
		const before = await api.call('POST', '/rest/v1/leads.json', {
			json: {
				action: 'createOrUpdate',
				lookupField: 'email',
				input: [{ email: 'dup@example.com' }],
			},
		});
		expect(before.body.result[0].reasons[0].code).toBe('1007');

		const r = await api.call('POST', '/rest/v1/leads/1/merge.json', { query: { leadIds: '2,3' } });
		expect(r.body).toEqual({ requestId: expect.any(String), success: true });
		const found = await byEmail('dup@example.com');
		expect(found.result).toEqual([
			{ id: 1, firstName: 'Ada', lastName: 'Lovelace', company: 'Engines' },
		]);
		const members = await api.call('GET', '/rest/v1/programs/1002/members.json', {
			query: { filterType: 'leadId', filterValues: '1,2' },
		});
		expect(members.body.result.map((m: { leadId: number }) => m.leadId)).toEqual([1]);
		expect((await api.call('GET', '/rest/v1/lead/2.json')).body.result).toEqual([]);
		const after = await api.call('POST', '/rest/v1/leads.json', {
			json: {
				action: 'createOrUpdate',
				lookupField: 'email',
				input: [{ email: 'dup@example.com' }],
			},
		});
		expect(after.body.result).toEqual([{ id: 1, status: 'updated' }]);
	});

	it('refuses a merge without losers (1003), with a missing lead (1004, nothing merged) or with over 25 losers (1080)', async () => {
		const none = await api.call('POST', '/rest/v1/leads/1/merge.json');
		expect(none.body.errors[0]).toEqual({ code: '1003', message: 'Losing lead ids not specified' });
		const gone = await api.call('POST', '/rest/v1/leads/1/merge.json', {
			query: { leadIds: '2,99' },
		});
		expect(gone.body.errors[0].code).toBe('1004');
		expect((await byEmail('dup@example.com')).result).toHaveLength(3);
		const many = Array.from({ length: 26 }, (_, i) => 100 + i).join(',');
		const tooMany = await api.call('POST', '/rest/v1/leads/1/merge.json', {
			query: { leadIds: many },
		});
		expect(tooMany.body.errors[0].code).toBe('1080');
		const single = await api.call('POST', '/rest/v1/leads/4/merge.json', { query: { leadId: 3 } });
		expect(single.body.success).toBe(true);
	});
});
