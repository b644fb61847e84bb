/**
 * `npx ts-node --transpile-only scripts/bench-webhook-burst.ts [--write]`: the webhook-burst rows
 * (dev/lib/bench/webhookBurst.ts), printed, and with --write merged into bench/results.json
 * (rows of other scenarios kept; the file's owner, scripts/bench.ts, can call runWebhookBurst).
 */
import '../dev/lib/env';

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { runWebhookBurst } from '../dev/lib/bench/webhookBurst';

async function main() {
	const rows = await runWebhookBurst();
	for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
	if (!process.argv.includes('--write')) return;
	const dir = join(__dirname, '..', 'bench');
	const file = join(dir, 'results.json');
	mkdirSync(dir, { recursive: true });
	// An array of rows (issue 15's format); rows of other scenarios are kept as they are.
	const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : [];
	const list = Array.isArray(existing) ? (existing as Array<{ scenario?: string }>) : [];
	const doc = [...list.filter((r) => r.scenario !== 'webhook-burst'), ...rows];
	writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
