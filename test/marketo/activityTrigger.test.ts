/**
 * Marketo Activity Trigger: several polls through n8n-core's PollContext against the Marketo
 * emulator, with activities arriving between polls. What counts is what the polls emit in total:
 * every new activity once, nothing from before activation, nothing twice.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { startMarketoEmulator, type MarketoEmulator } from '../../dev/emulators/marketo';
import { loadOptions, pollOnce, TestCredentialsHelper } from '../../dev/harness/engine';

const TIME_SCALE = 0.01;

let emu: MarketoEmulator;

function credentialsFor(e: MarketoEmulator) {
	const credentialsHelper = new TestCredentialsHelper();
	const ref = credentialsHelper.add('marketoApi', {
		restEndpoint: e.restUrl,
		clientId: e.clientId,
		clientSecret: e.clientSecret,
		timeScale: TIME_SCALE,
	} as never);
	return { credentialsHelper, credentials: { marketoApi: ref } };
}

/** A trigger with its own static data, polled like n8n polls an active workflow. */
function trigger(parameters: INode['parameters'], e: MarketoEmulator = emu) {
	const staticData: IDataObject = {};
	const creds = credentialsFor(e);
	const emitted: IDataObject[] = [];
	return {
		staticData,
		/** The node's own static data, as n8n keeps it (`node:<name>`). */
		get state(): IDataObject {
			return (staticData['node:Poller'] ?? {}) as IDataObject;
		},
		emitted,
		async poll(
			mode: 'trigger' | 'manual' = 'trigger',
			runOutcome: 'success' | 'error' = 'success',
		): Promise<IDataObject[]> {
			const result = await pollOnce({
				type: 'marketoActivityTrigger',
				parameters,
				...creds,
				staticData,
				mode,
				runOutcome,
			});
			const items = result ? result[0].map((i) => i.json) : [];
			if (mode !== 'manual') emitted.push(...items);
			return items;
		},
	};
}

const minutesAgo = (m: number) =>
	new Date(Date.now() - m * 60000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function addActivities(typeId: number, leadIds: number[], extra: IDataObject = {}) {
	emu.seed({
		activities: leadIds.map((leadId) => ({ leadId, activityTypeId: typeId, ...extra })),
	} as never);
}

function guids(items: IDataObject[]): string[] {
	return items.map((i) => String(i.marketoGUID));
}

function activitiesOfType(typeId: number): IDataObject[] {
	return emu.state.activities.filter(
		(a) => a.activityTypeId === typeId,
	) as unknown as IDataObject[];
}

beforeAll(async () => {
	emu = await startMarketoEmulator({ timeScale: TIME_SCALE });
});
afterAll(async () => emu.stop());
beforeEach(() => emu.reset());

describe('Marketo Activity Trigger: the stream across polls', () => {
	it('across several polls with new leads arriving in between, every New Lead activity is emitted once and none from before activation', async () => {
		// History from before the workflow was activated
		emu.seed({
			activities: [1, 2, 3].map((leadId) => ({
				leadId,
				activityTypeId: 12,
				activityDate: minutesAgo(60),
			})),
		} as never);
		const t = trigger({ event: 'newLead' });

		expect(await t.poll()).toEqual([]); // activation: the cursor starts now, no backlog

		addActivities(12, [10, 11]);
		addActivities(1, [10]); // a web visit: another type, not emitted
		const second = await t.poll();
		expect(second.map((a) => a.leadId)).toEqual([10, 11]);

		expect(await t.poll()).toEqual([]); // nothing new

		addActivities(12, [12]);
		addActivities(12, [13, 14]);
		const fourth = await t.poll();
		expect(fourth.map((a) => a.leadId)).toEqual([12, 13, 14]);

		const expected = activitiesOfType(12).filter((a) => Number(a.leadId) >= 10);
		expect(guids(t.emitted).sort()).toEqual(guids(expected).sort());
		expect(new Set(guids(t.emitted)).size).toBe(t.emitted.length);
		expect(t.emitted.every((a) => a.activityTypeId === 12)).toBe(true);
	});

	it('a poll that re-reads from an older cursor (e.g. static data not saved after a crash) emits nothing twice', async () => {
		const t = trigger({ event: 'newLead' });
		await t.poll();
		const cursorBefore = t.state.cursor;
		addActivities(12, [20, 21]);
		expect((await t.poll()).map((a) => a.leadId)).toEqual([20, 21]);

		(t.staticData['node:Poller'] as IDataObject).cursor = cursorBefore; // the cursor goes back; the remembered GUIDs stay
		addActivities(12, [22]);
		expect((await t.poll()).map((a) => a.leadId)).toEqual([22]);
		expect(new Set(guids(t.emitted)).size).toBe(3);
	});

	it('a poll that fails after reading the activities moves no cursor and marks nothing seen: the next poll emits them', async () => {
		const t = trigger({ event: 'newLead' });
		await t.poll();
		addActivities(12, [25, 26]);
		// types.json (for activityTypeName) is the last call of a poll: make it fail once, for good (603 is not retried)
		emu.setFaults({ script: [{ fault: '603', path: '/activities/types.json', times: 1 }] });
		await expect(t.poll()).rejects.toThrow(/603/);
		emu.setFaults({});
		expect((await t.poll()).map((a) => a.leadId)).toEqual([25, 26]);
		expect(await t.poll()).toEqual([]);
	});

	it('a run that fails after the poll emitted its activities gets them again from the next poll; once a run succeeds they are not emitted again', async () => {
		const t = trigger({ event: 'newLead' });
		await t.poll();
		addActivities(12, [40, 41]);
		expect((await t.poll('trigger', 'error')).map((a) => a.leadId)).toEqual([40, 41]);
		addActivities(12, [42]);
		expect((await t.poll('trigger', 'error')).map((a) => a.leadId)).toEqual([40, 41, 42]);
		expect((await t.poll()).map((a) => a.leadId)).toEqual([40, 41, 42]);
		expect(await t.poll()).toEqual([]);
	});

	it('with Advance Position "Immediately" the cursor moves when the poll emits, whatever the run does', async () => {
		const t = trigger({ event: 'newLead', options: { advancePosition: 'immediately' } });
		await t.poll();
		addActivities(12, [43]);
		expect((await t.poll('trigger', 'error')).map((a) => a.leadId)).toEqual([43]);
		expect(await t.poll()).toEqual([]);
	});

	it('when the very first poll fails after taking its starting point, the next poll starts from that same point', async () => {
		const t = trigger({ event: 'newLead' });
		emu.setFaults({ script: [{ fault: '603', path: '/v1/activities.json', times: 1 }] });
		await expect(t.poll()).rejects.toThrow(/603/);
		emu.setFaults({});
		const startingPoint = t.state.cursor;
		expect(startingPoint).toBeDefined();
		addActivities(12, [29]); // happened after activation, before the next poll
		expect((await t.poll()).map((a) => a.leadId)).toEqual([29]);
		// the second poll read on from the first poll's token instead of asking for a later one
		expect(emu.callCounts()['/rest/v1/activities/pagingtoken.json']).toBe(1);
	});

	it('each activity carries its type name, from a types.json read cached for a day', async () => {
		const t = trigger({ event: 'activities', activityTypeIds: [1, 12] });
		await t.poll();
		addActivities(12, [27]);
		expect((await t.poll()).map((a) => a.activityTypeName)).toEqual(['New Lead']);
		addActivities(1, [28]);
		expect((await t.poll()).map((a) => a.activityTypeName)).toEqual(['Visit Webpage']);
		expect(emu.callCounts()['/rest/v1/activities/types.json']).toBe(1);
	});

	it('with a start date, the first poll reads the backlog since that date', async () => {
		emu.seed({
			activities: [
				{ leadId: 1, activityTypeId: 12, activityDate: minutesAgo(180) },
				{ leadId: 2, activityTypeId: 12, activityDate: minutesAgo(60) },
			],
		} as never);
		const t = trigger({ event: 'newLead', options: { startDate: minutesAgo(120) } });
		expect((await t.poll()).map((a) => a.leadId)).toEqual([2]);
		expect(await t.poll()).toEqual([]);
	});

	it('changing the event restarts the cursor instead of replaying another stream', async () => {
		const params: INode['parameters'] = { event: 'newLead' };
		const t = trigger(params);
		await t.poll();
		addActivities(12, [30]);
		expect(await t.poll()).toHaveLength(1);
		const key = t.state.configKey;
		params.event = 'leadDeleted';
		expect(await t.poll()).toEqual([]);
		expect(t.state.configKey).not.toBe(key);
	});
});

describe('Marketo Activity Trigger: paging', () => {
	it('empty pages with moreResult are followed, a poll stops at the page cap, and the next poll carries on from the cursor', async () => {
		const scanning = await startMarketoEmulator({ timeScale: TIME_SCALE, activityScanSize: 5 });
		try {
			const t = trigger({ event: 'newLead', options: { maxPages: 3 } }, scanning);
			await t.poll();
			// 30 web visits first: with 5 activities scanned per page, pages 1-6 hold no New Lead
			scanning.seed({
				activities: Array.from({ length: 30 }, (_, i) => ({ leadId: 100 + i, activityTypeId: 1 })),
			} as never);
			scanning.seed({
				activities: [
					{ leadId: 200, activityTypeId: 12 },
					{ leadId: 201, activityTypeId: 12 },
				],
			} as never);
			scanning.clearLog();

			const results: IDataObject[][] = [];
			const callsPerPoll: number[] = [];
			for (let i = 0; i < 6 && t.emitted.length < 2; i++) {
				const before = scanning.callCounts()['/rest/v1/activities.json'] ?? 0;
				results.push(await t.poll());
				callsPerPoll.push((scanning.callCounts()['/rest/v1/activities.json'] ?? 0) - before);
			}
			// The first poll followed empty moreResult pages up to the cap of 3, then stopped
			expect(callsPerPoll[0]).toBe(3);
			expect(results[0]).toEqual([]);
			expect(Math.max(...callsPerPoll)).toBeLessThanOrEqual(3);
			expect(results.length).toBeGreaterThan(1); // the leads came in a later poll, from the saved cursor
			expect(t.emitted.map((a) => a.leadId)).toEqual([200, 201]);
			expect(await t.poll()).toEqual([]);
		} finally {
			await scanning.stop();
		}
	});
});

describe('Marketo Activity Trigger: events', () => {
	it('Program Status Changed emits only status changes of the chosen programs', async () => {
		const t = trigger({ event: 'programStatusChanged', programIds: '1001' });
		await t.poll();
		addActivities(104, [1], {
			primaryAttributeValueId: 1001,
			primaryAttributeValue: 'Spring Summit',
		});
		addActivities(104, [2], {
			primaryAttributeValueId: 1002,
			primaryAttributeValue: 'Other Event',
		});
		addActivities(12, [3]);
		const items = await t.poll();
		expect(items.map((a) => [a.leadId, a.primaryAttributeValueId])).toEqual([[1, 1001]]);
	});

	it('Lead Deleted emits Delete Lead activities from deletedleads.json', async () => {
		const t = trigger({ event: 'leadDeleted' });
		await t.poll();
		addActivities(37, [40, 41]);
		addActivities(12, [42]);
		const items = await t.poll();
		expect(items.map((a) => a.leadId)).toEqual([40, 41]);
		expect(items.every((a) => a.activityTypeId === 37)).toBe(true);
		expect(emu.callCounts()['/rest/v1/activities/deletedleads.json']).toBeGreaterThan(0);
	});

	it('Lead Field Changed emits Change Data Value activities for the chosen fields, not New Lead', async () => {
		const t = trigger({ event: 'leadFieldChanged', fields: ['email'] });
		await t.poll();
		addActivities(13, [50], {
			fields: [{ id: 1, name: 'email', newValue: 'new@example.com', oldValue: 'old@example.com' }],
		});
		addActivities(12, [51]);
		const items = await t.poll();
		expect(items.map((a) => a.leadId)).toEqual([50]);
		expect((items[0].fields as IDataObject[])[0]).toMatchObject({
			name: 'email',
			newValue: 'new@example.com',
		});
	});

	it('Activities of Chosen Types emits only those types', async () => {
		const t = trigger({ event: 'activities', activityTypeIds: [2, 104] });
		await t.poll();
		addActivities(2, [60], { primaryAttributeValue: 'Registration form' });
		addActivities(1, [61]);
		addActivities(104, [62], { primaryAttributeValueId: 1001 });
		const items = await t.poll();
		expect(items.map((a) => a.leadId)).toEqual([60, 62]);
	});

	it('more than 10 activity types is refused with a message naming the field and the limit', async () => {
		const t = trigger({
			event: 'activities',
			activityTypeIds: [1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13],
		});
		await expect(t.poll()).rejects.toThrow(
			/"Activity Types" has 11 types; Marketo accepts at most 10/,
		);
	});

	it('Lead Field Changed without fields is refused naming "Lead Fields"', async () => {
		const t = trigger({ event: 'leadFieldChanged', fields: [] });
		await expect(t.poll()).rejects.toThrow(/Lead Fields/);
	});
});

describe('Marketo Activity Trigger: manual test run and dropdowns', () => {
	it('a manual run returns a sample of recent activities and leaves the cursor alone', async () => {
		emu.seed({
			activities: [1, 2].map((leadId) => ({
				leadId,
				activityTypeId: 12,
				activityDate: minutesAgo(30),
			})),
		} as never);
		const t = trigger({ event: 'newLead' });
		const sample = await t.poll('manual');
		expect(sample.map((a) => a.leadId)).toEqual([1, 2]);
		expect(t.state.cursor).toBeUndefined();
	});

	it("the activity type dropdown lists the instance's activity types", async () => {
		const creds = credentialsFor(emu);
		const options = (await loadOptions({
			type: 'marketoActivityTrigger',
			method: 'getActivityTypes',
			parameters: { event: 'activities' },
			...creds,
		})) as Array<{ name: string; value: number }>;
		expect(options.find((o) => o.value === 12)?.name).toMatch(/New Lead \(12\)/);
		expect(options.find((o) => o.value === 104)).toBeDefined();
	});

	it('the lead field dropdown lists lead fields by REST API name (what leadchanges.json takes)', async () => {
		const creds = credentialsFor(emu);
		const options = (await loadOptions({
			type: 'marketoActivityTrigger',
			method: 'getLeadFields',
			parameters: { event: 'leadFieldChanged' },
			...creds,
		})) as Array<{ name: string; value: string }>;
		expect(options.map((o) => o.value)).toEqual(expect.arrayContaining(['email', 'firstName']));
	});
});
