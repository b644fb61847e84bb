/**
 * `npx ts-node --transpile-only scripts/bench-queue-mode.ts [--write] [--people=N]`: the queue-mode rows (dev/lib/bench/queueMode.ts: a real n8n in queue
 * mode with 1, 2 and 4 workers), printed, and with --write merged into bench/results.json (rows of
 * other scenarios kept). Needs PostgreSQL and Redis (.ci/run installs them) and takes a few minutes.
 */
import '../dev/lib/env';

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { runQueueModeBench } from '../dev/lib/bench/queueMode';

export async function main(args = process.argv.slice(2)): Promise<void> {
	const people = Number(args.find((a) => a.startsWith('--people='))?.slice(9)) || 10000;
	const rows = await runQueueModeBench({ people });
	for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
	if (args.includes('--write')) {
		const dir = join(__dirname, '..', 'bench');
		const file = join(dir, 'results.json');
		mkdirSync(dir, { recursive: true });
		// An array of rows (issue 15's format); rows of other scenarios are kept as they are.
		const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : [];
		const list = Array.isArray(existing) ? (existing as Array<{ scenario?: string }>) : [];
		const doc = [...list.filter((r) => r.scenario !== 'queue-mode'), ...rows];
		writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
	}
	process.exitCode = rows.every((r) => r.met) ? 0 : 1;
}

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
