/**
 * A real n8n (the version pinned in dev/n8n/versions.json) with this package installed from
 * its packed tarball, the way n8n installs a community package. See test/n8n/README.md.
 *
 *   const n8n = await startN8n();
 *   await n8n.importCredentials([{ id: 'mkto1', name: 'Marketo', type: 'marketoApi', data: {...} }]);
 *   const id = await n8n.importWorkflow(workflowJson);
 *   const run = await n8n.execute(id);            // `n8n execute --id --rawOutput`, parsed
 *   await n8n.activate(id);                       // production webhooks answer after this resolves
 *   await fetch(n8n.webhookUrl('my-path'), { method: 'POST', body: '{}' });
 *   await n8n.listExecutions(id);                 // what n8n recorded
 *   await n8n.stop();
 *
 * What works on n8n 2.40.7 (checked):
 * - Imports use the CLI (`import:credentials`, `import:workflow`) against the same user folder
 *   while the server runs: ids in the JSON are kept, plain credential `data` is encrypted.
 * - `execute` uses the CLI too (its own task-broker port, so it can run beside the server); the
 *   run is recorded in the database with mode "cli".
 * - Activation uses the REST API as the owner (set up at start via /rest/owner/setup):
 *   POST /rest/workflows/:id/activate {versionId}. Publication is asynchronous in 2.40 (an
 *   outbox polled every 15 s by default; we set 250 ms), so activate() waits until
 *   GET /rest/workflows/:id/publication-status says "published" for that version.
 * - Executions: GET /rest/executions?filter={"workflowId":...}.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

import { cleanEnv, ensureN8n, type N8nInstallPaths } from './install';

export const PACKAGE_NAME = 'n8n-nodes-marketo-spotme';
export const ROOT = resolve(__dirname, '..', '..');
/** The first start may install n8n (about 4 minutes); use this as the beforeAll timeout. */
export const FIRST_START_TIMEOUT_MS = 15 * 60 * 1000;

const OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: `Owner-${randomBytes(6).toString('hex')}-1A`,
};
const BROWSER_ID = 'n8n-nodes-marketo-spotme-tests';

export interface CredentialImport {
	id?: string;
	name: string;
	/** The credential type name, e.g. `marketoApi` (no package prefix). */
	type: string;
	/** Plain data; `n8n import:credentials` encrypts it with the instance key. */
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

/** The IRun JSON `n8n execute --rawOutput` prints. */
export interface N8nRun {
	status?: string;
	mode?: string;
	finished?: boolean;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{
					data?: {
						main?: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }> | null>;
					};
					error?: { message?: string; description?: string };
				}>
			>;
			error?: { message?: string; description?: string; [k: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
	[key: string]: unknown;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	startedAt?: string;
	stoppedAt?: string;
	[key: string]: unknown;
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface StartOptions {
	/** Extra environment for the n8n process and the CLI commands (wins over the defaults). */
	env?: Record<string, string>;
	/** Install this package's packed tarball into the user folder (default true). */
	installPackage?: boolean;
	/** Time to wait for the server after the install is done (default 120 s). */
	startTimeoutMs?: number;
	/** Called with progress messages (default: stderr). */
	log?: (message: string) => void;
}

export interface N8nInstance {
	baseUrl: string;
	port: number;
	userFolder: string;
	install: N8nInstallPaths;
	/** The owner account the harness set up (log in to the editor with it when debugging). */
	owner: { email: string; password: string };
	/** Production webhook URL: `${baseUrl}/webhook/<path>`. */
	webhookUrl(path: string): string;
	/** Test webhook URL (only live while the editor listens): `${baseUrl}/webhook-test/<path>`. */
	webhookTestUrl(path: string): string;
	/** Imports credentials through `n8n import:credentials`; returns their ids. */
	importCredentials(credentials: CredentialImport[]): Promise<string[]>;
	/**
	 * Imports one workflow (inactive); returns its id (kept, or generated if absent). By default
	 * through POST /rest/workflows (about 0.1 s); `via: 'cli'` uses `n8n import:workflow` (a
	 * process start, several seconds), exactly as a user importing a file would.
	 */
	importWorkflow(workflow: WorkflowJson, options?: { via?: 'rest' | 'cli' }): Promise<string>;
	/** Activates (publishes) a workflow and waits until n8n reports its triggers active. */
	activate(workflowId: string, options?: { timeoutMs?: number }): Promise<void>;
	/** Deactivates a workflow and waits until n8n reports it unpublished. */
	deactivate(workflowId: string, options?: { timeoutMs?: number }): Promise<void>;
	/** Runs a workflow with `n8n execute --id --rawOutput`; returns the run (also when it failed). */
	execute(workflowId: string): Promise<N8nRun>;
	/**
	 * Runs a workflow as the editor's "Execute workflow" does (POST /rest/workflows/:id/run from the
	 * given trigger, mode "manual", in the server process) and waits for it to finish. Unlike
	 * `n8n execute`, the server has n8n's modules loaded (data tables); manual runs keep no static data.
	 */
	runFromEditor(workflowId: string, trigger: string): Promise<N8nRun & { id: string }>;
	/** The executions n8n recorded for a workflow, newest first. */
	listExecutions(workflowId: string): Promise<ExecutionSummary[]>;
	/**
	 * The same once at least `count` are recorded and none is still new, running or waiting: an
	 * execution is saved after its webhook is answered (by an answer node, before it even ends), and
	 * a queued one after a worker ran it. After `timeoutMs`, whatever is recorded then.
	 */
	settledExecutions(
		workflowId: string,
		count: number,
		timeoutMs?: number,
	): Promise<ExecutionSummary[]>;
	/** One execution with its run data (GET /rest/executions/:id, unflattened); `nodeOutput` reads it. */
	getExecution(executionId: string): Promise<ExecutionSummary & N8nRun>;
	/** Node type names the running n8n lists (GET /types/nodes.json). */
	nodeTypes(): Promise<string[]>;
	/** Credential type names the running n8n lists (GET /types/credentials.json). */
	credentialTypes(): Promise<string[]>;
	/** A REST call as the owner (`/rest/...`); returns the parsed body's `data` when present. */
	rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
	/** Any n8n CLI command against this instance's user folder. */
	cli(args: string[], options?: { timeoutMs?: number }): Promise<CliResult>;
	/** Everything the server printed so far. */
	logs(): string;
	stop(): Promise<void>;
}

/**
 * Starts n8n (or a CLI command) through dev/n8n/watchdog.js, as the leader of a new process
 * group: stop() signals the whole group (n8n and its task runner), and the watchdog ends it all
 * if this process dies without stop() (jest never fires 'exit' listeners, so no hook can).
 */
export const WATCHDOG = join(__dirname, 'watchdog.js');
export function spawnN8n(
	install: N8nInstallPaths,
	args: string[],
	cwd: string,
	env: NodeJS.ProcessEnv,
): ChildProcess {
	return spawn(
		process.execPath,
		[WATCHDOG, String(process.pid), install.nodeBin, install.n8nBin, ...args],
		{
			cwd,
			env,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
}

/** Signals the child's process group; `evenIfExited` also reaches what it left behind (a task runner). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals, evenIfExited = false) {
	if (child.pid === undefined) return;
	if (!evenIfExited && (child.exitCode !== null || child.signalCode !== null)) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export function freePort(): Promise<number> {
	return new Promise((res, rej) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', rej);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => res(port));
		});
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** n8n ids are 16 alphanumerics (nanoid). */
export function newId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

let packed: string | undefined;
/**
 * `npm pack` of this repo into a temp folder (once per process). Builds first when a file the
 * n8n section lists has its source but is not in `dist/` (e.g. a fresh clone), or when
 * N8N_TEST_BUILD=1; otherwise packs `dist/` as it is.
 */
export function packPackage(log: (m: string) => void = defaultLog): string {
	if (packed && existsSync(packed)) return packed;
	const env = cleanEnv({ npm_config_ignore_scripts: 'true' });
	const listed = [...packageJson().n8n.nodes, ...packageJson().n8n.credentials];
	const unbuilt = listed.filter(
		(f) => existsSync(join(ROOT, sourceOf(f))) && !existsSync(join(ROOT, f)),
	);
	if (process.env.N8N_TEST_BUILD === '1' || unbuilt.length > 0) {
		log(
			`building first (${unbuilt.length ? `not in dist/: ${unbuilt.join(', ')}` : 'N8N_TEST_BUILD=1'})`,
		);
		const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, env, encoding: 'utf8' });
		if (b.status !== 0) throw new Error(`npm run build failed:\n${b.stdout}\n${b.stderr}`);
	}
	// One folder per process (jest never fires 'exit' listeners to clean up): remove the folders
	// of processes that are gone.
	for (const entry of readdirSync(tmpdir())) {
		const m = /^n8n-nodes-marketo-spotme-pack-(\d+)$/.exec(entry);
		if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1])))
			rmSync(join(tmpdir(), entry), { recursive: true, force: true });
	}
	const dest = join(tmpdir(), `n8n-nodes-marketo-spotme-pack-${process.pid}`);
	rmSync(dest, { recursive: true, force: true });
	mkdirSync(dest, { recursive: true });
	const r = spawnSync('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: ROOT,
		env,
		encoding: 'utf8',
	});
	if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stdout}\n${r.stderr}`);
	const info = JSON.parse(r.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
	packed = join(dest, info[0].filename);
	log(`packed ${packed} (${info[0].files.length} files)`);
	return packed;
}

/** The TypeScript source of a `dist/...js` file the n8n section lists. */
export function sourceOf(distFile: string): string {
	return distFile.replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

/** The files the tarball would hold (for checks: which n8n-section files exist in dist/). */
export function packageJson(): {
	name: string;
	version: string;
	n8n: { nodes: string[]; credentials: string[] };
} {
	return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
}

/**
 * Installs a packed tarball into `<userFolder>/.n8n/nodes` as n8n's CommunityPackagesService
 * does (2.40.7 `downloadPackage`): untar into node_modules/<name> with --strip-components=1,
 * drop dev/peer/optional dependencies from its package.json, install its remaining dependencies
 * (none for this package) with scripts off, and list it in nodes/package.json.
 */
export function installTarball(userFolder: string, tarball: string): string {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const pkgDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
	rmSync(pkgDir, { recursive: true, force: true });
	mkdirSync(pkgDir, { recursive: true });
	const t = spawnSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (t.status !== 0) throw new Error(`tar failed: ${t.stderr}`);
	const pj = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
	delete pj.devDependencies;
	delete pj.peerDependencies;
	delete pj.optionalDependencies;
	writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(pj, null, 2));
	if (pj.dependencies && Object.keys(pj.dependencies).length > 0) {
		const r = spawnSync(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: pkgDir, env: cleanEnv(), encoding: 'utf8' },
		);
		if (r.status !== 0)
			throw new Error(`npm install in ${pkgDir} failed:\n${r.stdout}\n${r.stderr}`);
	}
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: pj.version } },
			null,
			2,
		),
	);
	return pkgDir;
}

function defaultLog(m: string) {
	process.stderr.write(`[n8n] ${m}\n`);
}

/** The environment every n8n process of one instance shares (server, CLI commands, queue-mode workers). */
export function n8nEnv(
	userFolder: string,
	port: number,
	extra: Record<string, string> | undefined,
): NodeJS.ProcessEnv {
	const base = cleanEnv();
	// Nothing from the outer environment may steer this n8n: the jest setup sets N8N_USER_FOLDER,
	// and jest's NODE_ENV=test makes n8n 2.40.7 exit with code 1 before printing anything.
	for (const k of Object.keys(base)) {
		if (
			/^(N8N_|DB_|WEBHOOK_URL|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE|NODE_ENV$|NODE_OPTIONS|TS_NODE_|JEST_)/.test(
				k,
			)
		)
			delete base[k];
	}
	return {
		...base,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// No telemetry, banners, version checks or template fetches: this machine has no internet.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_SECURE_COOKIE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// Publication (activation) is an outbox polled every 15 s by default.
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '250',
		N8N_LOG_LEVEL: 'info',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		DB_TYPE: 'sqlite',
		...extra,
	};
}

/** Parses the IRun JSON out of `n8n execute` output (log lines may surround it). */
export function parseRunOutput(output: string): N8nRun | undefined {
	const lines = output.split('\n');
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
				if (parsed && parsed.data && parsed.data.resultData) return parsed as N8nRun;
			} catch {
				/* not yet the closing brace of this object */
			}
		}
	}
	return undefined;
}

/**
 * Parses the `flatted` format n8n stores execution data in (an array whose first entry is the
 * root; every object and string is an entry, referenced from others by its index as a string).
 */
export function unflatten(text: string): unknown {
	// Wrap strings so a reference (string index) differs from a number, boolean or null value.
	const input = JSON.parse(text, (_k, v) =>
		typeof v === 'string' ? new String(v) : v,
	) as unknown[];
	const done = new Set<number>();
	// eslint-disable-next-line @typescript-eslint/no-wrapper-object-types -- a wrapped string marks a reference
	const resolveRef = (ref: String): unknown => {
		const index = Number(ref.valueOf());
		const target = input[index];
		if (target instanceof String) return target.valueOf();
		if (target !== null && typeof target === 'object' && !done.has(index)) {
			done.add(index);
			revive(target as Record<string, unknown>);
		}
		return target;
	};
	const revive = (obj: Record<string, unknown>) => {
		for (const key of Object.keys(obj)) {
			const v = obj[key];
			if (v instanceof String) obj[key] = resolveRef(v);
		}
	};
	return resolveRef(new String('0'));
}

/** The JSON of the items a node output (first run, first output unless told). */
export function nodeOutput(
	run: N8nRun,
	nodeName: string,
	runIndex = 0,
	outputIndex = 0,
): Array<Record<string, unknown>> {
	const r = run.data.resultData.runData[nodeName]?.[runIndex];
	if (!r)
		throw new Error(
			`node "${nodeName}" did not run (ran: ${Object.keys(run.data.resultData.runData).join(', ')})`,
		);
	return (r.data?.main?.[outputIndex] ?? []).map((i) => i.json);
}

/**
 * Starts n8n with a fresh user folder and free ports, the package installed, and an owner set up.
 * Always `await n8n.stop()` (in afterAll); a failing start kills the process itself.
 */
export async function startN8n(options: StartOptions = {}): Promise<N8nInstance> {
	// A free port can be taken by another process between our probe and n8n's bind: try again.
	for (let attempt = 1; ; attempt++) {
		try {
			return await startN8nOnce(options);
		} catch (error) {
			if (
				attempt >= 3 ||
				!/EADDRINUSE|port \d+ is already in use/.test(String((error as Error).message))
			)
				throw error;
			(options.log ?? defaultLog)(
				`a port was taken before n8n could bind it; starting again (attempt ${attempt + 1})`,
			);
		}
	}
}

async function startN8nOnce(options: StartOptions): Promise<N8nInstance> {
	const log = options.log ?? defaultLog;
	const install = await ensureN8n({ log });
	const t0 = Date.now();
	// Named after this process, so a later run can remove the folders of runs that died.
	for (const entry of readdirSync(tmpdir())) {
		const m = /^n8n-real-(\d+)-/.exec(entry);
		if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1])))
			rmSync(join(tmpdir(), entry), { recursive: true, force: true });
	}
	const userFolder = mkdtempSync(join(tmpdir(), `n8n-real-${process.pid}-`));
	if (options.installPackage !== false) installTarball(userFolder, packPackage(log));
	const port = await freePort();
	const brokerPort = await freePort();
	const env = n8nEnv(userFolder, port, options.env);
	const baseUrl = `http://127.0.0.1:${port}`;

	let output = '';
	const child = spawnN8n(install, ['start'], userFolder, {
		...env,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
	});
	const collect = (d: Buffer) => {
		output += d.toString();
		if (output.length > 2_000_000) output = output.slice(-1_000_000);
	};
	child.stdout!.on('data', collect);
	child.stderr!.on('data', collect);

	let cookie = '';
	let stopped = false;

	const stop = async () => {
		if (stopped) return;
		stopped = true;
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise<void>((r) => child.once('exit', () => r()));
			killGroup(child, 'SIGTERM');
			let timer: NodeJS.Timeout | undefined;
			const timedOut = await Promise.race([
				exited.then(() => false),
				new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 20000))),
			]);
			clearTimeout(timer);
			if (timedOut) {
				killGroup(child, 'SIGKILL');
				await exited;
			}
		}
		// The task runner is in the same group; make sure nothing of it survives.
		killGroup(child, 'SIGKILL', true);
		if (!process.env.N8N_TEST_KEEP_USER_FOLDER)
			rmSync(userFolder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
	};

	const request = async (method: string, path: string, body?: unknown) => {
		const res = await fetch(`${baseUrl}${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': BROWSER_ID,
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			/* not JSON */
		}
		return { res, parsed, text };
	};

	const rest = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
		const { res, parsed, text } = await request(
			method,
			path.startsWith('/') ? path : `/${path}`,
			body,
		);
		if (!res.ok)
			throw new Error(`n8n ${method} ${path} answered ${res.status}: ${text.slice(0, 2000)}`);
		if (parsed && typeof parsed === 'object' && 'data' in (parsed as object))
			return (parsed as { data: T }).data;
		return parsed as T;
	};

	const cli = async (
		args: string[],
		cliOptions: { timeoutMs?: number } = {},
	): Promise<CliResult> => {
		// Each CLI process that runs workflows starts its own task broker: give it its own port.
		const cliEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		return await new Promise<CliResult>((res, rej) => {
			const c = spawnN8n(install, args, userFolder, cliEnv);
			let stdout = '';
			let stderr = '';
			c.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
			c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
			const timer = setTimeout(() => {
				killGroup(c, 'SIGKILL');
				rej(
					new Error(
						`n8n ${args.join(' ')} did not finish in ${cliOptions.timeoutMs ?? 120000} ms:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`,
					),
				);
			}, cliOptions.timeoutMs ?? 120000);
			c.on('error', (e) => {
				clearTimeout(timer);
				rej(e);
			});
			c.on('exit', (code) => {
				clearTimeout(timer);
				killGroup(c, 'SIGKILL', true); // its task runner, if any
				res({ code, stdout, stderr });
			});
		});
	};

	try {
		// Ready = the editor line is printed and /healthz/readiness (DB + migrations) says 200.
		const deadline = Date.now() + (options.startTimeoutMs ?? 120000);
		for (;;) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw new Error(
					`n8n exited during start (code ${child.exitCode}, signal ${child.signalCode}):\n${output.slice(-6000)}`,
				);
			}
			if (output.includes('Editor is now accessible via')) {
				try {
					const r = await fetch(`${baseUrl}/healthz/readiness`);
					if (r.ok) break;
				} catch {
					/* not listening yet */
				}
			}
			if (Date.now() > deadline)
				throw new Error(`n8n did not become ready on ${baseUrl}:\n${output.slice(-6000)}`);
			await sleep(250);
		}
		const setup = await request('POST', '/rest/owner/setup', OWNER);
		if (!setup.res.ok)
			throw new Error(`owner setup failed: ${setup.res.status} ${setup.text.slice(0, 1000)}`);
		const setCookie = setup.res.headers.getSetCookie?.() ?? [
			setup.res.headers.get('set-cookie') ?? '',
		];
		const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (!auth) throw new Error('owner setup returned no n8n-auth cookie');
		cookie = auth;
		log(
			`n8n ${install.versions.n8n} ready on ${baseUrl} in ${((Date.now() - t0) / 1000).toFixed(1)} s (user folder ${userFolder})`,
		);
	} catch (error) {
		await stop();
		throw error;
	}

	const cliOrThrow = async (args: string[], what: string) => {
		const r = await cli(args);
		if (r.code !== 0)
			throw new Error(
				`n8n ${what} failed (exit ${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`,
			);
		return r;
	};

	const jsonFile = (name: string, value: unknown) => {
		const dir = join(userFolder, 'imports');
		mkdirSync(dir, { recursive: true });
		const file = join(dir, `${Date.now()}-${randomBytes(4).toString('hex')}-${name}.json`);
		writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	};

	const publicationStatus = (id: string) =>
		rest<{
			status: string;
			liveVersionId: string | null;
			pendingVersionId: string | null;
			triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
		}>('GET', `/rest/workflows/${id}/publication-status`);

	const instance: N8nInstance = {
		baseUrl,
		port,
		userFolder,
		install,
		owner: { email: OWNER.email, password: OWNER.password },
		webhookUrl: (path) => `${baseUrl}/webhook/${path.replace(/^\//, '')}`,
		webhookTestUrl: (path) => `${baseUrl}/webhook-test/${path.replace(/^\//, '')}`,
		async importCredentials(credentials) {
			const withIds = credentials.map((c) => ({ ...c, id: c.id ?? newId() }));
			// Keep the secrets out of the user folder as soon as n8n has encrypted them.
			const file = jsonFile('credentials', withIds);
			try {
				await cliOrThrow(['import:credentials', `--input=${file}`], 'import:credentials');
			} finally {
				rmSync(file, { force: true });
			}
			return withIds.map((c) => c.id);
		},
		async importWorkflow(workflow, opts = {}) {
			const wf = {
				active: false,
				settings: { executionOrder: 'v1' },
				...workflow,
				id: workflow.id ?? newId(),
			};
			// The REST create DTO has no staticData (a polling trigger's saved cursor): the CLI keeps it.
			if (opts.via === 'cli' || (wf as Record<string, unknown>).staticData) {
				await cliOrThrow(
					['import:workflow', `--input=${jsonFile('workflow', wf)}`],
					'import:workflow',
				);
				return wf.id;
			}
			// POST /rest/workflows keeps a given id; fields of an export that the create DTO does not
			// take (tags are names there, ids here; activation state; versions) are left out.
			const { name, nodes, connections, settings, pinData, meta, id } = wf as WorkflowJson &
				Record<string, unknown>;
			const body: Record<string, unknown> = { id, name, nodes, connections, settings };
			if (pinData && typeof pinData === 'object') body.pinData = pinData;
			if (meta && typeof meta === 'object') body.meta = meta;
			const created = await rest<{ id: string }>('POST', '/rest/workflows', body);
			return created.id;
		},
		async activate(id, opts = {}) {
			const wf = await rest<{ versionId: string }>('GET', `/rest/workflows/${id}`);
			await rest('POST', `/rest/workflows/${id}/activate`, { versionId: wf.versionId });
			const deadline = Date.now() + (opts.timeoutMs ?? 30000);
			for (;;) {
				const s = await publicationStatus(id);
				if (
					s.pendingVersionId === null &&
					s.liveVersionId === wf.versionId &&
					s.status === 'published'
				)
					return;
				if (s.pendingVersionId === null && (s.status === 'failed' || s.status === 'partial')) {
					const why = s.triggers
						.filter((t) => t.status === 'failed')
						.map((t) => `${t.nodeId}: ${t.errorMessage}`);
					throw new Error(`activating workflow ${id} failed: ${why.join('; ')}`);
				}
				if (Date.now() > deadline)
					throw new Error(`workflow ${id} was not published in time: ${JSON.stringify(s)}`);
				await sleep(200);
			}
		},
		async deactivate(id, opts = {}) {
			await rest('POST', `/rest/workflows/${id}/deactivate`, {});
			const deadline = Date.now() + (opts.timeoutMs ?? 30000);
			for (;;) {
				const s = await publicationStatus(id);
				if (s.pendingVersionId === null && s.liveVersionId === null) return;
				if (Date.now() > deadline)
					throw new Error(`workflow ${id} was not unpublished in time: ${JSON.stringify(s)}`);
				await sleep(200);
			}
		},
		async execute(id) {
			const r = await cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs: 180000 });
			const run = parseRunOutput(r.stdout) ?? parseRunOutput(`${r.stdout}\n${r.stderr}`);
			if (!run)
				throw new Error(
					`n8n execute --id=${id} printed no run (exit ${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`,
				);
			return run;
		},
		async runFromEditor(id, trigger) {
			const workflowData = await rest<Record<string, unknown>>('GET', `/rest/workflows/${id}`);
			const { executionId } = await rest<{ executionId: string }>(
				'POST',
				`/rest/workflows/${id}/run`,
				{ workflowData, triggerToStartFrom: { name: trigger } },
			);
			const deadline = Date.now() + 180000;
			for (;;) {
				const e = await instance.getExecution(executionId).catch(() => undefined);
				if (e?.status && !['new', 'running', 'waiting'].includes(String(e.status)))
					return { ...e, id: executionId };
				if (Date.now() > deadline)
					throw new Error(`execution ${executionId} of workflow ${id} did not finish in 180 s`);
				await sleep(250);
			}
		},
		async listExecutions(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const page = await rest<{ results: ExecutionSummary[] }>(
				'GET',
				`/rest/executions?filter=${filter}&limit=100`,
			);
			return page.results;
		},
		async settledExecutions(workflowId, count, timeoutMs = 30_000) {
			const until = Date.now() + timeoutMs;
			for (;;) {
				const list = await this.listExecutions(workflowId);
				const settled =
					list.length >= count &&
					list.every((e) => !['new', 'running', 'waiting'].includes(e.status));
				if (settled || Date.now() > until) return list;
				await new Promise((r) => setTimeout(r, 200));
			}
		},
		async getExecution(executionId) {
			const e = await rest<ExecutionSummary & { data: unknown }>(
				'GET',
				`/rest/executions/${executionId}`,
			);
			const data = typeof e.data === 'string' ? unflatten(e.data) : e.data;
			return { ...e, data } as ExecutionSummary & N8nRun;
		},
		async nodeTypes() {
			const types = await rest<Array<{ name: string }>>('GET', '/types/nodes.json');
			return [...new Set(types.map((t) => t.name))];
		},
		async credentialTypes() {
			const types = await rest<Array<{ name: string }>>('GET', '/types/credentials.json');
			return [...new Set(types.map((t) => t.name))];
		},
		rest,
		cli,
		logs: () => output,
		stop,
	};
	return instance;
}

/**
 * Imports and executes a workflow bundled in `workflows/` (by file name, with or without
 * `.json`), optionally with credentials, on a running instance. Returns the id and the run.
 */
export async function runBundledWorkflow(
	n8n: N8nInstance,
	file: string,
	options: {
		credentials?: CredentialImport[];
		transform?: (wf: WorkflowJson) => WorkflowJson;
	} = {},
): Promise<{ id: string; run: N8nRun }> {
	const path = resolve(ROOT, 'workflows', file.endsWith('.json') ? file : `${file}.json`);
	let wf = JSON.parse(readFileSync(path, 'utf8')) as WorkflowJson;
	if (options.transform) wf = options.transform(wf);
	if (options.credentials?.length) await n8n.importCredentials(options.credentials);
	const id = await n8n.importWorkflow(wf);
	return { id, run: await n8n.execute(id) };
}
