/**
 * Program resource through n8n's engine against the Marketo emulator: what the node returns and
 * what the emulator holds afterwards.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';

import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { runWorkflow } from '../../dev/harness/engine';
import { SPOTME_OUTCOMES } from '../../nodes/Marketo/actions/program/mapAttendanceStatuses.operation';
import { ATTENDANCE_STATUSES } from '../../nodes/SpotMe/attendance/model';
import { credentialsFor, marketoDropdown, runMarketo, startEmulator } from './setup';

const byId = (id: number | string) => ({ __rl: true, mode: 'id', value: String(id) });
const byName = (name: string) => ({ __rl: true, mode: 'name', value: name });
const fromList = (id: number | string) => ({ __rl: true, mode: 'list', value: String(id) });

const TEMPLATE = 2001;

function seedPrograms(emu: MarketoEmulator) {
	emu.reset();
	emu.seed({
		folders: [
			{ id: 501, name: '2026 Events', parent: { id: 13, type: 'Folder' } },
			{ id: 502, name: 'Archive', parent: { id: 13, type: 'Folder' } },
		],
		programs: [
			{
				id: TEMPLATE,
				name: 'Webinar Template',
				type: 'Event',
				channel: 'Webinar',
				folder: { id: 14, type: 'Folder' },
				description: 'Template for every webinar',
				tokens: [{ name: 'spotme_id', type: 'text', value: 'TEMPLATE' }],
			},
			{ id: 2002, name: 'Spring Summit', type: 'Event', channel: 'Live Event', folder: 501 },
			{ id: 2003, name: 'Autumn Newsletter', type: 'Email', channel: 'Email Send', folder: 501 },
			{ id: 2004, name: 'Old Content', type: 'Default', channel: 'Content', folder: 502 },
		],
	});
}

describe('Marketo Program', () => {
	let emu: MarketoEmulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(async () => {
		await emu.stop();
	});
	beforeEach(() => seedPrograms(emu));

	describe('Get', () => {
		it('finds a program by ID, by exact name and from the list, simplified to its useful fields', async () => {
			for (const programId of [byId(TEMPLATE), byName('Webinar Template'), fromList(TEMPLATE)]) {
				const out = await runMarketo(emu, { resource: 'program', operation: 'get', programId });
				expect(out.error).toBeUndefined();
				expect(out.json).toEqual([
					expect.objectContaining({
						id: TEMPLATE,
						name: 'Webinar Template',
						type: 'Event',
						channel: 'Webinar',
						folderId: 14,
					}),
				]);
				expect(Object.keys(out.json[0]).length).toBeLessThanOrEqual(10);
			}
		});

		it('returns the raw program, with its folder object, when Simplify is off', async () => {
			const out = await runMarketo(emu, {
				resource: 'program',
				operation: 'get',
				programId: byId(2002),
				simplify: false,
			});
			expect(out.json[0]).toEqual(
				expect.objectContaining({
					id: 2002,
					folder: expect.objectContaining({ type: 'Folder', value: 501 }),
				}),
			);
		});

		it('an unknown program ID fails naming the Program parameter; with Continue on Fail it is an error item', async () => {
			const failed = await runMarketo(emu, {
				resource: 'program',
				operation: 'get',
				programId: byId(9999),
			});
			expect(failed.error?.message).toMatch(/No Marketo program has the ID 9999/);
			expect(failed.error?.description).toMatch(/"Program" parameter/);

			const cont = await runMarketo(
				emu,
				{
					resource: 'program',
					operation: 'get',
					programId: '={{ { __rl: true, mode: "id", value: String($json.id) } }}',
				},
				[{ id: 2002 }, { id: 9999 }],
				{ continueOnFail: true },
			);
			expect(cont.error).toBeUndefined();
			expect(cont.json[0]).toEqual(expect.objectContaining({ id: 2002 }));
			expect(cont.json[1].error).toMatch(/9999/);
			expect(cont.paired).toEqual([0, 1]);
		});

		it('a name that matches no program fails with the name in the message', async () => {
			const out = await runMarketo(emu, {
				resource: 'program',
				operation: 'get',
				programId: byName('Nope'),
			});
			expect(out.error?.message).toMatch(/No Marketo program is named "Nope"/);
		});
	});

	describe('Get Many', () => {
		it('returns every program with Return All, and stops at the limit otherwise', async () => {
			const all = await runMarketo(emu, {
				resource: 'program',
				operation: 'getAll',
				returnAll: true,
			});
			expect(all.json.map((p) => p.id).sort()).toEqual([2001, 2002, 2003, 2004]);
			const two = await runMarketo(emu, {
				resource: 'program',
				operation: 'getAll',
				returnAll: false,
				limit: 2,
			});
			expect(two.json).toHaveLength(2);
		});

		it('pages past 200 programs (offset/maxReturn) until Marketo says no assets are left', async () => {
			emu.seed({
				programs: Array.from({ length: 230 }, (_, n) => ({
					id: 3000 + n,
					name: `Bulk ${n}`,
					folder: 502,
				})),
			});
			emu.clearLog();
			const all = await runMarketo(emu, {
				resource: 'program',
				operation: 'getAll',
				returnAll: true,
			});
			expect(all.json).toHaveLength(234);
			expect(new Set(all.json.map((p) => p.id)).size).toBe(234);
			const pages = emu.requestLog().filter((r) => r.path.endsWith('/asset/v1/programs.json'));
			expect(pages.length).toBeGreaterThanOrEqual(2);
		});

		it('filters by last update date', async () => {
			emu.state.programs.get(2002)!.updatedAt = '2026-10-01T00:00:00Z';
			emu.state.programs.get(2003)!.updatedAt = '2026-11-20T00:00:00Z';
			for (const id of [2001, 2004]) emu.state.programs.get(id)!.updatedAt = '2025-01-01T00:00:00Z';
			const recent = await runMarketo(emu, {
				resource: 'program',
				operation: 'getAll',
				returnAll: true,
				filters: {
					earliestUpdatedAt: '2026-09-01T00:00:00Z',
					latestUpdatedAt: '2026-11-01T00:00:00Z',
				},
			});
			expect(recent.json.map((p) => p.id)).toEqual([2002]);
		});

		it('filters by folder and by program type', async () => {
			const inFolder = await runMarketo(emu, {
				resource: 'program',
				operation: 'getAll',
				returnAll: true,
				filters: { folder: { __rl: true, mode: 'id', value: '501' } },
			});
			expect(inFolder.json.map((p) => p.id).sort()).toEqual([2002, 2003]);
			const emails = await runMarketo(emu, {
				resource: 'program',
				operation: 'getAll',
				returnAll: true,
				filters: { type: 'Email' },
			});
			expect(emails.json.map((p) => p.id)).toEqual([2003]);
		});
	});

	describe('Clone', () => {
		it("puts the copy in the source program's folder by default, with its name and description", async () => {
			const out = await runMarketo(emu, {
				resource: 'program',
				operation: 'clone',
				programId: byId(TEMPLATE),
				name: 'Webinar 2026-12-01',
				additionalFields: { description: 'December webinar' },
			});
			expect(out.error).toBeUndefined();
			const newId = out.json[0].id as number;
			expect(newId).not.toBe(TEMPLATE);
			const copy = emu.state.programs.get(newId);
			expect(copy).toEqual(
				expect.objectContaining({
					name: 'Webinar 2026-12-01',
					description: 'December webinar',
					channel: 'Webinar',
				}),
			);
			expect(copy?.folder).toEqual({ id: 14, type: 'Folder' });
			expect(
				[...emu.state.programs.values()].filter((p) => p.name === 'Webinar 2026-12-01'),
			).toHaveLength(1);
		});

		it('puts the copy in the folder given, one copy per input item', async () => {
			const out = await runMarketo(
				emu,
				{
					resource: 'program',
					operation: 'clone',
					programId: byName('Webinar Template'),
					name: '={{ $json.event }}',
					additionalFields: { folder: { __rl: true, mode: 'list', value: '501' } },
				},
				[{ event: 'Copy A' }, { event: 'Copy B' }],
			);
			expect(out.error).toBeUndefined();
			expect(out.paired).toEqual([0, 1]);
			for (const name of ['Copy A', 'Copy B']) {
				const copies = [...emu.state.programs.values()].filter((p) => p.name === name);
				expect(copies).toHaveLength(1);
				expect(copies[0].folder).toEqual({ id: 501, type: 'Folder' });
			}
		});

		it("a name already in use is Marketo's 709 on that item only (Continue on Fail), and no second program gets it", async () => {
			const out = await runMarketo(
				emu,
				{
					resource: 'program',
					operation: 'clone',
					programId: byId(TEMPLATE),
					name: '={{ $json.name }}',
				},
				[{ name: 'Spring Summit' }, { name: 'Fresh Copy' }],
				{ continueOnFail: true },
			);
			expect(out.paired).toEqual([0, 1]);
			expect(out.json[0]).toEqual(
				expect.objectContaining({ code: '709', error: expect.stringMatching(/709/) }),
			);
			expect(out.json[1]).toEqual(expect.objectContaining({ name: 'Fresh Copy' }));
			expect(
				[...emu.state.programs.values()].filter((p) => p.name === 'Spring Summit'),
			).toHaveLength(1);
		});

		it('an empty new name is bad input: nothing is cloned', async () => {
			const before = emu.state.programs.size;
			const out = await runMarketo(emu, {
				resource: 'program',
				operation: 'clone',
				programId: byId(TEMPLATE),
				name: '  ',
			});
			expect(out.error?.message).toMatch(/"New Program Name" parameter is empty/);
			expect(emu.state.programs.size).toBe(before);
		});

		it('a target folder or folder filter that is not an ID is bad input naming the parameter; nothing is cloned', async () => {
			const before = emu.state.programs.size;
			const clone = await runMarketo(emu, {
				resource: 'program',
				operation: 'clone',
				programId: byId(TEMPLATE),
				name: 'Copy',
				additionalFields: { folder: { __rl: true, mode: 'id', value: 'Events' } },
			});
			expect(clone.error?.message).toBe('"Events" in "Target Folder" is not a folder ID');
			expect(emu.state.programs.size).toBe(before);
			const list = await runMarketo(emu, {
				resource: 'program',
				operation: 'getAll',
				returnAll: true,
				filters: { folder: { __rl: true, mode: 'id', value: 'Events' } },
			});
			expect(list.error?.message).toBe('"Events" in "Folder" is not a folder ID');
		});
	});

	describe('My Tokens', () => {
		it('Set Token creates a text token, then updates it in place', async () => {
			const set = (value: string) =>
				runMarketo(emu, {
					resource: 'program',
					operation: 'setToken',
					programId: byId(2002),
					name: 'spotme_id',
					tokenType: 'text',
					value,
				});
			const first = await set('ws-summit');
			expect(first.error).toBeUndefined();
			expect(first.json[0]).toEqual(
				expect.objectContaining({ programId: 2002, name: 'spotme_id', value: 'ws-summit' }),
			);
			await set('ws-summit-2');
			const tokens = emu.state.programs.get(2002)!.tokens;
			expect(tokens.filter((t) => t.name === 'spotme_id')).toEqual([
				expect.objectContaining({ type: 'text', value: 'ws-summit-2' }),
			]);
		});

		it('accepts the token as written in an email ({{my.name}}) and stores typed values in Marketo formats', async () => {
			const out = await runMarketo(
				emu,
				{
					resource: 'program',
					operation: 'setToken',
					programId: byId(2002),
					name: '={{ $json.name }}',
					tokenType: '={{ $json.type }}',
					value: '={{ $json.value }}',
				},
				[
					{ name: '{{my.Event Date}}', type: 'date', value: '2026-12-01T15:00:00+01:00' },
					{ name: 'my.Points', type: 'score', value: '+5' },
					{ name: 'Capacity', type: 'number', value: '250' },
					{ name: 'Agenda', type: 'rich text', value: '<p>Keynote</p>' },
				],
			);
			expect(out.error).toBeUndefined();
			const tokens = emu.state.programs.get(2002)!.tokens;
			expect(tokens).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ name: 'Event Date', type: 'date', value: '2026-12-01' }),
					expect.objectContaining({ name: 'Points', type: 'score', value: '+5' }),
					expect.objectContaining({ name: 'Capacity', type: 'number', value: '250' }),
					expect.objectContaining({ name: 'Agenda', type: 'rich text', value: '<p>Keynote</p>' }),
				]),
			);
		});

		it('a score that is not a whole number is bad input naming Value; with Continue on Fail the rest is stored', async () => {
			const params = {
				resource: 'program',
				operation: 'setToken',
				programId: byId(2002),
				name: '={{ $json.name }}',
				tokenType: 'score',
				value: '={{ $json.value }}',
			};
			const failed = await runMarketo(emu, params, [{ name: 'Bad', value: 'lots' }]);
			expect(failed.error?.message).toMatch(
				/"Value" "lots" is not a whole number for a score token/,
			);
			expect(emu.state.programs.get(2002)!.tokens).toHaveLength(0);

			const cont = await runMarketo(
				emu,
				params,
				[
					{ name: 'Bad', value: '1.5' },
					{ name: 'Good', value: '7' },
				],
				{
					continueOnFail: true,
				},
			);
			expect(cont.json[0].error).toMatch(/not a whole number/);
			expect(cont.json[1]).toEqual(expect.objectContaining({ name: 'Good', value: '7' }));
			expect(cont.paired).toEqual([0, 1]);
			expect(emu.state.programs.get(2002)!.tokens.map((t) => t.name)).toEqual(['Good']);
		});

		it('a token that expires mid-run (602) is renewed and the My Token is still written once', async () => {
			emu.setFaults({ script: [{ fault: '602', path: '/tokens.json' }] });
			try {
				const out = await runMarketo(emu, {
					resource: 'program',
					operation: 'setToken',
					programId: byId(2002),
					name: 'spotme_id',
					tokenType: 'text',
					value: 'ws-after-refresh',
				});
				expect(out.error).toBeUndefined();
			} finally {
				emu.setFaults({});
			}
			expect(emu.requestLog().some((r) => r.code === '602')).toBe(true);
			expect(emu.state.programs.get(2002)!.tokens).toEqual([
				expect.objectContaining({ name: 'spotme_id', value: 'ws-after-refresh' }),
			]);
		});

		it('Get Tokens returns one item per My Token of the program', async () => {
			const out = await runMarketo(emu, {
				resource: 'program',
				operation: 'getTokens',
				programId: byId(TEMPLATE),
			});
			expect(out.json).toEqual([
				expect.objectContaining({
					programId: TEMPLATE,
					name: 'spotme_id',
					type: 'text',
					value: 'TEMPLATE',
				}),
			]);
		});

		it('Delete Token removes the token (its type is looked up), and a missing token is an error naming it', async () => {
			const out = await runMarketo(emu, {
				resource: 'program',
				operation: 'deleteToken',
				programId: byId(TEMPLATE),
				name: '{{my.spotme_id}}',
			});
			expect(out.json).toEqual([{ deleted: true, programId: TEMPLATE, name: 'spotme_id' }]);
			expect(emu.state.programs.get(TEMPLATE)!.tokens).toEqual([]);

			const again = await runMarketo(emu, {
				resource: 'program',
				operation: 'deleteToken',
				programId: byId(TEMPLATE),
				name: 'spotme_id',
			});
			expect(again.error?.message).toMatch(/no My Token named "spotme_id"/);
		});
	});

	describe('Get Statuses', () => {
		it("returns the program channel's progression statuses in step order", async () => {
			emu.seed({
				channels: [
					{
						name: 'Shuffled',
						applicableProgramType: 'event',
						progressionStatuses: [
							{ name: 'Attended', step: 30, success: true },
							{ name: 'Invited', step: 10, success: false },
							{ name: 'Registered', step: 20, success: false },
						],
					},
				],
				programs: [{ id: 2100, name: 'Shuffled Event', channel: 'Shuffled' }],
			});
			const out = await runMarketo(emu, {
				resource: 'program',
				operation: 'getStatuses',
				programId: byId(2100),
			});
			expect(out.json.map((s) => [s.name, s.step, s.success])).toEqual([
				['Invited', 10, false],
				['Registered', 20, false],
				['Attended', 30, true],
			]);
			expect(out.json[0]).toEqual(
				expect.objectContaining({ programId: 2100, channel: 'Shuffled' }),
			);
		});
	});

	describe('Map Attendance to Statuses', () => {
		/** Program 2100 "Tiny Event" on a channel "Tiny" with these statuses. */
		const seedTinyEvent = (
			progressionStatuses: Array<{ name: string; step: number; success: boolean }>,
		) =>
			emu.seed({
				channels: [{ name: 'Tiny', applicableProgramType: 'event', progressionStatuses }],
				programs: [{ id: 2100, name: 'Tiny Event', channel: 'Tiny' }],
			});
		/** SpotMe's usual table picked, as set-up-event.json presets it. */
		const pickers = (over: Record<string, unknown> = {}) => ({
			resource: 'program',
			operation: 'mapAttendanceStatuses',
			programId: fromList(2002),
			invited: 'Invited',
			registered: 'Registered',
			attended: 'Attended',
			noShow: 'No Show',
			...over,
		});

		it('offers exactly the attendance statuses the SpotMe side produces', () => {
			expect(SPOTME_OUTCOMES.map((o) => o.outcome)).toEqual([...ATTENDANCE_STATUSES]);
		});

		it('outputs the status mapping object of the five SpotMe outcomes as picked', async () => {
			const out = await runMarketo(emu, pickers());
			expect(out.error).toBeUndefined();
			expect(out.json).toEqual([
				{
					programId: 2002,
					programName: 'Spring Summit',
					channel: 'Live Event',
					statusMapping: {
						Invited: 'Invited',
						Registered: 'Registered',
						Attended: 'Attended',
						'No show': 'No Show',
						Cancelled: '',
					},
				},
			]);
			const picked = await runMarketo(
				emu,
				pickers({
					programId: byName('Spring Summit'),
					attended: 'Attended On-demand',
					noShow: '',
					cancelled: 'Not in Program',
				}),
			);
			expect(picked.json[0].statusMapping).toEqual({
				Invited: 'Invited',
				Registered: 'Registered',
				Attended: 'Attended On-demand',
				'No show': '',
				Cancelled: 'Not in Program',
			});
		});

		it("set-up-event.json's pickers, as shipped, give the status workflow's default table for the picked program", async () => {
			const dir = resolve(__dirname, '..', '..', 'workflows');
			const setUp = JSON.parse(readFileSync(resolve(dir, 'set-up-event.json'), 'utf8')) as {
				nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
			};
			const status = readFileSync(resolve(dir, 'attendance-to-program-member-status.json'), 'utf8');
			const shipped = JSON.parse(
				JSON.parse(`"${/statusMapping \|\| '(\{.*?\})'/.exec(status)![1]}"`) as string,
			) as unknown;
			const parameters = setUp.nodes.find((n) => n.name === 'Marketo: Event Program')!.parameters;
			const out = await runMarketo(emu, { ...parameters, programId: fromList(2002) });
			expect(out.error).toBeUndefined();
			expect(out.json[0].statusMapping).toEqual(shipped);
		});

		it("refuses a status the program's channel does not have, naming the SpotMe outcome and the fix", async () => {
			seedTinyEvent([
				{ name: 'Member', step: 10, success: false },
				{ name: 'Came', step: 20, success: true },
			]);
			const out = await runMarketo(
				emu,
				pickers({
					programId: byId(2100),
					invited: 'Member',
					registered: 'Member',
					attended: 'Came',
					noShow: 'No Show',
				}),
			);
			expect(out.json).toEqual([]);
			expect(out.error?.message).toBe(
				'SpotMe "No show" → "No Show": not a status of the channel "Tiny" of program 2100',
			);
			expect(out.error?.description).toBe(
				'For each SpotMe outcome named, pick one of the channel\'s statuses (Member, Came) or "Leave Unchanged"',
			);
			// Nothing picked (a new node: n8n's dropdowns start at Leave Unchanged) changes nothing: refused.
			const none = await runMarketo(emu, {
				resource: 'program',
				operation: 'mapAttendanceStatuses',
				programId: byId(2100),
			});
			expect(none.error?.message).toBe(
				'Every SpotMe outcome is set to "Leave Unchanged": the mapping would change no status',
			);
			expect(none.error?.description).toBe(
				'Pick a status of the program\'s channel for at least one outcome, e.g. "Attended" → one of Member, Came',
			);
			// With every outcome picked from the channel it passes.
			const fixed = await runMarketo(
				emu,
				pickers({
					programId: byId(2100),
					invited: 'Member',
					registered: 'Member',
					attended: 'Came',
					noShow: '',
				}),
			);
			expect(fixed.json[0].statusMapping).toEqual({
				Invited: 'Member',
				Registered: 'Member',
				Attended: 'Came',
				'No show': '',
				Cancelled: '',
			});
		});

		it("the status dropdowns offer Leave Unchanged, then the picked program's channel statuses in step order", async () => {
			seedTinyEvent([
				{ name: 'Came', step: 20, success: true },
				{ name: 'Member', step: 10, success: false },
			]);
			const choices = async (programId: ReturnType<typeof fromList>) =>
				(
					(await marketoDropdown(emu, 'loadOptions', 'getProgramStatusChoices', {
						...pickers(),
						programId,
					})) as Array<{ name: string; value: string }>
				).map((o) => [o.name, o.value]);
			expect(await choices(fromList(2100))).toEqual([
				['Leave Unchanged', ''],
				['Member', 'Member'],
				['Came', 'Came'],
			]);
			expect(await choices(byName('Tiny Event'))).toEqual(await choices(fromList(2100)));
			expect((await choices(fromList(2002))).map(([, v]) => v)).toEqual([
				'',
				'Not in Program',
				'Invited',
				'Registered',
				'No Show',
				'Attended',
				'Attended On-demand',
			]);
			// No program picked yet: Leave Unchanged and the statuses already chosen, as they are (here
			// SpotMe's table, as set-up-event.json presets it), so none shows as unsupported.
			expect(await choices(fromList(''))).toEqual([
				['Leave Unchanged', ''],
				['Invited', 'Invited'],
				['Registered', 'Registered'],
				['Attended', 'Attended'],
				['No Show', 'No Show'],
			]);
			const presets = (await marketoDropdown(emu, 'loadOptions', 'getProgramStatusChoices', {
				...pickers(),
				programId: fromList(''),
				invited: '',
				registered: 'Attended',
				attended: 'Attended',
				noShow: 'No Show',
			})) as Array<{ name: string; value: string }>;
			expect(presets.map((o) => [o.name, o.value])).toEqual([
				['Leave Unchanged', ''],
				['Attended', 'Attended'],
				['No Show', 'No Show'],
			]);
		});
	});

	it("clones the template per new workspace and sets the copy's spotme_id token, in one workflow", async () => {
		const { credentialsHelper, credentials } = credentialsFor(emu);
		const main = (node: string) => [[{ node, type: 'main' as never, index: 0 }]];
		const result = await runWorkflow(
			{
				nodes: [
					{
						name: 'Workspaces',
						type: 'test.items',
						parameters: {
							items: JSON.stringify([
								{ eid: 'ws-berlin', title: 'Berlin 2027' },
								{ eid: 'ws-paris', title: 'Paris 2027' },
							]),
						},
					},
					{
						name: 'Clone',
						type: 'n8n-nodes-marketo-spotme.marketo',
						parameters: {
							resource: 'program',
							operation: 'clone',
							programId: byId(TEMPLATE),
							name: '={{ $json.title }}',
						},
						credentials,
					},
					{
						name: 'Set Token',
						type: 'n8n-nodes-marketo-spotme.marketo',
						parameters: {
							resource: 'program',
							operation: 'setToken',
							programId: '={{ { __rl: true, mode: "id", value: String($json.id) } }}',
							name: 'spotme_id',
							tokenType: 'text',
							value: "={{ $('Workspaces').item.json.eid }}",
						},
						credentials,
					},
				],
				connections: { Workspaces: { main: main('Clone') }, Clone: { main: main('Set Token') } },
			},
			credentialsHelper,
		);
		expect(result.error).toBeUndefined();
		expect(result.output('Set Token')).toHaveLength(2);
		for (const [title, eid] of [
			['Berlin 2027', 'ws-berlin'],
			['Paris 2027', 'ws-paris'],
		]) {
			const copy = [...emu.state.programs.values()].find((p) => p.name === title);
			expect(copy?.folder).toEqual({ id: 14, type: 'Folder' });
			expect(copy?.tokens).toEqual([
				expect.objectContaining({ name: 'spotme_id', type: 'text', value: eid }),
			]);
		}
		expect(emu.state.programs.get(TEMPLATE)!.tokens).toEqual([
			expect.objectContaining({ value: 'TEMPLATE' }),
		]);
	});

	it('the folder picker lists marketing folders by path, nested ones included', async () => {
		const found = (await marketoDropdown(emu, 'listSearch', 'searchFolders', {}, '2026')) as {
			results: Array<{ name: string; value: string }>;
		};
		expect(found.results).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ value: '501', name: expect.stringMatching(/2026 Events$/) }),
			]),
		);
		expect(found.results.map((r) => r.value)).not.toContain('502');
	});

	it('the program picker lists programs and filters them by name', async () => {
		const found = (await marketoDropdown(emu, 'listSearch', 'searchPrograms', {})) as {
			results: Array<{ name: string }>;
		};
		expect(found.results.map((r) => r.name)).toEqual(
			expect.arrayContaining(['Webinar Template', 'Spring Summit']),
		);
		const filtered = (await marketoDropdown(emu, 'listSearch', 'searchPrograms', {}, 'summit')) as {
			results: Array<{ name: string; value: string }>;
		};
		expect(filtered.results).toEqual([
			expect.objectContaining({ name: 'Spring Summit', value: '2002' }),
		]);
	});
});
