/**
 * Marketo Activity Trigger, what issue 12 asked of it: New Lead events carry the lead's fields
 * (read in one call per 300 new leads, before the cursor moves), and the Program Status Changed
 * filter is a list of the instance's programs.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { startMarketoEmulator, type MarketoEmulator } from '../../dev/emulators/marketo';
import { loadOptions, pollOnce, TestCredentialsHelper } from '../../dev/harness/engine';
import { marketoSeed } from '../../dev/lib/seed';
import { MarketoActivityTrigger } from '../../nodes/Marketo/MarketoActivityTrigger.node';

let emu: MarketoEmulator;

function credentials() {
	const credentialsHelper = new TestCredentialsHelper();
	const ref = credentialsHelper.add('marketoApi', {
		restEndpoint: emu.restUrl,
		clientId: emu.clientId,
		clientSecret: emu.clientSecret,
		timeScale: 0.01,
	} as never);
	return { credentialsHelper, credentials: { marketoApi: ref } };
}

function trigger(parameters: INode['parameters']) {
	const staticData: IDataObject = {};
	const creds = credentials();
	return async (): Promise<IDataObject[]> => {
		const result = await pollOnce({
			type: 'marketoActivityTrigger',
			parameters,
			...creds,
			staticData,
		});
		return result ? result[0].map((i) => i.json) : [];
	};
}

const leadsCalls = () => emu.requestLog().filter((e) => e.path === '/rest/v1/leads.json');

beforeAll(async () => {
	emu = await startMarketoEmulator({ timeScale: 0.01 });
});
afterAll(async () => emu.stop());
beforeEach(() => emu.reset());

describe('Marketo Activity Trigger: New Lead events carry the lead', () => {
	it("each event has the lead's fields under lead, 650 new leads read in 3 calls", async () => {
		const poll = trigger({ event: 'newLead', options: { maxPages: 10 } });
		expect(await poll()).toEqual([]); // activation
		const ids = Array.from({ length: 650 }, (_, i) => 5000 + i);
		emu.seed({
			leads: ids.map((id) => ({
				id,
				email: `l${id}@example.com`,
				firstName: `F${id}`,
				lastName: 'L',
			})),
		} as never);
		emu.seed({ activities: ids.map((leadId) => ({ leadId, activityTypeId: 12 })) } as never);
		emu.clearLog();
		const events = await poll();
		expect(events).toHaveLength(650);
		expect(events[0]).toMatchObject({
			leadId: 5000,
			lead: { id: 5000, email: 'l5000@example.com', firstName: 'F5000', lastName: 'L' },
		});
		expect(events.every((e) => (e.lead as IDataObject)?.id === e.leadId)).toBe(true);
		expect(leadsCalls()).toHaveLength(3);
	});

	it('the chosen lead fields are the ones read; a lead gone since has lead: null', async () => {
		const poll = trigger({ event: 'newLead', options: { leadFields: ['email', 'company'] } });
		await poll();
		emu.seed({
			leads: [{ id: 77, email: 'a@example.com', company: 'Acme', firstName: 'A' }],
		} as never);
		emu.seed({ activities: [77, 78].map((leadId) => ({ leadId, activityTypeId: 12 })) } as never);
		const events = await poll();
		expect(events.map((e) => e.lead)).toEqual([
			{ id: 77, email: 'a@example.com', company: 'Acme' },
			null,
		]);
	});

	it('a failed lookup fails the poll before the cursor moves: the next poll emits the same events', async () => {
		const poll = trigger({ event: 'newLead' });
		await poll();
		emu.seed({ leads: [{ id: 90, email: 'x@example.com' }] } as never);
		emu.seed({ activities: [{ leadId: 90, activityTypeId: 12 }] } as never);
		emu.setFaults({ http5xx: 1, paths: ['/v1/leads.json'] });
		await expect(poll()).rejects.toThrow();
		emu.setFaults({});
		const events = await poll();
		expect(events.map((e) => (e.lead as IDataObject)?.email)).toEqual(['x@example.com']);
	});
});

describe('Marketo Activity Trigger: program filter', () => {
	it('Program Status Changed offers the programs of the instance to pick from', async () => {
		emu.seed(marketoSeed());
		const property = new MarketoActivityTrigger().description.properties.find(
			(p) => p.name === 'programIds',
		)!;
		expect(property.type).toBe('multiOptions');
		const options = (await loadOptions({
			type: 'marketoActivityTrigger',
			method: property.typeOptions!.loadOptionsMethod as string,
			parameters: { event: 'programStatusChanged' },
			...credentials(),
		})) as Array<{ name: string; value: number }>;
		expect(options.map((o) => o.value)).toEqual(expect.arrayContaining([1001, 1002]));
		for (const o of options) expect(o.name).toContain(`(${o.value})`);
	});
});
