/**
 * Activity resource through n8n's engine against the Marketo emulator: paging tokens from a date,
 * pages followed while moreResult is true (also across empty pages), filters and limits.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { marketoDropdown, runMarketo, startEmulator } from './setup';

const SINCE = '2026-11-01T00:00:00Z';

function at(day: number, hour = 12): string {
	return `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
}

describe('Marketo Activity', () => {
	let emu: MarketoEmulator;

	beforeAll(async () => {
		// A small scan block makes Marketo's "fewer than 300 (even 0) records but moreResult:true" pages happen.
		emu = await startEmulator({ activityScanSize: 5 });
	});
	afterAll(async () => {
		await emu.stop();
	});
	beforeEach(() => {
		emu.reset();
		emu.seed({
			leads: [
				{ id: 1, email: 'ada@example.com', firstName: 'Ada' },
				{ id: 2, email: 'bob@example.com', firstName: 'Bob' },
			],
			activities: [
				{
					leadId: 1,
					activityTypeId: 1,
					activityDate: '2026-10-20T10:00:00Z',
					primaryAttributeValue: 'old-page.html',
				},
				// 30 email opens: whole scan blocks without a single web visit.
				...Array.from({ length: 30 }, (_, n) => ({
					leadId: 2,
					activityTypeId: 10,
					activityDate: at(2, 0 + (n % 20)),
					primaryAttributeValue: `Mail ${n}`,
				})),
				{
					leadId: 1,
					activityTypeId: 1,
					activityDate: at(5),
					primaryAttributeValue: 'pricing.html',
					attributes: [{ name: 'Webpage URL', value: 'https://example.com/pricing.html' }],
				},
				{ leadId: 2, activityTypeId: 1, activityDate: at(6), primaryAttributeValue: 'agenda.html' },
				{ leadId: 1, activityTypeId: 12, activityDate: at(7) },
				{
					leadId: 1,
					activityTypeId: 13,
					activityDate: at(8),
					primaryAttributeValue: 'company',
					fields: [{ id: 6, name: 'company', newValue: 'Acme', oldValue: null }],
				},
				{
					leadId: 2,
					activityTypeId: 13,
					activityDate: at(9),
					primaryAttributeValue: 'title',
					fields: [{ id: 7, name: 'title', newValue: 'CTO', oldValue: 'Dev' }],
				},
				{ leadId: 3, activityTypeId: 37, activityDate: at(10), primaryAttributeValue: '3' },
			],
		});
	});

	describe('Get Many', () => {
		it('returns the chosen types since the date, following moreResult across empty pages', async () => {
			emu.clearLog();
			const out = await runMarketo(emu, {
				resource: 'activity',
				operation: 'getAll',
				sinceDatetime: SINCE,
				activityTypeIds: [1, 12],
				returnAll: true,
				simplify: false,
			});
			expect(out.error).toBeUndefined();
			expect(out.json.map((a) => [a.activityTypeId, a.primaryAttributeValue ?? null])).toEqual([
				[1, 'pricing.html'],
				[1, 'agenda.html'],
				[12, null],
			]);
			const pages = emu.requestLog().filter((r) => r.path.endsWith('/v1/activities.json'));
			expect(pages.length).toBeGreaterThan(2);
			expect(
				emu.requestLog().filter((r) => r.path.endsWith('/activities/pagingtoken.json')),
			).toHaveLength(1);
		});

		it('simplifies attributes into an object and names the activity type', async () => {
			const out = await runMarketo(emu, {
				resource: 'activity',
				operation: 'getAll',
				sinceDatetime: SINCE,
				activityTypeIds: [1],
				returnAll: true,
			});
			expect(out.json[0].attributes).toEqual(
				expect.objectContaining({ 'Webpage URL': 'https://example.com/pricing.html' }),
			);
			expect(out.json[0].activityType).toBe('Visit Webpage');
		});

		it('stops at the limit and filters by lead IDs', async () => {
			const limited = await runMarketo(emu, {
				resource: 'activity',
				operation: 'getAll',
				sinceDatetime: SINCE,
				activityTypeIds: [10],
				returnAll: false,
				limit: 7,
			});
			expect(limited.json).toHaveLength(7);

			const ada = await runMarketo(emu, {
				resource: 'activity',
				operation: 'getAll',
				sinceDatetime: SINCE,
				activityTypeIds: [1, 10, 12],
				returnAll: true,
				filters: { leadIds: '1' },
			});
			expect(ada.json.length).toBe(2);
			expect(ada.json.every((a) => a.leadId === 1)).toBe(true);
		});

		it('filters by static list', async () => {
			emu.seed({ lists: [{ id: 77, name: 'Webinar invitees', leadIds: [2] }] });
			const out = await runMarketo(emu, {
				resource: 'activity',
				operation: 'getAll',
				sinceDatetime: SINCE,
				activityTypeIds: [1],
				returnAll: true,
				filters: { listId: 77 },
			});
			expect(out.error).toBeUndefined();
			expect(out.json.map((a) => [a.leadId, a.primaryAttributeValue])).toEqual([
				[2, 'agenda.html'],
			]);
		});

		it('more than 10 activity types is bad input naming the field, before any call', async () => {
			emu.clearLog();
			const out = await runMarketo(emu, {
				resource: 'activity',
				operation: 'getAll',
				sinceDatetime: SINCE,
				activityTypeIds: [1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13],
				returnAll: true,
			});
			expect(out.error?.message).toMatch(
				/"Activity Type Names or IDs" has 11 types; Marketo accepts at most 10/,
			);
			expect(emu.requestLog().filter((r) => r.path.includes('/activities'))).toHaveLength(0);
		});

		it('more than 30 lead IDs are read in calls of 30 and merged in time order', async () => {
			emu.clearLog();
			// lead 1 is first, lead 2 is 61st: they fall in different calls of 30
			const ids = [1, ...Array.from({ length: 59 }, (_, n) => n + 100), 2];
			const out = await runMarketo(emu, {
				resource: 'activity',
				operation: 'getAll',
				sinceDatetime: SINCE,
				activityTypeIds: [1],
				returnAll: true,
				filters: { leadIds: ids.join(',') },
			});
			expect(out.error).toBeUndefined();
			expect(out.json.map((a) => a.primaryAttributeValue)).toEqual(['pricing.html', 'agenda.html']);
			const reads = emu
				.requestLog()
				.filter((r) => r.path === '/rest/v1/activities.json' && !r.code);
			expect(reads.length).toBeGreaterThanOrEqual(3);
		});
	});

	describe('Get Lead Changes', () => {
		it('returns the changes of the chosen fields with old and new values', async () => {
			const out = await runMarketo(emu, {
				resource: 'activity',
				operation: 'getLeadChanges',
				sinceDatetime: SINCE,
				fields: ['company', 'title'],
				returnAll: true,
			});
			expect(out.error).toBeUndefined();
			const changes = out.json.filter((c) => c.activityTypeId === 13);
			expect(
				changes.map((c) => (c.fields as Array<{ name: string; newValue: unknown }>)[0]),
			).toEqual([
				expect.objectContaining({ name: 'company', newValue: 'Acme' }),
				expect.objectContaining({ name: 'title', newValue: 'CTO' }),
			]);
		});

		it('fields that resolve to nothing are bad input naming the parameter (n8n itself rejects an empty list)', async () => {
			const out = await runMarketo(
				emu,
				{
					resource: 'activity',
					operation: 'getLeadChanges',
					sinceDatetime: SINCE,
					fields: '={{ $json.fields }}',
					returnAll: true,
				},
				[{ fields: [] }],
			);
			expect(out.error?.message).toMatch(/No field is selected in "Lead Field Names or IDs"/);
		});
	});

	it('Get Deleted Leads returns the leads deleted since the date', async () => {
		const out = await runMarketo(emu, {
			resource: 'activity',
			operation: 'getDeletedLeads',
			sinceDatetime: SINCE,
			returnAll: true,
		});
		expect(out.error).toBeUndefined();
		expect(out.json).toEqual([expect.objectContaining({ leadId: 3, activityTypeId: 37 })]);
	});

	it('Get Types and the types dropdown list the activity types of the instance', async () => {
		const out = await runMarketo(emu, { resource: 'activity', operation: 'getTypes' }, [{}, {}]);
		expect(out.json.filter((t) => t.name === 'Visit Webpage')).toHaveLength(2);
		expect(out.paired.filter((p) => p === 1).length).toBe(out.json.length / 2);

		const options = (await marketoDropdown(emu, 'loadOptions', 'getActivityTypes', {})) as Array<{
			name: string;
			value: number;
		}>;
		expect(options).toEqual(
			expect.arrayContaining([
				{ name: 'Visit Webpage (1)', value: 1, description: expect.any(String) },
			]),
		);
	});
});
