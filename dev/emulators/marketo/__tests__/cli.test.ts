import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { fetchAny as fetch } from './helpers';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

/** Starts `dev/emulators/cli.ts` like `npm run emulator -- <args>` and waits for its banner. */
function startCli(args: string[]): Promise<{ child: ChildProcess; output: () => string }> {
	const child = spawn(
		process.execPath,
		[require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'dev/emulators/cli.ts', ...args],
		{ cwd: ROOT },
	);
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	return new Promise((resolve, reject) => {
		const timer = setInterval(() => {
			if (
				/listening on/.test(out) &&
				(!args.includes('both') || (out.match(/listening on/g) ?? []).length >= 2)
			) {
				clearInterval(timer);
				resolve({ child, output: () => out });
			}
		}, 50);
		child.on('exit', (code) => {
			clearInterval(timer);
			reject(new Error(`cli exited with ${code}: ${out}`));
		});
	});
}

describe('Marketo emulator: standalone CLI', () => {
	let child: ChildProcess | undefined;
	afterEach(() => {
		child?.kill('SIGTERM');
		child = undefined;
	});

	it('starts the Marketo emulator on the given port with the SpotMe preset and a working control API', async () => {
		const cli = await startCli(['--port', '0', '--preset', 'spotme']);
		child = cli.child;
		const base = /Marketo emulator listening on (http:\/\/[^\s]+)/.exec(cli.output())![1];
		const tok = await (
			await fetch(
				`${base}/identity/oauth/token?grant_type=client_credentials&client_id=emulator-client-id&client_secret=emulator-client-secret`,
			)
		).json();
		const r = await (
			await fetch(`${base}/rest/v1/customobjects.json`, {
				headers: { Authorization: `Bearer ${tok.access_token}` },
			})
		).json();
		expect(r.result.map((t: any) => t.name).sort()).toEqual([
			'spotMeAttendance_c',
			'spotMeEventAttendance_c',
		]);
		const counts = await (await fetch(`${base}/__control/counts`)).json();
		expect(counts['/rest/v1/customobjects.json']).toBe(1);
	}, 30000);

	it('starts both emulators with --service both', async () => {
		const cli = await startCli(['--service', 'both', '--port', '0', '--spotme-port', '0']);
		child = cli.child;
		expect(cli.output()).toMatch(/Marketo emulator listening on http/);
		expect(cli.output()).toMatch(/SpotMe emulator listening on http/);
	}, 30000);
});
