import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { runMarketo, startEmulator } from './setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

describe('Marketo node: API Usage', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => (emu = await startEmulator()));
	afterEach(async () => await emu.stop());

	it("today's usage counts the calls this integration made, per API user", async () => {
		await runMarketo(
			emu,
			LEAD_UPSERT_BY_EMAIL,
			Array.from({ length: 650 }, (_, i) => ({ email: `u${i}@example.com` })),
		);
		const run = await runMarketo(emu, { resource: 'usage', operation: 'getToday' }, [{}, {}]);
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(1);
		const today = run.json[0];
		expect(today.date).toBe(new Date().toISOString().slice(0, 10));
		// 3 lead calls + this usage call; token calls do not count.
		expect(today.total).toBe(4);
		expect(today.users).toEqual([expect.objectContaining({ count: 4 })]);
		expect(run.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('last 7 days returns one item per day with calls', async () => {
		const day = (ago: number) => new Date(Date.now() - ago * 86400000).toISOString().slice(0, 10);
		emu.state.usage.set(day(3), new Map([['apiuser@emulator.marketo', 1200]]));
		emu.state.usage.set(day(1), new Map([['apiuser@emulator.marketo', 50]]));
		const run = await runMarketo(emu, { resource: 'usage', operation: 'getLast7Days' });
		expect(run.error).toBeUndefined();
		expect(run.json.map((d) => [d.date, d.total])).toEqual([
			[day(3), 1200],
			[day(1), 50],
			[day(0), 1],
		]);
	});

	it('a failed usage read gives every input item its own error item with Continue on Fail, and names item 0 without it', async () => {
		emu.setFaults({ script: [{ fault: '603', path: '/stats/usage', times: 2 }] });
		const soft = await runMarketo(emu, { resource: 'usage', operation: 'getToday' }, [{}, {}, {}], {
			continueOnFail: true,
		});
		expect(soft.error).toBeUndefined();
		expect(soft.paired).toEqual([0, 1, 2]);
		expect(soft.json.every((j) => j.code === '603' && /denied access/.test(String(j.error)))).toBe(
			true,
		);
		const hard = await runMarketo(emu, { resource: 'usage', operation: 'getToday' }, [{}, {}]);
		expect(hard.error?.message).toMatch(/denied access/);
		expect(hard.error?.context?.itemIndex).toBe(0);
	});

	it('a failed Lead > Get Fields read gives every input item its own error item with Continue on Fail', async () => {
		emu.setFaults({ script: [{ fault: '603', path: '/leads/describe', times: 1 }] });
		const soft = await runMarketo(emu, { resource: 'lead', operation: 'getFields' }, [{}, {}], {
			continueOnFail: true,
		});
		expect(soft.paired).toEqual([0, 1]);
		expect(soft.json.map((j) => j.code)).toEqual(['603', '603']);
	});
});
