/**
 * Visible waits (issue 15): why a run took long is in n8n's log. Marketo's 606 back-off, a token
 * refresh after 602, and records Marketo skipped each leave a line in n8n's logger, and no line
 * carries the client secret or an access token.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { captureN8nLogs } from '../../dev/harness/engine';
import { credentialsFor, runMarketo, startEmulator } from './setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

const LEADS = '/rest/v1/leads.json';

describe("Marketo: waits and skipped records in n8n's log", () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator();
	});
	afterEach(async () => await emu.stop());

	it('a 606 back-off, a token refresh and a skipped record each leave a line, without any secret', async () => {
		emu.setFaults({
			script: [{ fault: '606', path: LEADS, times: 1 }],
			expireTokensAfterCalls: 1,
			perRecord: [
				{ kind: 'lead', match: { email: 'w7@example.com' }, code: '1003', message: 'Bad' },
			],
		});
		const creds = credentialsFor(emu);
		const items = Array.from({ length: 900 }, (_, i) => ({ email: `w${i}@example.com` }));
		const { value: run, lines } = await captureN8nLogs(
			async () =>
				await runMarketo(emu, LEAD_UPSERT_BY_EMAIL, items, { continueOnFail: true, creds }),
		);
		expect(run.error).toBeUndefined();
		expect(run.json.filter((j) => j.error !== undefined)).toHaveLength(1);
		const text = lines.map((l) => l.message);
		expect(text.some((m) => /answered 606 .*; waiting \d+ ms before attempt 2/.test(m))).toBe(true);
		expect(text.some((m) => /fetching a fresh access token/.test(m))).toBe(true);
		expect(text.some((m) => /1 of 900 records not written/.test(m))).toBe(true);
		// no secret: neither the client secret nor any token the emulator issued
		const tokens = [...((emu as unknown as { tokens: Map<string, unknown> }).tokens?.keys() ?? [])];
		expect(tokens.length).toBeGreaterThan(1);
		for (const secret of [emu.clientSecret, ...tokens])
			for (const m of text) expect(m).not.toContain(secret);
	});
});
