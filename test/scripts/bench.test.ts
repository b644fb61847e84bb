/**
 * A fast smoke of `npm run bench`'s code path (tiny sizes): every scenario runs through n8n's engine
 * against the emulators and its own checks hold; the numbers it reports are the emulators'.
 */
import { markdown, maxInWindow, runBench, textTable, type BenchRow } from '../../scripts/bench';

describe('npm run bench (smoke sizes)', () => {
	let rows: BenchRow[];
	beforeAll(async () => {
		rows = await runBench({ smoke: true });
	});

	const row = (prefix: string) => rows.find((r) => r.scenario.startsWith(prefix)) as BenchRow;

	it('runs every scenario and each one checks out', () => {
		expect(rows.map((r) => [r.scenario, r.ok, r.note])).toEqual(
			rows.map((r) => [r.scenario, true, r.note]),
		);
		expect(rows).toHaveLength(8);
	});

	it('reports batches of at most 300 and a call budget that held', () => {
		const big = rows.filter((r) => r.scenario === 'Lead Create or Update')[1];
		expect([big.items, big.batches]).toEqual([650, 3]);
		const tight = row('Lead Create or Update, budget 1 calls');
		expect(tight.window).toBe('1 / 1');
		expect(tight.batches).toBe(3);
		expect(row('Lead Create or Update, 20 %').refused).not.toBe('0');
		expect(row('SpotMe Person').window).toBe('1 in flight');
		expect(row('Activity Trigger').batches).toBeGreaterThanOrEqual(2);
	});

	it('prints a table and writes markdown with the machine facts', () => {
		expect(textTable(rows).split('\n')).toHaveLength(rows.length + 2);
		const md = markdown(rows);
		expect(md).toMatch(/cores/);
		expect(md).toContain(`Node ${process.version}`);
		expect(md.match(/^\| /gm)).toHaveLength(rows.length + 1);
	});
});

describe('maxInWindow', () => {
	it('counts the most times inside any window of the given length', () => {
		expect(maxInWindow([], 10)).toBe(0);
		// 5, 9, 10, 11 fall within 10 of each other; 0 and 10 do not (a window is half-open)
		expect(maxInWindow([0, 5, 9, 10, 11, 30], 10)).toBe(4);
		expect(maxInWindow([0, 10, 20], 10)).toBe(1);
		expect(maxInWindow([30, 0, 1, 2], 10)).toBe(3);
	});
});
