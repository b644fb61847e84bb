import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { loadOptions } from '../../dev/harness/engine';
import {
	callsTo,
	credentialsFor,
	LOGIN_URL_MEMBER_FIELD,
	runMarketo,
	startEmulator,
} from './setup';

const PROGRAM = 1001;
const program = (value: string | number = PROGRAM, mode = 'id') => ({
	__rl: true,
	mode,
	value: String(value),
});

describe('Marketo node: Program Member', () => {
	let emu: MarketoEmulator;
	let lead: number[];
	beforeEach(async () => {
		emu = await startEmulator({
			seed: {
				programMemberFields: [LOGIN_URL_MEMBER_FIELD],
				programs: [
					{ id: PROGRAM, name: '2026 Spring Summit', channel: 'Live Event' },
					{ id: 1002, name: 'Newsletter', channel: 'Email Send', type: 'Email' },
				],
				leads: Array.from({ length: 5 }, (_, i) => ({ email: `m${i}@example.com` })),
			},
		});
		lead = [...emu.state.leads.values()].map((l) => l.id);
		emu.seed({ members: [{ programId: PROGRAM, leadId: lead[3], statusName: 'Attended' }] });
	});
	afterEach(async () => await emu.stop());

	const member = (leadId: number, programId = PROGRAM) =>
		emu.state.members.get(programId)?.get(leadId);

	it('set status reads the current statuses first (one call), adds leads with that status in one call, and reports a member already past it as skipped without writing it', async () => {
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'setStatus',
				programId: program(),
				leadId: '={{ $json.id }}',
				statusName: 'Registered',
			},
			[{ id: lead[0] }, { id: lead[3] }, { id: lead[1] }],
			{ continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.paired).toEqual([0, 1, 2]);
		expect(run.json[0]).toMatchObject({
			leadId: lead[0],
			programId: PROGRAM,
			statusName: 'Registered',
			status: 'created',
		});
		expect(run.json[1]).toEqual({
			leadId: lead[3],
			programId: PROGRAM,
			statusName: 'Registered',
			status: 'skipped',
			currentStatus: 'Attended',
			reason:
				'Already "Attended" (step 40), past "Registered" (step 20): statuses only move forward',
		});
		expect(run.json[2]).toMatchObject({ leadId: lead[1], status: 'created' });
		expect(member(lead[0])?.statusName).toBe('Registered');
		expect(member(lead[1])?.statusName).toBe('Registered');
		expect(member(lead[3])?.statusName).toBe('Attended');
		expect(callsTo(emu, `/rest/v1/programs/${PROGRAM}/members.json`)).toBe(1);
		expect(callsTo(emu, `/rest/v1/programs/${PROGRAM}/members/status.json`)).toBe(1);
		const sent = emu
			.requestLog()
			.filter((e) => e.path === `/rest/v1/programs/${PROGRAM}/members/status.json`);
		expect(JSON.stringify(sent)).not.toContain(`"leadId":${lead[3]}`);
	});

	it('in a channel where No Show and Attended share a step (Marketo allows same-step moves), Attended is never replaced by No Show; a same-step move is sent only for a pair the user allows; reads go 300 members per call', async () => {
		emu.seed({
			channels: [
				{
					name: 'Flat Webinar',
					applicableProgramType: 'event',
					progressionStatuses: [
						{ name: 'Not in Program', step: 0, success: false },
						{ name: 'Registered', step: 20, success: false },
						{ name: 'No Show', step: 40, success: false },
						{ name: 'Attended', step: 40, success: true },
						{ name: 'Attended On-demand', step: 40, success: true },
					],
				},
			],
			programs: [{ id: 1003, name: 'Flat', channel: 'Flat Webinar' }],
			leads: Array.from({ length: 301 }, (_, i) => ({ email: `flat${i}@example.com` })),
		} as never);
		const flat = [...emu.state.leads.values()]
			.filter((l) => String(l.email).startsWith('flat'))
			.map((l) => l.id);
		emu.seed({
			members: [
				{ programId: 1003, leadId: flat[0], statusName: 'Attended' },
				{ programId: 1003, leadId: flat[1], statusName: 'Attended On-demand' },
			],
		} as never);
		const setStatus = (items: Array<{ id: number; status: string }>, options = {}) =>
			runMarketo(
				emu,
				{
					resource: 'programMember',
					operation: 'setStatus',
					programId: program(1003),
					leadId: '={{ $json.id }}',
					statusName: '={{ $json.status }}',
					options,
				},
				items,
			);
		const noShow = await setStatus(flat.map((id) => ({ id, status: 'No Show' })));
		expect(noShow.error).toBeUndefined();
		expect(emu.state.members.get(1003)?.get(flat[0])?.statusName).toBe('Attended');
		expect(emu.state.members.get(1003)?.get(flat[1])?.statusName).toBe('Attended On-demand');
		expect(emu.state.members.get(1003)?.get(flat[2])?.statusName).toBe('No Show');
		expect(noShow.json[0]).toMatchObject({
			leadId: flat[0],
			status: 'skipped',
			currentStatus: 'Attended',
			reason: expect.stringContaining('shares step 40 with "No Show"'),
		});
		expect(noShow.json.filter((j) => j.status === 'skipped')).toHaveLength(2);
		expect(callsTo(emu, '/rest/v1/programs/1003/members.json')).toBe(2); // 301 leads: 300 + 1

		const allowed = await setStatus(
			[
				{ id: flat[0], status: 'No Show' },
				{ id: flat[1], status: 'Attended' },
			],
			{ sameStepMoves: 'Attended On-demand -> Attended' },
		);
		expect(allowed.error).toBeUndefined();
		expect(allowed.json.map((j) => j.status)).toEqual(['skipped', 'updated']);
		expect(emu.state.members.get(1003)?.get(flat[0])?.statusName).toBe('Attended');
		expect(emu.state.members.get(1003)?.get(flat[1])?.statusName).toBe('Attended');

		// Nothing to move: no write at all.
		const writes = callsTo(emu, '/rest/v1/programs/1003/members/status.json');
		const again = await setStatus([{ id: flat[1], status: 'Attended' }]);
		expect(again.json[0]).toMatchObject({ status: 'skipped', reason: 'Already "Attended"' });
		expect(callsTo(emu, '/rest/v1/programs/1003/members/status.json')).toBe(writes);

		const bad = await setStatus([{ id: flat[0], status: 'Attended' }], {
			sameStepMoves: 'Attended',
		});
		expect(bad.error?.message).toBe('"Attended" in "Allowed Same-Step Moves" is not a move');
	});

	it("set status with a status that is not in the program's channel is bad input naming the field and the valid statuses; nothing is sent", async () => {
		const run = await runMarketo(emu, {
			resource: 'programMember',
			operation: 'setStatus',
			programId: program(),
			leadId: String(lead[0]),
			statusName: 'Influenced',
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toContain('"Influenced" in "Status"');
		expect(run.error?.message).toContain('Live Event');
		expect(run.error?.description).toContain('Registered');
		expect(callsTo(emu, `/rest/v1/programs/${PROGRAM}/members/status.json`)).toBe(0);
		expect(member(lead[0])).toBeUndefined();
	});

	it('set status finds the program by name and groups items by status, each item still paired with its input', async () => {
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'setStatus',
				programId: program('2026 Spring Summit', 'name'),
				leadId: '={{ $json.id }}',
				statusName: '={{ $json.status }}',
			},
			[
				{ id: lead[0], status: 'Invited' },
				{ id: lead[1], status: 'Attended' },
				{ id: lead[2], status: 'Invited' },
			],
		);
		expect(run.error).toBeUndefined();
		expect(run.paired).toEqual([0, 1, 2]);
		expect(run.json.map((j) => j.statusName)).toEqual(['Invited', 'Attended', 'Invited']);
		expect(member(lead[1])?.statusName).toBe('Attended');
		expect(member(lead[2])?.statusName).toBe('Invited');
		expect(callsTo(emu, `/rest/v1/programs/${PROGRAM}/members/status.json`)).toBe(2);
		expect(callsTo(emu, '/rest/asset/v1/program/byName.json')).toBe(1);
	});

	it("the status dropdown lists the program's channel statuses in step order", async () => {
		const { credentialsHelper, credentials } = credentialsFor(emu);
		const options = (await loadOptions({
			type: 'marketo',
			method: 'getProgramMemberStatuses',
			parameters: { resource: 'programMember', operation: 'setStatus', programId: program() },
			credentials,
			credentialsHelper,
		})) as Array<{ name: string; value: string }>;
		const names = options.map((o) => o.value);
		expect(names.indexOf('Invited')).toBeLessThan(names.indexOf('Registered'));
		expect(names.indexOf('Registered')).toBeLessThan(names.indexOf('Attended'));
		expect(names).not.toContain('Influenced');
	});

	it('update fields writes a custom member field such as the SpotMe login URL; a lead that is not a member is an error item (1013)', async () => {
		emu.seed({ members: [{ programId: PROGRAM, leadId: lead[0], statusName: 'Registered' }] });
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'updateFields',
				programId: program(),
				leadId: '={{ $json.id }}',
				memberFields: { field: [{ name: 'spotmeLoginUrl', value: '={{ $json.url }}' }] },
			},
			[
				{ id: lead[0], url: 'https://events.spotme.com/l/abc' },
				{ id: lead[4], url: 'https://events.spotme.com/l/nope' },
			],
			{ continueOnFail: true },
		);
		expect(run.paired).toEqual([0, 1]);
		expect(run.json[0]).toMatchObject({
			leadId: lead[0],
			spotmeLoginUrl: 'https://events.spotme.com/l/abc',
			status: 'updated',
		});
		expect(run.json[1]).toMatchObject({ code: '1013' });
		expect(member(lead[0])?.spotmeLoginUrl).toBe('https://events.spotme.com/l/abc');
		expect(member(lead[4])).toBeUndefined();
	});

	it('the member field dropdown offers the custom fields the API can write', async () => {
		const { credentialsHelper, credentials } = credentialsFor(emu);
		const options = (await loadOptions({
			type: 'marketo',
			method: 'getProgramMemberUpdateableFields',
			parameters: { resource: 'programMember', operation: 'updateFields' },
			credentials,
			credentialsHelper,
		})) as Array<{ name: string; value: string }>;
		expect(options.map((o) => o.value)).toContain('spotmeLoginUrl');
		expect(options.map((o) => o.value)).not.toContain('statusName');
	});

	it('get many returns members with their statusName and custom fields, filtered by status', async () => {
		emu.seed({
			members: [
				{
					programId: PROGRAM,
					leadId: lead[0],
					statusName: 'Registered',
					spotmeLoginUrl: 'https://s/l/0',
				},
				{ programId: PROGRAM, leadId: lead[1], statusName: 'Registered' },
				{ programId: PROGRAM, leadId: lead[2], statusName: 'Invited' },
			],
		});
		const run = await runMarketo(emu, {
			resource: 'programMember',
			operation: 'getAll',
			programId: program(),
			filterType: 'statusName',
			filterValues: 'Registered',
			fields: ['spotmeLoginUrl'],
			returnAll: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.leadId).sort()).toEqual([lead[0], lead[1]].sort());
		expect(run.json.every((j) => j.statusName === 'Registered')).toBe(true);
		expect(run.json.find((j) => j.leadId === lead[0])?.spotmeLoginUrl).toBe('https://s/l/0');

		const limited = await runMarketo(emu, {
			resource: 'programMember',
			operation: 'getAll',
			programId: program(),
			filterType: 'leadId',
			filterValues: `${lead[0]},${lead[1]},${lead[2]},${lead[3]}`,
			returnAll: false,
			limit: 3,
		});
		expect(limited.json).toHaveLength(3);
	});

	it('remove takes leads out of the program; a lead that is not a member is an error item', async () => {
		emu.seed({ members: [{ programId: PROGRAM, leadId: lead[0], statusName: 'Registered' }] });
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'remove',
				programId: program(),
				leadId: '={{ $json.id }}',
			},
			[{ id: lead[0] }, { id: lead[4] }, { id: lead[3] }],
			{ continueOnFail: true },
		);
		expect(run.paired).toEqual([0, 1, 2]);
		expect(run.json[0]).toMatchObject({ leadId: lead[0], removed: true });
		expect(run.json[1].error).toBeDefined();
		expect(run.json[2]).toMatchObject({ leadId: lead[3], removed: true });
		expect(member(lead[0])).toBeUndefined();
		expect(member(lead[3])).toBeUndefined();
		expect(emu.state.leads.has(lead[0])).toBe(true);
	});

	it('a lead ID that is not a number is bad input naming the field', async () => {
		const run = await runMarketo(emu, {
			resource: 'programMember',
			operation: 'remove',
			programId: program(),
			leadId: 'm0@example.com',
		});
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toContain('"Lead ID"');
	});
});

describe('Marketo node: the program list (From List)', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator({
			seed: {
				programs: Array.from({ length: 450 }, (_, i) => ({
					id: 2000 + i,
					name: i === 321 ? 'Zurich Summit 2026' : `Program ${i}`,
					channel: 'Webinar',
				})),
			},
		});
	});
	afterEach(async () => await emu.stop());

	async function search(filter?: string, paginationToken?: string) {
		const { credentialsHelper, credentials } = credentialsFor(emu);
		return (await loadOptions({
			type: 'marketo',
			kind: 'listSearch',
			method: 'searchPrograms',
			parameters: { resource: 'programMember', operation: 'setStatus' },
			credentials,
			credentialsHelper,
			filter,
			paginationToken,
		})) as { results: Array<{ name: string; value: string }>; paginationToken?: string };
	}

	it('pages through every program 200 at a time (offset/maxReturn) until Marketo has no more', async () => {
		const seen: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await search(undefined, token);
			seen.push(...page.results.map((r) => r.value));
			token = page.paginationToken;
			pages++;
		} while (token && pages < 10);
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(450);
	});

	it('a search finds a program by part of its name, reading further pages when the first has no match', async () => {
		const page = await search('zurich');
		expect(page.results).toEqual([
			expect.objectContaining({ name: 'Zurich Summit 2026', value: '2321' }),
		]);
	});
});

describe('Marketo node: Program Member Get Many across many items', () => {
	let emu: MarketoEmulator;
	let lead: number[];
	const membersPath = (id: number) => `/rest/v1/programs/${id}/members.json`;
	beforeEach(async () => {
		emu = await startEmulator({
			seed: {
				programMemberFields: [LOGIN_URL_MEMBER_FIELD],
				programs: [
					{ id: PROGRAM, name: '2026 Spring Summit', channel: 'Live Event' },
					{ id: 1002, name: 'Autumn Forum', channel: 'Live Event' },
				],
				leads: Array.from({ length: 500 }, (_, i) => ({ email: `m${i}@example.com` })),
			},
		});
		lead = [...emu.state.leads.values()].map((l) => l.id);
		// Every lead but the last is a member of the summit; statuses cycle so status filters match many.
		const statuses = ['Invited', 'Registered', 'Attended'];
		emu.seed({
			members: [
				...lead.slice(0, 499).map((leadId, i) => ({
					programId: PROGRAM,
					leadId,
					statusName: statuses[i % 3],
					spotmeLoginUrl: `https://s/l/${i % 2}`,
				})),
				{ programId: 1002, leadId: lead[0], statusName: 'Registered' },
				{ programId: 1002, leadId: lead[1], statusName: 'Attended' },
			],
		});
	});
	afterEach(async () => await emu.stop());

	it('500 items looking up one lead each share 2 calls, and each member comes back paired with its own item', async () => {
		const items = lead.map((_, i) => ({ leadId: lead[499 - i] }));
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'getAll',
				programId: program(),
				filterType: 'leadId',
				filterValues: '={{ $json.leadId }}',
				returnAll: false,
				limit: 5,
			},
			items,
		);
		expect(run.error).toBeUndefined();
		expect(callsTo(emu, membersPath(PROGRAM))).toBe(2);
		// item 0 asks for the last lead, which is not a member: no output for it
		expect(run.json).toHaveLength(499);
		expect(run.paired).not.toContain(0);
		run.json.forEach((m, k) => {
			expect(m.leadId).toBe(items[run.paired[k]].leadId);
			expect(m.programId).toBe(PROGRAM);
			expect(m.statusName).toBe(
				emu.state.members.get(PROGRAM)?.get(m.leadId as number)?.statusName,
			);
		});
		expect(run.paired).toEqual([...run.paired].sort((a, b) => a - b));
	});

	it('each item gets at most its own limit of the members its values match', async () => {
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'getAll',
				programId: program(),
				filterType: 'leadId',
				filterValues: '={{ $json.ids }}',
				returnAll: false,
				limit: '={{ $json.limit }}',
			},
			[
				{ ids: `${lead[0]},${lead[1]},${lead[2]}`, limit: 2 },
				{ ids: `${lead[2]},${lead[3]}`, limit: 5 },
			],
		);
		expect(run.error).toBeUndefined();
		expect(callsTo(emu, membersPath(PROGRAM))).toBe(1);
		expect(run.paired).toEqual([0, 0, 1, 1]);
		expect(run.json.map((m) => m.leadId)).toEqual([lead[0], lead[1], lead[2], lead[3]]);
	});

	it('items of different programs are looked up in their own program, one call per program', async () => {
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'getAll',
				programId: '={{ { __rl: true, mode: "id", value: String($json.program) } }}',
				filterType: 'leadId',
				filterValues: '={{ $json.leadId }}',
				returnAll: true,
			},
			[
				{ program: PROGRAM, leadId: lead[1] },
				{ program: 1002, leadId: lead[1] },
				{ program: PROGRAM, leadId: lead[0] },
				{ program: 1002, leadId: lead[0] },
			],
		);
		expect(run.error).toBeUndefined();
		expect(callsTo(emu, membersPath(PROGRAM))).toBe(1);
		expect(callsTo(emu, membersPath(1002))).toBe(1);
		expect(run.paired).toEqual([0, 1, 2, 3]);
		expect(run.json.map((m) => [m.programId, m.leadId, m.statusName])).toEqual([
			[PROGRAM, lead[1], 'Registered'],
			[1002, lead[1], 'Attended'],
			[PROGRAM, lead[0], 'Invited'],
			[1002, lead[0], 'Registered'],
		]);
	});

	// The forum has 60 more members, so a shared answer fits in one page (300) and calls count queries.
	const seedForum = () =>
		emu.seed({
			members: lead.slice(2, 62).map((leadId, i) => ({
				programId: 1002,
				leadId,
				statusName: ['Invited', 'Registered', 'Attended'][i % 3],
				spotmeLoginUrl: `https://s/l/${i % 2}`,
			})),
		});

	it('Return All on status shares one call; each item gets every member of its own status, in any case', async () => {
		seedForum();
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'getAll',
				programId: program(1002),
				filterType: 'statusName',
				filterValues: '={{ $json.status }}',
				returnAll: true,
			},
			[{ status: 'Registered' }, { status: 'Attended' }, { status: 'registered' }],
		);
		expect(run.error).toBeUndefined();
		expect(callsTo(emu, membersPath(1002))).toBe(1);
		const of = (i: number) => run.json.filter((_, k) => run.paired[k] === i);
		// 20 seeded now + lead[0] from the shared seed; 20 + lead[1]
		expect(of(0)).toHaveLength(21);
		expect(of(0).every((m) => m.statusName === 'Registered' && m.programId === 1002)).toBe(true);
		expect(of(1)).toHaveLength(21);
		expect(of(1).every((m) => m.statusName === 'Attended')).toBe(true);
		expect(of(2).map((m) => m.leadId)).toEqual(of(0).map((m) => m.leadId));
	});

	it('a filter field that was not asked for is used to match members but is not added to the output', async () => {
		seedForum();
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'getAll',
				programId: program(1002),
				filterType: 'spotmeLoginUrl',
				filterValues: '={{ $json.url }}',
				returnAll: true,
			},
			[{ url: 'https://s/l/0' }, { url: 'https://s/l/1' }],
		);
		expect(run.error).toBeUndefined();
		expect(callsTo(emu, membersPath(1002))).toBe(1);
		const of = (i: number) => run.json.filter((_, k) => run.paired[k] === i);
		expect(of(0)).toHaveLength(30);
		expect(of(1)).toHaveLength(30);
		expect(run.json.some((m) => 'spotmeLoginUrl' in m)).toBe(false);
		for (const m of of(1))
			expect(emu.state.members.get(1002)?.get(m.leadId as number)?.spotmeLoginUrl).toBe(
				'https://s/l/1',
			);
	});

	it('a status filter with a limit still runs per item and never fetches more than each item asked for', async () => {
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'getAll',
				programId: program(),
				filterType: 'statusName',
				filterValues: 'Registered',
				returnAll: false,
				limit: 3,
			},
			[{}, {}],
		);
		expect(run.error).toBeUndefined();
		expect(run.paired).toEqual([0, 0, 0, 1, 1, 1]);
		expect(callsTo(emu, membersPath(PROGRAM))).toBe(2);
	});

	it('with Continue on Fail an unknown program or missing values is an error item, and the other items are still found in one call', async () => {
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'getAll',
				programId: '={{ { __rl: true, mode: "name", value: $json.program } }}',
				filterType: 'leadId',
				filterValues: '={{ $json.leadId }}',
				returnAll: true,
			},
			[
				{ program: '2026 Spring Summit', leadId: lead[4] },
				{ program: 'No Such Program', leadId: lead[4] },
				{ program: '2026 Spring Summit', leadId: '' },
				{ program: '2026 Spring Summit', leadId: lead[5] },
			],
			{ continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.paired).toEqual([0, 1, 2, 3]);
		expect(run.json[0]).toMatchObject({ leadId: lead[4], programId: PROGRAM });
		expect(String(run.json[1].error)).toContain('No Such Program');
		expect(String(run.json[2].error)).toContain('has no "Values"');
		expect(run.json[3]).toMatchObject({ leadId: lead[5], programId: PROGRAM });
		expect(callsTo(emu, membersPath(PROGRAM))).toBe(1);
	});

	it('when a shared call fails, every item in it ends as an error item that says why', async () => {
		const run = await runMarketo(
			emu,
			{
				resource: 'programMember',
				operation: 'getAll',
				programId: program(),
				filterType: 'noSuchField',
				filterValues: '={{ $json.v }}',
				returnAll: true,
			},
			[{ v: 'a' }, { v: 'b' }],
			{ continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.paired).toEqual([0, 1]);
		for (const j of run.json) expect(j).toMatchObject({ code: '1006' });
		expect(callsTo(emu, membersPath(PROGRAM))).toBe(1);
	});
});
