/**
 * `npx ts-node --transpile-only scripts/bench-webhook-burst.ts [--write] [--n N]`: the webhook-burst
 * rows (dev/lib/bench/webhookBurst.ts), printed, and with --write merged into bench/results.json (rows
 * of other scenarios kept) and docs/benchmarks.md regenerated. `npm run bench -- --scenario
 * webhook-burst` runs the same rows.
 */
import '../dev/lib/env';

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { runWebhookBurst } from '../dev/lib/bench/webhookBurst';
import { resultsMarkdown } from './bench';
import type { ResultRow } from './benchRows';

async function main() {
	const at = process.argv.indexOf('--n');
	const rows = await runWebhookBurst(at > 0 ? [Number(process.argv[at + 1])] : undefined);
	for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
	if (!process.argv.includes('--write')) return;
	const dir = join(__dirname, '..', 'bench');
	const file = join(dir, 'results.json');
	mkdirSync(dir, { recursive: true });
	// An array of rows (issue 15's format); rows of other scenarios are kept as they are.
	const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : [];
	const list = Array.isArray(existing)
		? (existing as Array<{ scenario?: string; n?: number }>)
		: [];
	const fresh = (r: { scenario?: string; n?: number }) =>
		rows.some((x) => x.scenario === r.scenario && x.n === r.n);
	const doc = [...list.filter((r) => !fresh(r)), ...rows];
	writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
	// docs/benchmarks.md is generated from bench/results.json (scripts/bench.ts)
	writeFileSync(
		join(__dirname, '..', 'docs', 'benchmarks.md'),
		resultsMarkdown(doc as ResultRow[]),
	);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
