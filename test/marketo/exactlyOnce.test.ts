/**
 * Exactly-once upserts through n8n's engine against the emulator. A write whose answer is lost (the
 * connection dropped after Marketo wrote it, or dropped while Marketo goes on writing) is not sent
 * again blindly: the transport waits until Marketo's own time-out has passed, looks up what Marketo
 * holds by the keys and sends only what is missing, as updates where the record now exists. The
 * emulator's dropWhileWriting cuts the client off at once and writes when its hold ends, so a blind
 * re-send meanwhile creates every new record twice, as Marketo does.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { credentialsFor, leadsByEmail, runMarketo, startEmulator } from './setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

const LEADS = '/rest/v1/leads.json';
const OBJECT = 'ticket_c';
/** How long Marketo goes on writing after the connection dropped (under its 3.1 s time-out at ×0.01). */
const LATE = 1500;

/** Any write the emulator still holds has landed. */
const settled = () => new Promise((resolve) => setTimeout(resolve, LATE + 100));

const upsert = LEAD_UPSERT_BY_EMAIL;
const objectUpsert = {
	resource: 'customObject',
	operation: 'upsert',
	customObjectName: OBJECT,
	syncAction: 'createOrUpdate',
	dedupeBy: 'dedupeFields',
	columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
};

describe('Marketo node: a write whose answer was lost is not sent blindly again', () => {
	let emu: MarketoEmulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(async () => await emu.stop());
	beforeEach(() => {
		emu.reset();
		emu.seed({
			customObjectTypes: [
				{
					name: OBJECT,
					fields: [
						{ name: 'code', dataType: 'string', isDedupeField: true },
						{ name: 'seat', dataType: 'string' },
					],
				},
			],
		});
	});

	it('leads: a connection dropped while Marketo writes and one dropped after it wrote leave 0 duplicates and every item written', async () => {
		emu.seed({ leads: [{ email: 'known5@example.com', firstName: 'Before' }] });
		emu.setFaults({
			timeoutMs: LATE,
			script: [
				{ fault: 'dropWhileWriting', path: LEADS, method: 'POST' },
				{ fault: 'dropAfterWrite', path: LEADS, method: 'POST' },
			],
		});
		const items = Array.from({ length: 900 }, (_, i) => ({
			email: i === 5 ? 'known5@example.com' : `lost${i}@example.com`,
			firstName: `F${i}`,
		}));
		const run = await runMarketo(emu, upsert, items);
		await settled();
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(900);
		expect(run.paired).toEqual(items.map((_, i) => i));
		const leads = leadsByEmail(emu);
		for (const item of items) expect(leads.get(item.email)).toHaveLength(1);
		expect(emu.state.leads.size).toBe(900);
		expect(leads.get('known5@example.com')?.[0].firstName).toBe('F5');
		// the lost calls were followed by lookups, and only then by sends
		const log = emu.requestLog().filter((e) => e.path === LEADS);
		expect(log.filter((e) => e.code === 'lost')).toHaveLength(2);
		expect(log.length).toBeGreaterThan(5);
		expect(run.json.every((j) => j.status === 'created' || j.status === 'updated')).toBe(true);
	});

	it('custom objects: a connection dropped while Marketo writes leaves 0 duplicates', async () => {
		emu.setFaults({
			timeoutMs: LATE,
			script: [{ fault: 'dropWhileWriting', path: `/${OBJECT}.json`, method: 'POST' }],
		});
		const items = Array.from({ length: 400 }, (_, i) => ({ code: `t${i}`, seat: `S${i}` }));
		const run = await runMarketo(emu, objectUpsert, items);
		await settled();
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(400);
		const stored = emu.state.customObjects.get(OBJECT) ?? [];
		const codes = stored.map((r) => r.code);
		expect(new Set(codes).size).toBe(400);
		expect(stored).toHaveLength(400);
		expect(run.json.map((j) => j.marketoGUID).every((g) => typeof g === 'string')).toBe(true);
	});

	it('a key Marketo holds twice after a lost answer is reported with both ids, not written', async () => {
		emu.seed({ leads: [{ email: 'twin@example.com' }, { email: 'twin@example.com' }] });
		const twins = (leadsByEmail(emu).get('twin@example.com') ?? []).map((l) => String(l.id));
		emu.setFaults({ script: [{ fault: 'dropAfterWrite', path: LEADS, method: 'POST' }] });
		const run = await runMarketo(
			emu,
			upsert,
			[{ email: 'solo@example.com' }, { email: 'twin@example.com', firstName: 'X' }],
			{ continueOnFail: true },
		);
		// written by the lost call, then sent again as an update
		expect(run.json[0].status).toBe('updated');
		const report = JSON.stringify(run.json[1]);
		expect(report).toContain('twin@example.com');
		for (const id of twins) expect(report).toContain(id);
		expect(report).toMatch(/holds 2 leads with email/);
		// the error item carries the key and the ids as fields, not only in its text
		expect(run.json[1].key).toBe('twin@example.com');
		expect(run.json[1].duplicateIds).toEqual(twins);
		expect(leadsByEmail(emu).get('twin@example.com')).toHaveLength(2);
		expect(leadsByEmail(emu).get('solo@example.com')).toHaveLength(1);
	});

	it('a record Marketo skips with 1007 (its key held by two leads) names the key and both ids, with and without Continue on Fail', async () => {
		emu.seed({ leads: [{ email: 'pair@example.com' }, { email: 'pair@example.com' }] });
		const pair = (leadsByEmail(emu).get('pair@example.com') ?? []).map((l) => String(l.id));
		const items = [{ email: 'one@example.com' }, { email: 'PAIR@example.com', firstName: 'P' }];
		const run = await runMarketo(emu, upsert, items, { continueOnFail: true });
		expect(run.error).toBeUndefined();
		expect(run.json[0].status).toBe('created');
		expect(run.json[1]).toMatchObject({
			code: '1007',
			key: 'PAIR@example.com',
			duplicateIds: pair,
		});
		expect(String(run.json[1].message)).toContain(`ids ${pair.join(', ')}`);
		// Continue on Fail off: the node's error names the item, its key and the ids, and the count written
		const off = await runMarketo(emu, upsert, items);
		expect(off.error?.description).toContain('1 of 2 records were written');
		expect(off.error?.description).toContain('item 1 [PAIR@example.com]');
		expect(off.error?.description).toContain(`ids ${pair.join(', ')}`);
		// one lookup per run for the key held twice, nothing written to it
		expect(leadsByEmail(emu).get('pair@example.com')).toHaveLength(2);
	});
});

/**
 * Proportionate waits: a lost upsert answer is settled once Marketo's own time-out for the write has
 * passed (Sync Leads: 90 s, plus a tenth and 5 s), not the 310 s the transport allows the slowest
 * endpoints. Time ×0.05: the write's bound is 5.2 s real, the transport's time-out 15.5 s.
 */
describe("Marketo node: a lost upsert answer is settled after Sync Leads' own time-out", () => {
	const SCALE = 0.05;
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startEmulator({ timeScale: SCALE });
	});
	afterEach(async () => await emu.stop());

	it('a write Marketo holds open is given up at its bound and looked up while Marketo still holds it, then sent once', async () => {
		// The call hangs for 9 s real (180 s Marketo time) and is never written; the connection then drops.
		emu.setFaults({ timeoutMs: 9000, script: [{ fault: 'timeout', path: LEADS, method: 'POST' }] });
		const run = await runMarketo(emu, upsert, [{ email: 'held@example.com', firstName: 'H' }], {
			creds: credentialsFor(emu, { timeScale: SCALE }),
		});
		expect(run.error).toBeUndefined();
		expect(run.json[0].status).toBe('created');
		await new Promise((resolve) => setTimeout(resolve, 9500));
		const log = emu.requestLog().filter((e) => e.path === LEADS);
		const lookup = log.findIndex((e) => e.method === 'GET');
		const hung = log.findIndex((e) => e.code === 'timeout');
		// The lookup came while the hung call was still open: the client did not wait out 310 s.
		expect(lookup).toBeGreaterThanOrEqual(0);
		expect(hung).toBeGreaterThan(lookup);
		expect(leadsByEmail(emu).get('held@example.com')).toHaveLength(1);
	});

	it('a write Marketo finishes 80 s (Marketo time) after the connection dropped is found, not created twice', async () => {
		emu.setFaults({
			timeoutMs: 4000,
			script: [{ fault: 'dropWhileWriting', path: LEADS, method: 'POST' }],
		});
		const items = Array.from({ length: 50 }, (_, i) => ({ email: `late${i}@example.com` }));
		const run = await runMarketo(emu, upsert, items, {
			creds: credentialsFor(emu, { timeScale: SCALE }),
		});
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.status)).toEqual(items.map(() => 'updated'));
		for (const item of items) expect(leadsByEmail(emu).get(item.email)).toHaveLength(1);
	});
});
