/**
 * The rows of bench/results.json at small sizes: every row carries the fields the issue asks for,
 * floors follow Marketo's limits, the fault mix with lost answers loses and doubles nothing, and a
 * new run replaces only its own rows in the file.
 */
import { mergeRows, runResultRows } from '../../scripts/bench';
import { wallFloor, type ResultRow } from '../../scripts/benchRows';

const FIELDS = [
	'scenario',
	'n',
	'marketoCalls',
	'marketoFloor',
	'spotmeCalls',
	'wallS',
	'wallFloorS',
	'latencyMs',
	'lost',
	'duplicates',
	'refused606',
	'refused615',
	'peakRssMb',
	'target',
	'met',
];

describe('bench/results.json rows', () => {
	it('the rate floor: 100 calls per 20 s, 10 in flight, each taking the latency', () => {
		expect(wallFloor(34, 0, 1)).toBe(0);
		expect(wallFloor(34, 1000, 1)).toBe(4);
		expect(wallFloor(167, 0, 1)).toBe(20);
		// both limits at once: 100 calls in the first window, the other 67 from 20 s on, still 10 at a
		// time (7 rounds of 1 s): 27 s, not the 21 s the rate limit alone would allow
		expect(wallFloor(167, 1000, 1)).toBe(27);
		expect(wallFloor(167, 1000, 0.01)).toBeCloseTo(0.27);
		expect(wallFloor(201, 0, 1)).toBe(40);
	});

	it('lead push and the fault mix with lost answers: every field, 0 lost, 0 duplicates', async () => {
		const rows = await runResultRows({ scenario: 'lead-push', n: 900, latencyMs: 0 });
		rows.push(...(await runResultRows({ scenario: 'fault-mix', n: 1500 })));
		for (const row of rows) for (const f of FIELDS) expect(row).toHaveProperty(f);
		expect(rows[0]).toMatchObject({
			n: 900,
			marketoCalls: 3,
			marketoFloor: 3,
			lost: 0,
			duplicates: 0,
		});
		const mix = rows[1];
		expect(mix).toMatchObject({
			lost: 0,
			duplicates: 0,
			met: true,
			target: '0 lost, 0 duplicates',
		});
		expect(mix.marketoCalls).toBeGreaterThan(mix.marketoFloor as number);
	}, 120_000);

	it('a run replaces its own rows and keeps the others', () => {
		const row = (scenario: string, n: number, wallS: number) =>
			({ scenario, n, latencyMs: 0, wallS }) as ResultRow;
		const merged = mergeRows([row('a', 1, 1), row('b', 1, 1)], [row('a', 1, 2)]);
		expect(merged.map((r) => [r.scenario, r.wallS])).toEqual([
			['b', 1],
			['a', 2],
		]);
	});
});
