/**
 * `npx ts-node --transpile-only scripts/bench-daily.ts [--smoke | --n=10000] [--write]`: the `daily-auto-sync`
 * rows (dev/lib/bench/dailySync.ts): a simulated event day of 96 runs for N = 10 000 and 50 000
 * attendees, every call counted from the emulators' logs, the write floor beside the count. With
 * --write the rows replace the `daily-auto-sync` rows of bench/results.json (other rows are kept).
 */
import '../dev/lib/env';

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { runDailySync } from '../dev/lib/bench/dailySync';

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const out = (l: string) => process.stdout.write(`${l}\n`);
	const only = args.find((a) => a.startsWith('--n='));
	const sizes = only
		? [Number(only.slice(4))]
		: args.includes('--smoke')
			? [1000]
			: [10_000, 50_000];
	const rows = await runDailySync(sizes, out);
	for (const r of rows)
		out(
			`${r.met ? '✔' : '✘'} daily-auto-sync n=${r.n}: ${r.marketoCalls} Marketo REST calls (${r.marketoWrites} writes, ${r.marketoReads} reads; ${r.marketoTokenCalls} token calls) / floor ${r.marketoFloor}; ${r.spotmeCalls} SpotMe calls; ${r.idleRuns} runs without changes made ${r.idleRunCalls} Marketo calls; target ${r.target}; ${r.wallS} s${r.reason ? ` (${r.reason})` : ''}`,
		);
	for (const r of rows) out(`  n=${r.n} by path: ${JSON.stringify(r.marketoCallsByPath)}`);
	if (args.includes('--write')) {
		const file = join(__dirname, '..', 'bench', 'results.json');
		mkdirSync(join(__dirname, '..', 'bench'), { recursive: true });
		const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : [];
		const list = Array.isArray(current) ? current : ((current as { rows?: unknown[] }).rows ?? []);
		const kept = list.filter((r) => (r as { scenario?: string }).scenario !== 'daily-auto-sync');
		const next = [...kept, ...rows];
		const body = Array.isArray(current) ? next : { ...(current as object), rows: next };
		writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
		out(`Wrote ${file}`);
	}
	process.exit(rows.every((r) => r.met) ? 0 : 1);
}

main().catch((e) => {
	process.stderr.write(`BENCH FAILED: ${(e as Error)?.stack ?? e}\n`);
	process.exit(1);
});
