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
});
