/**
 * Exactly-once upserts through n8n's engine against the emulator. A write whose answer is lost (the
 * connection dropped after Marketo wrote it, or dropped while Marketo goes on writing) is not sent
 * again blindly: the transport waits until Marketo's own time-out has passed, looks up what Marketo
 * holds by the keys and sends only what is missing, as updates where the record now exists. The
 * emulator's dropWhileWriting cuts the client off at once and writes when its hold ends, so a blind
 * re-send meanwhile creates every new record twice, as Marketo does.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { leadsByEmail, runMarketo, startEmulator } from './setup';

const LEADS = '/rest/v1/leads.json';
const OBJECT = 'ticket_c';
/** How long Marketo goes on writing after the connection dropped (under its 3.1 s time-out at ×0.01). */
const LATE = 1500;

/** Any write the emulator still holds has landed. */
const settled = () => new Promise((resolve) => setTimeout(resolve, LATE + 100));

const upsert = {
	resource: 'lead',
	operation: 'upsert',
	syncAction: 'createOrUpdate',
	lookupField: 'email',
	fields: { mappingMode: 'autoMapInputData', value: null },
};
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
		expect(leadsByEmail(emu).get('twin@example.com')).toHaveLength(2);
		expect(leadsByEmail(emu).get('solo@example.com')).toHaveLength(1);
	});
});
