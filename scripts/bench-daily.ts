/**
 * `npx ts-node --transpile-only scripts/bench-daily.ts [--smoke | --n=10000] [--write]`: the `daily-auto-sync`
 * rows (dev/lib/bench/dailySync.ts): a simulated event day of 96 runs for N = 10 000 and 50 000
 * attendees, every call counted from the emulators' logs, the write floor beside the count. With
 * --write the rows replace the `daily-auto-sync` rows of the same N in bench/results.json (other rows are kept)
 * and docs/benchmarks.md is generated again from the file, as `npm run bench` does.
 */
import '../dev/lib/env';

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { runDailySync } from '../dev/lib/bench/dailySync';
import { resultsMarkdown } from './bench';

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
	for (const r of rows) {
		out(
			`${r.met ? '✔' : '✘'} daily-auto-sync n=${r.n}: ${r.marketoCalls} Marketo REST calls = ${r.marketoWrites} writes (write floor ${r.marketoFloor}) + ${r.marketoReads} reads (${r.marketoStatusReads} member status reads); ${r.marketoTokenCalls} token calls; ${r.spotmeCalls} SpotMe calls; ${r.wallS} s, load ${r.loadAverage}`,
		);
		out(`    target: ${r.target}`);
		out(`    ${r.note}`);
		if (r.reason) out(`    missed: ${r.reason}`);
	}
	for (const r of rows) out(`  n=${r.n} by path: ${JSON.stringify(r.marketoCallsByPath)}`);
	if (args.includes('--write')) {
		const file = join(__dirname, '..', 'bench', 'results.json');
		mkdirSync(join(__dirname, '..', 'bench'), { recursive: true });
		const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : [];
		const list = Array.isArray(current) ? current : ((current as { rows?: unknown[] }).rows ?? []);
		// Only this run's rows are replaced (same scenario and N): `--n=10000` keeps the 50k row.
		const fresh = new Set(rows.map((r) => r.n));
		const kept = list.filter((r) => {
			const row = r as { scenario?: string; n?: number };
			return row.scenario !== 'daily-auto-sync' || !fresh.has(row.n as number);
		});
		const next = [...kept, ...rows];
		const body = Array.isArray(current) ? next : { ...(current as object), rows: next };
		writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
		// docs/benchmarks.md as npm run bench generates it, from every row of the file.
		const doc = join(__dirname, '..', 'docs', 'benchmarks.md');
		writeFileSync(doc, resultsMarkdown(next as Parameters<typeof resultsMarkdown>[0]));
		out(`Wrote ${file} and ${doc}`);
	}
	process.exit(rows.every((r) => r.met) ? 0 : 1);
}

main().catch((e) => {
	process.stderr.write(`BENCH FAILED: ${(e as Error)?.stack ?? e}\n`);
	process.exit(1);
});
