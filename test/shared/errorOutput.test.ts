/**
 * "On Error: Continue (using error output)": failed records must leave by the node's error output and
 * successes by the main one, for both nodes, as n8n's engine routes them.
 */
import type { IDataObject, INodeCredentialsDetails } from 'n8n-workflow';

import { runWorkflow, PACKAGE_NAME, type TestCredentialsHelper } from '../../dev/harness/engine';
import { credentialsFor, startEmulator } from '../marketo/setup';
import {
	personUpsertParams,
	spotMeCredentials,
	standardSeed,
	startScaledSpotMe,
} from '../spotme/emulator-setup';

async function runWithErrorOutput(
	type: string,
	parameters: Record<string, unknown>,
	items: IDataObject[],
	creds: {
		credentialsHelper: TestCredentialsHelper;
		credentials: Record<string, INodeCredentialsDetails>;
	},
) {
	const result = await runWorkflow(
		{
			nodes: [
				{ name: 'Items', type: 'test.items', parameters: { items: JSON.stringify(items) } },
				{
					name: 'Node',
					type: `${PACKAGE_NAME}.${type}`,
					parameters: parameters as never,
					credentials: creds.credentials,
					onError: 'continueErrorOutput',
				},
			],
			connections: { Items: { main: [[{ node: 'Node', type: 'main' as never, index: 0 }]] } },
		},
		creds.credentialsHelper,
	);
	expect(result.error).toBeUndefined();
	return { success: result.output('Node', 0), failed: result.output('Node', 1) };
}

describe('error output ("On Error: Continue (using error output)")', () => {
	it('Marketo: leads Marketo skipped leave by the error output with their reason, the others by the main output', async () => {
		const emu = await startEmulator();
		try {
			emu.seed({ leads: [{ email: 'taken@example.com', firstName: 'Old' }] });
			const out = await runWithErrorOutput(
				'marketo',
				{
					resource: 'lead',
					operation: 'upsert',
					syncAction: 'createOnly',
					lookupField: 'email',
					fields: { mappingMode: 'autoMapInputData', value: null },
				},
				[
					{ email: 'new1@example.com' },
					{ email: 'taken@example.com' },
					{ email: 'new2@example.com' },
				],
				credentialsFor(emu),
			);
			expect(out.success.map((i) => i.json.status)).toEqual(['created', 'created']);
			expect(out.success.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
			expect(out.failed).toHaveLength(1);
			expect(out.failed[0].pairedItem).toEqual({ item: 1 });
			expect(String(out.failed[0].json.error)).toContain('1005');
			// n8n adds the input item's fields; Marketo's code and the input sent stay under details.
			expect(out.failed[0].json.email).toBe('taken@example.com');
			expect(out.failed[0].json.details).toMatchObject({ code: '1005' });
		} finally {
			await emu.stop();
		}
	});

	it('SpotMe: a person with an invalid email leaves by the error output, the others are created', async () => {
		const emu = await startScaledSpotMe();
		try {
			emu.seed(standardSeed);
			const out = await runWithErrorOutput(
				'spotMe',
				personUpsertParams(),
				[
					{ id: 'p1', email: 'p1@example.com', first: 'P', last: 'One' },
					{ id: 'p2', email: 'not-an-email', first: 'P', last: 'Two' },
				],
				spotMeCredentials(emu),
			);
			expect(out.success).toHaveLength(1);
			expect(out.success[0].pairedItem).toEqual({ item: 0 });
			expect(out.failed).toHaveLength(1);
			expect(out.failed[0].pairedItem).toEqual({ item: 1 });
			expect(String(out.failed[0].json.error)).toContain('not a valid email');
		} finally {
			await emu.stop();
		}
	});

	describe('Marketo: Program Member › Set Status', () => {
		const PROGRAM = 1001;
		const setStatusParams = (options: IDataObject = {}) => ({
			resource: 'programMember',
			operation: 'setStatus',
			programId: { __rl: true, mode: 'id', value: String(PROGRAM) },
			leadId: '={{ $json.leadId }}',
			statusName: 'Registered',
			options,
		});
		const start = async () => {
			const emu = await startEmulator({
				seed: {
					programs: [{ id: PROGRAM, name: '2026 Spring Summit', channel: 'Live Event' }],
					leads: Array.from({ length: 4 }, (_, i) => ({ email: `m${i}@example.com` })),
				},
			});
			return { emu, lead: [...emu.state.leads.values()].map((l) => l.id) };
		};

		it('a refused member leaves by the error output; a member Marketo skips (1037) is skipped, not failed, and leaves by the main output like one the node itself skips', async () => {
			const { emu, lead } = await start();
			try {
				emu.seed({ members: [{ programId: PROGRAM, leadId: lead[3], statusName: 'Attended' }] });
				emu.setFaults({
					perRecord: [
						{ kind: 'programMemberStatus', match: { leadId: lead[1] }, code: '1004' },
						{ kind: 'programMemberStatus', match: { leadId: lead[2] }, code: '1037' },
					],
				});
				const out = await runWithErrorOutput(
					'marketo',
					setStatusParams(),
					lead.map((leadId, i) => ({ leadId, who: `p${i}` })),
					credentialsFor(emu),
				);
				expect(out.failed).toHaveLength(1);
				expect(out.failed[0].pairedItem).toEqual({ item: 1 });
				expect(out.failed[0].json).toMatchObject({ who: 'p1', details: { code: '1004' } });
				expect(String(out.failed[0].json.error)).toContain('1004');
				expect(out.success.map((i) => [i.pairedItem, i.json.status])).toEqual([
					[{ item: 0 }, 'created'],
					[{ item: 2 }, 'skipped'],
					[{ item: 3 }, 'skipped'],
				]);
				expect(String(out.success[1].json.reason)).toContain('1037');
				expect(out.success[2].json.currentStatus).toBe('Attended');
			} finally {
				await emu.stop();
			}
		});

		it('a failure of the whole node (an option it cannot read) sends every item to the error output, none to the main one (n8n itself would pass the input items on as successes)', async () => {
			const { emu, lead } = await start();
			try {
				const out = await runWithErrorOutput(
					'marketo',
					setStatusParams({ sameStepMoves: 'not a move' }),
					lead.slice(0, 2).map((leadId) => ({ leadId })),
					credentialsFor(emu),
				);
				expect(out.success).toEqual([]);
				expect(out.failed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
				for (const item of out.failed) {
					expect(String(item.json.error)).toContain('is not a move');
					expect(item.json.leadId).toBeDefined(); // n8n adds the input item's fields
				}
				expect(emu.state.members.get(PROGRAM)?.size ?? 0).toBe(0);
			} finally {
				await emu.stop();
			}
		});
	});
});
