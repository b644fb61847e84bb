import { startMarketoEmulator, seedPresets, type MarketoEmulator } from '../index';
import { client, codeOf } from './helpers';

describe('Marketo emulator: activities and usage stats', () => {
	let emu: MarketoEmulator;
	let c: ReturnType<typeof client>;
	beforeEach(async () => {
		emu = await startMarketoEmulator({
			seed: seedPresets.spotme({ withSampleData: false }),
			activityScanSize: 5,
		});
		c = client(emu);
	});
	afterEach(() => emu.stop());

	async function pageAll(
		path: string,
		query: Record<string, string | number>,
		since = '2000-01-01T00:00:00Z',
	) {
		const t = await c.get('/rest/v1/activities/pagingtoken.json', { sinceDatetime: since });
		let token = t.body.nextPageToken;
		const pages: any[] = [];
		for (let i = 0; i < 100; i++) {
			const r = await c.get(path, { ...query, nextPageToken: token });
			expect(r.body.success).toBe(true);
			pages.push(r.body);
			token = r.body.nextPageToken;
			if (!r.body.moreResult) break;
		}
		return { pages, token, records: pages.flatMap((p) => p.result) };
	}

	it('gives a paging token for sinceDatetime and only returns activities from that time on', async () => {
		emu.seed({
			activities: [
				{ leadId: 1, activityTypeId: 1, activityDate: '2026-01-01T10:00:00Z' },
				{ leadId: 1, activityTypeId: 1, activityDate: '2026-03-01T10:00:00Z' },
			],
		});
		const t = await c.get('/rest/v1/activities/pagingtoken.json', {
			sinceDatetime: '2026-02-01T00:00:00+01:00',
		});
		expect(t.body).toEqual({
			requestId: expect.any(String),
			success: true,
			nextPageToken: expect.any(String),
		});
		const r = await c.get('/rest/v1/activities.json', {
			nextPageToken: t.body.nextPageToken,
			activityTypeIds: '1',
		});
		expect(r.body.result.map((a: any) => a.activityDate)).toEqual(['2026-03-01T10:00:00Z']);
		expect(r.body.moreResult).toBe(false);
		expect(
			codeOf(
				await c.get('/rest/v1/activities/pagingtoken.json', { sinceDatetime: 'yesterday-ish' }),
			),
		).toBe('704');
	});

	it('records activities for lead creation (12), field changes (13) and status changes (104)', async () => {
		emu.seed({ programs: [{ id: 2000, name: 'Web', channel: 'Webinar' }] });
		await c.post('/rest/v1/leads.json', { input: [{ email: 'a@x.com', firstName: 'A' }] });
		await c.post('/rest/v1/leads.json', { input: [{ email: 'a@x.com', firstName: 'Ann' }] });
		await c.post('/rest/v1/programs/2000/members/status.json', {
			statusName: 'Registered',
			input: [{ leadId: 1 }],
		});
		const { records } = await pageAll('/rest/v1/activities.json', { activityTypeIds: '12,13,104' });
		expect(records.map((a: any) => a.activityTypeId)).toEqual([12, 13, 104]);
		expect(records[1]).toMatchObject({
			leadId: 1,
			primaryAttributeValue: 'First Name',
			attributes: expect.arrayContaining([
				{ name: 'New Value', value: 'Ann' },
				{ name: 'Old Value', value: 'A' },
			]),
		});
		expect(records[2]).toMatchObject({
			primaryAttributeValueId: 2000,
			primaryAttributeValue: 'Web',
		});
		expect(records.every((a: any) => typeof a.marketoGUID === 'string')).toBe(true);
	});

	it('reproduces moreResult:true pages that hold few or no records, and paging to the end loses nothing', async () => {
		// 12 page visits, then one form fill: a filter on type 2 scans empty blocks first
		emu.seed({
			activities: [
				...Array.from({ length: 12 }, (_, i) => ({
					leadId: 1,
					activityTypeId: 1,
					activityDate: `2026-05-01T10:00:${String(i).padStart(2, '0')}Z`,
				})),
				{ leadId: 2, activityTypeId: 2, activityDate: '2026-05-01T11:00:00Z' },
			],
		});
		const { pages, records } = await pageAll('/rest/v1/activities.json', { activityTypeIds: '2' });
		expect(pages[0]).toMatchObject({ result: [], moreResult: true });
		expect(pages.length).toBeGreaterThanOrEqual(3);
		expect(records.map((a: any) => a.leadId)).toEqual([2]);
		expect(pages[pages.length - 1].moreResult).toBe(false);
	});

	it('continues from the last token: activities written after a poll appear on the next poll, once', async () => {
		const first = await pageAll(
			'/rest/v1/activities.json',
			{ activityTypeIds: '12' },
			new Date(Date.now() - 1000).toISOString(),
		);
		expect(first.records).toEqual([]);
		await c.post('/rest/v1/leads.json', { input: [{ email: 'new@x.com' }] });
		const r = await c.get('/rest/v1/activities.json', {
			activityTypeIds: '12',
			nextPageToken: first.token,
		});
		expect(r.body.result.map((a: any) => a.leadId)).toEqual([1]);
		const again = await c.get('/rest/v1/activities.json', {
			activityTypeIds: '12',
			nextPageToken: r.body.nextPageToken,
		});
		expect(again.body.result).toEqual([]);
	});

	it('filters by leadIds (≤ 30) and listId, and limits activityTypeIds to 10', async () => {
		emu.seed({
			activities: [1, 2, 3].map((leadId) => ({
				leadId,
				activityTypeId: 1,
				activityDate: '2026-05-01T10:00:00Z',
			})),
			lists: [{ id: 77, name: 'VIPs', leadIds: [3] }],
		});
		const byLead = await pageAll('/rest/v1/activities.json', {
			activityTypeIds: '1',
			leadIds: '2,3',
		});
		expect(byLead.records.map((a: any) => a.leadId)).toEqual([2, 3]);
		const byList = await pageAll('/rest/v1/activities.json', { activityTypeIds: '1', listId: 77 });
		expect(byList.records.map((a: any) => a.leadId)).toEqual([3]);
		const t = (
			await c.get('/rest/v1/activities/pagingtoken.json', { sinceDatetime: '2026-01-01T00:00:00Z' })
		).body.nextPageToken;
		expect(
			codeOf(
				await c.get('/rest/v1/activities.json', {
					nextPageToken: t,
					activityTypeIds: '1,2,3,6,7,8,9,10,11,12,13',
				}),
			),
		).toBe('1003');
		const many = Array.from({ length: 31 }, (_, i) => i + 1).join(',');
		expect(
			codeOf(
				await c.get('/rest/v1/activities.json', {
					nextPageToken: t,
					activityTypeIds: '1',
					leadIds: many,
				}),
			),
		).toBe('1003');
	});

	it('lead changes require fields and return only new-lead and matching data-value changes with fields[]', async () => {
		await c.post('/rest/v1/leads.json', {
			input: [{ email: 'a@x.com', firstName: 'A', lastName: 'L' }],
		});
		await c.post('/rest/v1/leads.json', {
			input: [{ email: 'a@x.com', firstName: 'B', lastName: 'M' }],
		});
		const { records } = await pageAll('/rest/v1/activities/leadchanges.json', {
			fields: 'firstName',
		});
		expect(records.map((a: any) => a.activityTypeId)).toEqual([12, 13]);
		expect(records[1].fields).toEqual([
			{ id: expect.any(Number), name: 'firstName', newValue: 'B', oldValue: 'A' },
		]);
		const t = (
			await c.get('/rest/v1/activities/pagingtoken.json', { sinceDatetime: '2026-01-01T00:00:00Z' })
		).body.nextPageToken;
		const noFields = await c.get('/rest/v1/activities/leadchanges.json', { nextPageToken: t });
		expect(noFields.status).toBe(400);
		expect(noFields.body.errors[0].message).toMatch(/missing required query parameter 'fields'/);
	});

	it('lists deleted leads and activity types', async () => {
		await c.post('/rest/v1/leads.json', { input: [{ email: 'a@x.com' }] });
		await c.post('/rest/v1/leads/delete.json', { input: [{ id: 1 }] });
		const { records } = await pageAll('/rest/v1/activities/deletedleads.json', {});
		expect(records).toEqual([expect.objectContaining({ leadId: 1, activityTypeId: 37 })]);
		const types = await c.get('/rest/v1/activities/types.json');
		expect(types.body.result.find((t: any) => t.id === 104)).toMatchObject({
			name: 'Change Status in Progression',
			primaryAttribute: { name: 'Program ID' },
		});
	});

	it('reports daily API usage per user in /rest/v1/stats/usage.json', async () => {
		await c.get('/rest/v1/leads/describe2.json');
		await c.get('/rest/v1/leads/describe2.json');
		const r = await c.get('/rest/v1/stats/usage.json');
		expect(r.body.result).toEqual([
			{
				date: new Date().toISOString().slice(0, 10),
				total: 3,
				users: [{ userId: expect.any(String), count: 3 }],
			},
		]);
		c.setToken('bad');
		await c.get('/rest/v1/leads/describe2.json');
		c.setToken(undefined);
		const e = await c.get('/rest/v1/stats/errors.json');
		expect(e.body.result[0].errors).toEqual([{ errorCode: '601', count: 1 }]);
	});
});

describe('Marketo emulator: activities in time slices', () => {
	it('walks from an old paging token through empty moreResult:true time slices up to now, losing nothing', async () => {
		const emu = await startMarketoEmulator({ activityTimeSliceSeconds: 86400 });
		try {
			const c = client(emu);
			const day = (n: number) => new Date(Date.now() - n * 86400000).toISOString();
			emu.seed({
				activities: [
					{ leadId: 1, activityTypeId: 1, activityDate: day(3.5) },
					{ leadId: 2, activityTypeId: 1, activityDate: day(0.5) },
				],
			});
			let token = (await c.get('/rest/v1/activities/pagingtoken.json', { sinceDatetime: day(10) }))
				.body.nextPageToken;
			const pages: any[] = [];
			for (let i = 0; i < 50; i++) {
				const r = await c.get('/rest/v1/activities.json', {
					nextPageToken: token,
					activityTypeIds: '1',
				});
				pages.push(r.body);
				token = r.body.nextPageToken;
				if (!r.body.moreResult) break;
			}
			expect(pages.length).toBeGreaterThanOrEqual(10);
			expect(
				pages.filter((p) => p.result.length === 0 && p.moreResult).length,
			).toBeGreaterThanOrEqual(8);
			expect(pages.flatMap((p) => p.result).map((a: any) => a.leadId)).toEqual([1, 2]);
			// the final token still sees what happens next
			await c.post('/rest/v1/leads.json', { input: [{ email: 'later@x.com' }] });
			const next = await c.get('/rest/v1/activities.json', {
				nextPageToken: token,
				activityTypeIds: '12',
			});
			expect(next.body.result).toHaveLength(1);
		} finally {
			await emu.stop();
		}
	});
});
