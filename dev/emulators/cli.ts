/**
 * Standalone emulators: `npm run emulator -- --port 8080 [--service marketo|spotme|both] [--time-scale 0.1]
 * [--spotme-port 8081] [--preset spotme] [--client-id ..] [--client-secret ..] [--daily-quota N]
 * [--token-ttl S] [--no-validate]`. With `--service both`, `--port` is Marketo's and `--spotme-port` SpotMe's.
 * The SpotMe emulator is loaded lazily, only if `dev/emulators/spotme/index.ts` exists: its module exports
 * `startSpotMeEmulator({ port, timeScale, seed })` returning `{ baseUrl, apiUrl, token, stop() }` and
 * `spotMeDemoSeed()` (used by `--preset spotme`).
 */
import fs from 'fs';
import path from 'path';
import { parseArgs } from './common/http';
import { startMarketoEmulator, seedPresets } from './marketo';

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	const service = String(args.service ?? 'marketo');
	if (!['marketo', 'spotme', 'both'].includes(service)) {
		throw new Error(`--service must be marketo, spotme or both (got '${service}')`);
	}
	const num = (v: unknown) => (v === undefined || v === true ? undefined : Number(v));
	const stops: Array<() => Promise<void>> = [];

	if (service === 'marketo' || service === 'both') {
		const emu = await startMarketoEmulator({
			port: num(args.port) ?? 8080,
			host: typeof args.host === 'string' ? args.host : undefined,
			clientId: typeof args['client-id'] === 'string' ? args['client-id'] : undefined,
			clientSecret: typeof args['client-secret'] === 'string' ? args['client-secret'] : undefined,
			timeScale: num(args['time-scale']),
			dailyQuota: num(args['daily-quota']),
			tokenTtlSeconds: num(args['token-ttl']),
			validateOpenApi: args['no-validate'] ? false : undefined,
		});
		if (args.preset === 'spotme') emu.seed(seedPresets.spotme());
		stops.push(() => emu.stop());
		process.stdout.write(
			`Marketo emulator listening on ${emu.baseUrl}\n  REST endpoint: ${emu.restUrl}\n  Identity: ${emu.identityUrl}\n` +
				`  client id: ${emu.clientId}\n  control API: ${emu.baseUrl}/__control/{reset,seed,state,faults,expire-tokens,log,counts}\n`,
		);
	}
	if (service === 'spotme' || service === 'both') {
		const spotmeIndex = path.join(__dirname, 'spotme', 'index.ts');
		if (!fs.existsSync(spotmeIndex))
			throw new Error('The SpotMe emulator (dev/emulators/spotme/index.ts) is not available yet');

		const spotme = require('./spotme');
		const port =
			num(args['spotme-port']) ?? (service === 'spotme' ? (num(args.port) ?? 8081) : 8081);
		const emu = await spotme.startSpotMeEmulator({ port, timeScale: num(args['time-scale']) });
		if (args.preset === 'spotme' && typeof spotme.spotMeDemoSeed === 'function')
			emu.seed(spotme.spotMeDemoSeed());
		stops.push(() => emu.stop());
		process.stdout.write(`SpotMe emulator listening on ${emu.baseUrl}\n`);
		if (emu.apiUrl) {
			process.stdout.write(
				`  API Base URL: ${emu.apiUrl}\n  API token: ${emu.token}\n  control API: ${emu.baseUrl}/_control/{reset,seed,state,faults,log,counts}\n`,
			);
		}
	}
	const shutdown = async () => {
		for (const s of stops) await s();
		process.exit(0);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}

main().catch((e) => {
	process.stderr.write(`${e?.message ?? e}\n`);
	process.exit(1);
});
