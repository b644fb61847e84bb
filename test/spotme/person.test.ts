import { runNode, runWorkflow, type WorkflowSpec } from '../../dev/harness/engine';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import {
	personUpsertParams,
	spotMeCredentials,
	standardSeed,
	startScaledSpotMe,
	summitWorkspace,
} from './emulator-setup';

describe('SpotMe node › Person', () => {
	let emu: SpotMeEmulator;
	beforeAll(async () => (emu = await startScaledSpotMe()));
	afterAll(async () => emu.stop());
	beforeEach(() => {
		emu.reset();
		emu.seed(standardSeed);
	});

	describe('Create or Update', () => {
		it('creates people in one call and returns each one’s status and magic link', async () => {
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams({
					additionalFields: { company: '={{ $json.company }}', country: 'CH' },
					customFields: { field: [{ key: 'marketing_consent', value: 'yes' }] },
				}),
				items: [
					{
						id: 'p1',
						email: 'ada@example.test',
						first: 'Ada',
						last: 'Lovelace',
						company: 'Analytical',
					},
					{
						id: 'p2',
						email: 'alan@example.test',
						first: 'Alan',
						last: 'Turing',
						company: 'Bletchley',
					},
				],
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			expect(items.map((i) => [i.json._id, i.json.status, i.pairedItem])).toEqual([
				['p1', 'created', { item: 0 }],
				['p2', 'created', { item: 1 }],
			]);
			const stored = emu.state.getDoc('ws-summit', 'person', 'p1');
			expect(stored).toMatchObject({
				fname: 'Ada',
				lname: 'Lovelace',
				email: 'ada@example.test',
				company: 'Analytical',
				country: 'CH',
				marketing_consent: 'yes',
			});
			expect(items[0].json.login_url).toBe(stored?.login_url);
			expect(emu.callCounts().byRoute['POST /workspace/:eid/global/docs/:type']).toBe(1);
		});

		it('reads the person back when SpotMe answers "unchanged" without the magic link', async () => {
			emu.seed({
				people: [
					{
						workspaceId: 'ws-summit',
						_id: 'p1',
						fname: 'Ada',
						lname: 'Lovelace',
						email: 'ada@example.test',
					},
					{
						workspaceId: 'ws-summit',
						_id: 'p2',
						fname: 'Ada',
						lname: 'Lovelace',
						email: 'ada2@example.test',
					},
				],
			});
			const link = emu.state.getDoc('ws-summit', 'person', 'p1')?.login_url;
			const link2 = emu.state.getDoc('ws-summit', 'person', 'p2')?.login_url;
			const { items } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams(),
				items: [
					{ id: 'p1', email: 'ada@example.test', first: 'Ada', last: 'Lovelace' },
					{ id: 'p2', email: 'ada2@example.test', first: 'Ada', last: 'King' },
				],
				...spotMeCredentials(emu),
			});
			expect(items.map((i) => i.json.status)).toEqual(['unchanged', 'updated']);
			expect(items.map((i) => i.json.login_url)).toEqual([link, link2]);
			expect(emu.callCounts().byRoute['GET /workspace/:eid/global/docs/:type/:id']).toBe(1);
			expect(emu.state.getDoc('ws-summit', 'person', 'p2')?.lname).toBe('King');
		});

		it('asks SpotMe to send the registration confirmation only when the option is on', async () => {
			await runNode({
				type: 'spotMe',
				parameters: personUpsertParams({ options: { sendRegistrationConfirmation: true } }),
				items: [{ id: 'p9', email: 'grace@example.test', first: 'Grace', last: 'Hopper' }],
				...spotMeCredentials(emu),
			});
			expect(emu.confirmationsSent()).toEqual([{ workspaceId: 'ws-summit', _id: 'p9' }]);
			expect(emu.requestLog().find((e) => e.method === 'POST')?.path).toContain(
				'send_reg_confirmation=true',
			);
		});

		it('bad input becomes an error item naming the field, and nothing of it reaches SpotMe', async () => {
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams(),
				items: [
					{ id: 'p1', email: 'not-an-email', first: 'A', last: 'B' },
					{ id: '', email: 'a@b.test', first: 'A', last: 'B' },
					{ id: 'p3', email: 'c@d.test', first: 'C', last: 'D' },
				],
				continueOnFail: true,
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(items[0].json.error).toBe('Email "not-an-email" is not a valid email address');
			expect(items[1].json.error).toBe('Person ID is empty');
			expect(items[2].json.status).toBe('created');
			expect(emu.state.people('ws-summit').map((p) => p._id)).toEqual(['p3']);
		});

		it('without continue-on-fail, bad input stops the run before anything is sent', async () => {
			const { error } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams(),
				items: [
					{ id: 'p1', email: 'a@b.test', first: 'A', last: 'B' },
					{ id: 'p2', email: 'broken', first: 'A', last: 'B' },
				],
				...spotMeCredentials(emu),
			});
			expect(error?.message).toBe('Email "broken" is not a valid email address');
			expect(emu.callCounts().total).toBe(0);
		});

		it('a new person SpotMe refuses (no name) becomes an error item that says why', async () => {
			const { items } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams(),
				items: [
					{ id: 'p1', email: 'a@b.test', first: 'A', last: 'B' },
					{ id: 'p2', email: 'c@d.test' },
				],
				continueOnFail: true,
				...spotMeCredentials(emu),
			});
			expect(items[0].json.status).toBe('created');
			expect(items[1].json.error).toMatch(
				/^SpotMe refused person p2: A new person needs fname, lname/,
			);
			expect(items[1].pairedItem).toEqual({ item: 1 });
			expect(emu.state.getDoc('ws-summit', 'person', 'p2')).toBeUndefined();
		});

		it('with Match Person by Email, a person who registered in SpotMe first (another _id, same email in any case) is updated, not created again; the workspace is read once', async () => {
			emu.seed({
				people: [
					{
						workspaceId: 'ws-summit',
						_id: 'sm-ada',
						fname: 'Ada',
						lname: 'Lovelace',
						email: 'Ada@Example.test',
					},
				],
			} as never);
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams({
					additionalFields: { company: '={{ $json.company }}' },
					options: { matchByEmail: true },
				}),
				items: [
					{ id: 'mkto-1', email: 'ada@example.test', first: 'Ada', last: 'L', company: 'AE' },
					{ id: 'mkto-2', email: 'alan@example.test', first: 'Alan', last: 'Turing' },
				],
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			expect(items.map((i) => [i.json._id, i.json.status, i.json.requestedId])).toEqual([
				['sm-ada', 'updated', 'mkto-1'],
				['mkto-2', 'created', undefined],
			]);
			expect(emu.state.getDoc('ws-summit', 'person', 'mkto-1')).toBeUndefined();
			expect(emu.state.getDoc('ws-summit', 'person', 'sm-ada')).toMatchObject({
				company: 'AE',
				lname: 'L',
			});
			expect(items[0].json.login_url).toBe(
				emu.state.getDoc('ws-summit', 'person', 'sm-ada')?.login_url,
			);
			expect(emu.callCounts().byRoute['POST /workspace/:eid/global/docs/:type/changes/since']).toBe(
				1,
			);
		});

		it('two items of one person (same email in any case, or same _id) are merged into one record before batching, the last value winning, and each item reports the merge', async () => {
			const { items, error } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams({ additionalFields: { company: '={{ $json.company }}' } }),
				items: [
					{ id: 'mkto-7', email: 'grace@example.test', first: 'Grace', last: 'H', company: 'Old' },
					{ id: 'mkto-8', email: 'kat@example.test', first: 'Kat', last: 'J' },
					{ id: 'mkto-9', email: 'GRACE@example.test', first: 'Grace', last: 'Hopper' },
				],
				...spotMeCredentials(emu),
			});
			expect(error).toBeUndefined();
			expect(items.map((i) => [i.json._id, i.json.mergedItems, i.pairedItem])).toEqual([
				['mkto-9', [0, 2], { item: 0 }],
				['mkto-8', undefined, { item: 1 }],
				['mkto-9', [0, 2], { item: 2 }],
			]);
			expect(emu.state.people('ws-summit').map((p) => p._id)).toEqual(['mkto-9', 'mkto-8']);
			expect(emu.state.getDoc('ws-summit', 'person', 'mkto-9')).toMatchObject({
				email: 'GRACE@example.test',
				lname: 'Hopper',
				company: 'Old',
			});
			const sent = emu
				.requestLog()
				.filter((e) => e.route === 'POST /workspace/:eid/global/docs/:type');
			expect(sent.map((e) => e.docs)).toEqual([2]);
		});

		it('groups items by workspace, one call each, and keeps outputs in input order', async () => {
			const { items } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams({
					workspaceId: { __rl: true, mode: 'id', value: '={{ $json.ws }}' },
				}),
				items: [
					{ ws: 'ws-summit', id: 's1', email: 's1@x.test', first: 'S', last: '1' },
					{ ws: 'ws-webinar', id: 'w1', email: 'w1@x.test', first: 'W', last: '1' },
					{ ws: 'ws-summit', id: 's2', email: 's2@x.test', first: 'S', last: '2' },
				],
				...spotMeCredentials(emu),
			});
			expect(items.map((i) => [i.json._id, i.json.workspaceId, i.pairedItem])).toEqual([
				['s1', 'ws-summit', { item: 0 }],
				['w1', 'ws-webinar', { item: 1 }],
				['s2', 'ws-summit', { item: 2 }],
			]);
			expect(emu.state.people('ws-summit').map((p) => p._id)).toEqual(['s1', 's2']);
			expect(emu.state.people('ws-webinar').map((p) => p._id)).toEqual(['w1']);
			expect(emu.callCounts().byRoute['POST /workspace/:eid/global/docs/:type']).toBe(2);
		});

		it('without continue-on-fail, a refused person stops the run after every batch was sent', async () => {
			const { error } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams({ options: { batchSize: 1 } }),
				items: [
					{ id: 'p1', email: 'a@b.test', first: 'A', last: 'B' },
					{ id: 'p2', email: 'c@d.test' },
					{ id: 'p3', email: 'e@f.test', first: 'E', last: 'F' },
				],
				...spotMeCredentials(emu),
			});
			expect(error?.message).toMatch(/^SpotMe refused person p2/);
			expect(emu.state.people('ws-summit').map((p) => p._id)).toEqual(['p1', 'p3']);
		});

		it('without continue-on-fail, the error names every person SpotMe refused, not only the first', async () => {
			const { error } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams({ options: { batchSize: 1 } }),
				items: [
					{ id: 'p1', email: 'a@b.test', first: 'A', last: 'B' },
					{ id: 'p2', email: 'c@d.test' },
					{ id: 'p3', email: 'e@f.test', first: 'E', last: 'F' },
					{ id: 'p4', email: 'g@h.test' },
				],
				...spotMeCredentials(emu),
			});
			expect(error?.message).toMatch(/^SpotMe refused person p2/);
			const description = (error as { description?: string } | undefined)?.description ?? '';
			expect(description).toContain(
				'2 of 4 people were written; 2 failed: item 1 [p2] (SpotMe refused person p2: ',
			);
			expect(description).toContain('; item 3 [p4] (SpotMe refused person p4: ');
			expect(emu.state.people('ws-summit').map((p) => p._id)).toEqual(['p1', 'p3']);
		});

		it('an unknown workspace fails every item of it with a plain message', async () => {
			const { items } = await runNode({
				type: 'spotMe',
				parameters: personUpsertParams({
					workspaceId: { __rl: true, mode: 'id', value: 'ws-nowhere' },
				}),
				items: [{ id: 'p1', email: 'a@b.test', first: 'A', last: 'B' }],
				continueOnFail: true,
				...spotMeCredentials(emu),
			});
			expect(items[0].json.error).toBe('Workspace ws-nowhere not found');
		});
	});

	describe('Get', () => {
		it('returns the person with their magic link, and a missing one as an error item', async () => {
			emu.seed({
				people: [
					{
						workspaceId: 'ws-summit',
						_id: 'p1',
						fname: 'Ada',
						lname: 'L',
						email: 'a@x.test',
						registration: 'invited',
					},
				],
			});
			const { items } = await runNode({
				type: 'spotMe',
				parameters: {
					resource: 'person',
					operation: 'get',
					workspaceId: summitWorkspace,
					personId: '={{ $json.id }}',
				},
				items: [{ id: 'p1' }, { id: 'nobody' }],
				continueOnFail: true,
				...spotMeCredentials(emu),
			});
			expect(items[0].json).toMatchObject({
				_id: 'p1',
				fname: 'Ada',
				registration_status: 'invited',
			});
			expect(items[0].json.login_url).toBe(
				emu.state.getDoc('ws-summit', 'person', 'p1')?.login_url,
			);
			expect(items[1].json.error).toBe('Person nobody not found in workspace ws-summit');
			expect(items[1].pairedItem).toEqual({ item: 1 });
		});
	});

	describe('Get Changes Since', () => {
		const seedPeople = (ids: string[]) =>
			emu.seed({
				people: ids.map((id) => ({
					workspaceId: 'ws-summit',
					_id: id,
					fname: 'F',
					lname: id,
					email: `${id}@x.test`,
				})),
			});

		it('returns people changed after the given time, across pages', async () => {
			const paged = await startScaledSpotMe({ changesPageSize: 2 });
			try {
				paged.seed(standardSeed);
				paged.seed({
					people: ['a', 'b', 'c', 'd', 'e'].map((id) => ({
						workspaceId: 'ws-summit',
						_id: id,
						fname: 'F',
						lname: id,
						email: `${id}@x.test`,
					})),
				});
				const cut = paged.state.getDoc('ws-summit', 'person', 'b')?.updated_at as string;
				const { items } = await runNode({
					type: 'spotMe',
					parameters: {
						resource: 'person',
						operation: 'getChanges',
						workspaceId: summitWorkspace,
						since: cut,
						returnAll: true,
					},
					...spotMeCredentials(paged),
				});
				expect(items.map((i) => i.json._id)).toEqual(['c', 'd', 'e']);
				expect(paged.requestLog()[1].since).toBe(cut); // [0] is GET /me: the fresh credential is verified once
				expect(
					paged.callCounts().byRoute['POST /workspace/:eid/global/docs/:type/changes/since'],
				).toBe(2);
			} finally {
				await paged.stop();
			}
		});

		it('remembers its position between runs, so each change comes once', async () => {
			seedPeople(['a', 'b']);
			const staticData: Record<string, unknown> = {};
			const spec = (): WorkflowSpec => ({
				staticData: staticData as WorkflowSpec['staticData'],
				nodes: [
					{ name: 'Items', type: 'test.items', parameters: { items: '[{}]' } },
					{
						name: 'Changes',
						type: 'n8n-nodes-marketo-spotme.spotMe',
						parameters: {
							resource: 'person',
							operation: 'getChanges',
							workspaceId: summitWorkspace,
							returnAll: true,
							options: { keepCursor: true },
						},
						credentials: spotMeCredentials(emu).credentials,
					},
				],
				connections: { Items: { main: [[{ node: 'Changes', type: 'main' as never, index: 0 }]] } },
			});
			const { credentialsHelper } = spotMeCredentials(emu);
			const first = await runWorkflow(spec(), credentialsHelper);
			expect(first.output('Changes').map((i) => i.json._id)).toEqual(['a', 'b']);

			const second = await runWorkflow(
				{ ...spec(), staticData: first.workflow.staticData },
				credentialsHelper,
			);
			expect(second.output('Changes')).toEqual([]);

			emu.state.upsert('ws-summit', 'person', { _id: 'a', company: 'New Co' });
			seedPeople(['c']);
			const third = await runWorkflow(
				{ ...spec(), staticData: second.workflow.staticData },
				credentialsHelper,
			);
			expect(third.output('Changes').map((i) => [i.json._id, i.json.company ?? null])).toEqual([
				['a', 'New Co'],
				['c', null],
			]);
		});

		it('sends "since" as epoch milliseconds when told to', async () => {
			seedPeople(['a']);
			await runNode({
				type: 'spotMe',
				parameters: {
					resource: 'person',
					operation: 'getChanges',
					workspaceId: summitWorkspace,
					since: '2020-01-01T00:00:00Z',
					options: { sinceFormat: 'epochMs' },
				},
				...spotMeCredentials(emu),
			});
			const sent = emu.requestLog().filter((e) => e.route.endsWith('changes/since'));
			expect(sent.map((e) => e.since)).toEqual([Date.parse('2020-01-01T00:00:00Z')]);
		});

		it('a "since" that is not a date fails naming the field', async () => {
			const { error } = await runNode({
				type: 'spotMe',
				parameters: {
					resource: 'person',
					operation: 'getChanges',
					workspaceId: summitWorkspace,
					since: 'last tuesday',
				},
				...spotMeCredentials(emu),
			});
			expect(error?.message).toBe('Since "last tuesday" is not a date');
		});
	});

	describe('Set Marketo Lead ID', () => {
		beforeEach(() =>
			emu.seed({
				people: [
					{
						workspaceId: 'ws-summit',
						_id: 'p1',
						fname: 'Ada',
						lname: 'L',
						email: 'a@x.test',
						company: 'Keep Me',
					},
				],
			}),
		);

		it('writes the lead ID to marketo_lead_id and leaves the rest of the person alone', async () => {
			const { items } = await runNode({
				type: 'spotMe',
				parameters: {
					resource: 'person',
					operation: 'setMarketoLeadId',
					workspaceId: summitWorkspace,
					personId: 'p1',
					leadId: '4242',
				},
				...spotMeCredentials(emu),
			});
			expect(items[0].json).toMatchObject({
				_id: 'p1',
				marketo_lead_id: '4242',
				status: 'updated',
			});
			expect(emu.state.getDoc('ws-summit', 'person', 'p1')).toMatchObject({
				marketo_lead_id: '4242',
				company: 'Keep Me',
				fname: 'Ada',
			});
		});

		it('writes to a configured field instead', async () => {
			await runNode({
				type: 'spotMe',
				parameters: {
					resource: 'person',
					operation: 'setMarketoLeadId',
					workspaceId: summitWorkspace,
					personId: 'p1',
					leadId: '7',
					options: { fieldName: 'mkto_id' },
				},
				...spotMeCredentials(emu),
			});
			const doc = emu.state.getDoc('ws-summit', 'person', 'p1');
			expect(doc?.mkto_id).toBe('7');
			expect(doc?.marketo_lead_id).toBeUndefined();
		});

		it('never creates a person: an unknown _id becomes an error item', async () => {
			const { items } = await runNode({
				type: 'spotMe',
				parameters: {
					resource: 'person',
					operation: 'setMarketoLeadId',
					workspaceId: summitWorkspace,
					personId: '={{ $json.id }}',
					leadId: '1',
				},
				items: [{ id: 'ghost' }, { id: 'p1' }],
				continueOnFail: true,
				...spotMeCredentials(emu),
			});
			expect(items[0].json.error).toMatch(/^Could not set the Marketo lead ID on person ghost/);
			expect(items[1].json.status).toBe('updated');
			expect(emu.state.getDoc('ws-summit', 'person', 'ghost')).toBeUndefined();
		});
	});
});
