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
	for (const row of rows) console.log(JSON.stringify(row));
	if (!process.argv.includes('--write')) return;
	const dir = join(__dirname, '..', 'bench');
	const file = join(dir, 'results.json');
	mkdirSync(dir, { recursive: true });
	const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : {};
	const doc = (Array.isArray(existing) ? { rows: existing } : existing) as { rows?: unknown[] };
	const kept = (doc.rows ?? []).filter(
		(r) => (r as { scenario?: string }).scenario !== 'webhook-burst',
	);
	doc.rows = [...kept, ...rows];
	writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
