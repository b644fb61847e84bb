/**
 * Marketo's 1 MB body limit and Continue on Fail off, through n8n's engine against the emulator (which
 * answers 413 to a body over 1 MB, as Marketo does). Batches are cut by bytes as well as by 300 records;
 * a record that alone is too big is its own error item; with Continue on Fail off one error names every
 * refused record and how many were written.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { callsTo, leadsByEmail, runMarketo, startEmulator } from './setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

const upsert = LEAD_UPSERT_BY_EMAIL;

const OBJECT = 'bigNote_c';
const objectUpsert = {
	resource: 'customObject',
	operation: 'upsert',
	customObjectName: OBJECT,
	syncAction: 'createOrUpdate',
	dedupeBy: 'dedupeFields',
	columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
};

describe('Marketo node: the 1 MB request limit', () => {
	let emu: MarketoEmulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(async () => await emu.stop());
	beforeEach(() => {
		emu.reset();
		emu.seed({
			leadFields: [{ name: 'notes', dataType: 'text', displayName: 'Notes' }],
			customObjectTypes: [
				{
					name: OBJECT,
					fields: [
						{ name: 'code', dataType: 'string', isDedupeField: true },
						{ name: 'body', dataType: 'text' },
					],
				},
			],
		});
	});

	it('600 leads with a 4 KB field all arrive: batches are cut under 1 MB, none answered 413', async () => {
		const items = Array.from({ length: 600 }, (_, i) => ({
			email: `big${i}@example.com`,
			notes: 'x'.repeat(4096),
		}));
		const run = await runMarketo(emu, upsert, items);
		expect(run.error).toBeUndefined();
		expect(run.json.filter((j) => j.status === 'created')).toHaveLength(600);
		expect(emu.requestLog().filter((e) => e.status === 413)).toHaveLength(0);
		const leads = leadsByEmail(emu);
		for (let i = 0; i < 600; i++) expect(leads.get(`big${i}@example.com`)).toHaveLength(1);
		// 600 × ~4.1 KB = ~2.5 MB: at least three calls, far fewer than one per record.
		expect(callsTo(emu, '/rest/v1/leads.json')).toBeGreaterThanOrEqual(3);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBeLessThanOrEqual(4);
	});

	it('400 custom object records of 3.6 KB are all stored', async () => {
		const items = Array.from({ length: 400 }, (_, i) => ({
			code: `c${i}`,
			body: 'y'.repeat(3600),
		}));
		const run = await runMarketo(emu, objectUpsert, items);
		expect(run.error).toBeUndefined();
		expect(run.json.filter((j) => j.status === 'created')).toHaveLength(400);
		expect(emu.state.customObjects.get(OBJECT)).toHaveLength(400);
		expect(emu.requestLog().filter((e) => e.status === 413)).toHaveLength(0);
	});

	it('a record over 1 MB alone is an error item naming its size and largest field; the others are written', async () => {
		const items = [
			{ email: 'small1@example.com', notes: 'a' },
			{ email: 'huge@example.com', notes: 'z'.repeat(1_100_000), firstName: 'Huge' },
			{ email: 'small2@example.com', notes: 'b' },
		];
		const run = await runMarketo(emu, upsert, items, { continueOnFail: true });
		expect(run.error).toBeUndefined();
		expect(run.paired).toEqual([0, 1, 2]);
		expect(run.json[0].status).toBe('created');
		expect(run.json[2].status).toBe('created');
		const error = JSON.stringify(run.json[1]);
		expect(error).toMatch(/over the 1 MB/);
		expect(error).toMatch(/notes 1100002 bytes/);
		expect(leadsByEmail(emu).has('huge@example.com')).toBe(false);
		expect(emu.requestLog().filter((e) => e.status === 413)).toHaveLength(0);
	});

	it('with Continue on Fail off, after every batch one error names each refused item (index, key, code, reason) and how many were written', async () => {
		emu.setFaults({
			perRecord: [
				{ kind: 'lead', match: { email: 'p3@example.com' }, code: '1003', message: 'Bad three' },
				{ kind: 'lead', match: { email: 'p450@example.com' }, code: '1001', message: 'Bad 450' },
				{ kind: 'lead', match: { email: 'p599@example.com' }, code: '1006', message: 'Bad 599' },
			],
		});
		const items = Array.from({ length: 600 }, (_, i) => ({ email: `p${i}@example.com` }));
		const run = await runMarketo(emu, upsert, items);
		expect(run.error).toBeDefined();
		const text = `${run.error?.message} ${run.error?.description}`;
		expect(text).toContain('597 of 600 records were written');
		expect(text).toContain('item 3 [p3@example.com] (1003: Bad three)');
		expect(text).toContain('item 450 [p450@example.com] (1001: Bad 450)');
		expect(text).toContain('item 599 [p599@example.com] (1006: Bad 599)');
		// every batch was sent: the records after the first refusal were written
		expect(emu.state.leads.size).toBe(597);
	});

	it('with Continue on Fail off and more than 50 refused, the error still names every one (index and key, by reason)', async () => {
		const bad = Array.from({ length: 70 }, (_, k) => k * 8 + 1);
		emu.setFaults({
			perRecord: bad.map((i) => ({
				kind: 'lead' as const,
				match: { email: `r${i}@example.com` },
				code: i % 2 ? '1003' : '1001',
				message: i % 2 ? 'Odd' : 'Even',
			})),
		});
		const items = Array.from({ length: 600 }, (_, i) => ({ email: `r${i}@example.com` }));
		const run = await runMarketo(emu, upsert, items);
		const text = `${run.error?.description}`;
		expect(text).toContain('530 of 600 records were written');
		for (const i of bad) expect(text).toMatch(new RegExp(`\\b${i} \\[r${i}@example\\.com\\]`));
		expect(text).toContain('and 20 more: (1003: Odd) items ');
	});
});
