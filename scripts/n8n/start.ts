/**
 * Starts the pinned real n8n with this package installed from its packed tarball, for poking at
 * by hand (the same harness the test/n8n suites use). Ctrl-C stops it and deletes its folder.
 *
 *   npx ts-node --transpile-only scripts/n8n/start.ts [workflow.json ...]
 *
 * Run `npm run build` first. Given workflow files are imported (inactive).
 */
import { readFileSync } from 'fs';

import { startN8n } from '../../dev/n8n/harness';

async function main() {
	const n8n = await startN8n();
	for (const file of process.argv.slice(2)) {
		const id = await n8n.importWorkflow(JSON.parse(readFileSync(file, 'utf8')));
		process.stdout.write(`imported ${file} as ${id}\n`);
	}
	process.stdout.write(
		`n8n is up: ${n8n.baseUrl}  (owner ${n8n.owner.email} / ${n8n.owner.password})\n`,
	);
	const stop = () => {
		n8n.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e) => {
	process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
});
