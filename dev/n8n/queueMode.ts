/**
 * n8n in queue mode, for real: Debian's PostgreSQL and Redis on free loopback ports in temp
 * folders, n8n's main process (dev/n8n/harness.ts `startN8n`) and N `n8n worker` processes of the
 * pinned n8n, all with this package installed as a community package (they share the main
 * process's user folder: its `.n8n/nodes`, its encryption key).
 *
 *   const q = await startQueueMode({ workers: 2 });
 *   await q.n8n.importCredentials([...]);      // main's helpers, against PostgreSQL
 *   const id = await q.n8n.importWorkflow(wf);
 *   await q.n8n.activate(id);                   // production webhooks: main enqueues, a worker runs
 *   q.workerLogs(0);                            // what worker 0 printed
 *   await q.stop();                             // workers, main, Redis, PostgreSQL; temp folders gone
 *
 * Found on n8n 2.40.7: SQLite is refused in queue mode; a worker reads the encryption key from the
 * user folder main wrote at its first start, so workers start after main is ready; every process
 * that runs workflows starts its own task broker (its own N8N_RUNNERS_BROKER_PORT); a worker opens
 * no HTTP port unless its health check or metrics are on. PostgreSQL refuses to run as root: as root
 * initdb and postgres run as the `postgres` user through `runuser`.
 *
 * `.ci/run` installs `postgresql` and `redis-server` with apt-get when they are missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import {
	freePort,
	killGroup,
	n8nEnv,
	spawnN8n,
	startN8n,
	WATCHDOG,
	type N8nInstance,
	type StartOptions,
} from './harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface QueueModeOptions extends StartOptions {
	/** How many `n8n worker` processes (default 2). */
	workers?: number;
	/** Jobs one worker runs at once (`--concurrency`, n8n's default 10). */
	workerConcurrency?: number;
}

export interface QueueModeInstance {
	/** The main process (webhooks, REST, imports); it enqueues production executions. */
	n8n: N8nInstance;
	/** How many workers run now. */
	readonly workers: number;
	/** Starts `n` more workers (e.g. 2 → 4 without a new main process) and waits until they are ready. */
	addWorkers(n: number): Promise<void>;
	/** What worker `i` printed so far. */
	workerLogs(i: number): string;
	postgres: { port: number; database: string; user: string };
	redis: { port: number };
	stop(): Promise<void>;
}

/** Debian's PostgreSQL binaries (`/usr/lib/postgresql/<major>/bin`), newest major first. */
export function postgresBin(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = readdirSync(root)
		.filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? join(root, majors[0], 'bin') : undefined;
}

export function redisBin(): string | undefined {
	for (const p of [
		'/usr/bin/redis-server',
		'/usr/sbin/redis-server',
		'/usr/local/bin/redis-server',
	])
		if (existsSync(p)) return p;
	return undefined;
}

/** Why queue mode cannot start on this machine, or undefined when it can. */
export function queueModeMissing(): string | undefined {
	if (!postgresBin())
		return 'PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)';
	if (!redisBin()) return 'Redis is not installed (apt-get install redis-server; .ci/run does it)';
	return undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** As root, commands run as `postgres` (PostgreSQL refuses root); otherwise as the current user. */
function asPostgresUser(cmd: string, args: string[]): [string, string[]] {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function postgresUid(): { uid: number; gid: number } | undefined {
	if (!isRoot()) return undefined;
	const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
	const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
	if (id.status !== 0)
		throw new Error(
			'no `postgres` user to run PostgreSQL as (apt-get install postgresql creates it)',
		);
	return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

interface Service {
	child: ChildProcess;
	output: () => string;
}

/** A long-running helper (postgres, redis) under the watchdog, in a process group of its own. */
function startService(cmd: string, args: string[], cwd: string): Service {
	let out = '';
	const child = spawn(process.execPath, [WATCHDOG, String(process.pid), cmd, ...args], {
		cwd,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const collect = (d: Buffer) => {
		out += d.toString();
		if (out.length > 500_000) out = out.slice(-250_000);
	};
	child.stdout!.on('data', collect);
	child.stderr!.on('data', collect);
	return { child, output: () => out };
}

async function stopService(s: Service | undefined, timeoutMs = 10000): Promise<void> {
	if (!s) return;
	const { child } = s;
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise<void>((r) => child.once('exit', () => r()));
		killGroup(child, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const late = await Promise.race([
			exited.then(() => false),
			new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs))),
		]);
		clearTimeout(timer);
		if (late) killGroup(child, 'SIGKILL');
	}
	killGroup(child, 'SIGKILL', true);
}

async function waitFor(
	what: string,
	check: () => boolean | Promise<boolean>,
	s: Service,
	ms: number,
) {
	const deadline = Date.now() + ms;
	for (;;) {
		if (s.child.exitCode !== null)
			throw new Error(`${what} exited (code ${s.child.exitCode}):\n${s.output().slice(-4000)}`);
		if (await check()) return;
		if (Date.now() > deadline)
			throw new Error(`${what} not ready in ${ms} ms:\n${s.output().slice(-4000)}`);
		await sleep(200);
	}
}

/** Removes the temp folders of earlier runs whose process is gone. */
function removeStale(prefix: RegExp) {
	for (const entry of readdirSync(tmpdir())) {
		const m = prefix.exec(entry);
		if (!m) continue;
		let alive = true;
		try {
			process.kill(Number(m[1]), 0);
		} catch (e) {
			alive = (e as NodeJS.ErrnoException).code === 'EPERM';
		}
		if (!alive) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
	}
}

async function startPostgres(log: (m: string) => void) {
	const bin = postgresBin();
	if (!bin) throw new Error(queueModeMissing());
	removeStale(/^n8n-pg-(\d+)-/);
	const dir = mkdtempSync(join(tmpdir(), `n8n-pg-${process.pid}-`));
	const owner = postgresUid();
	if (owner) chownSync(dir, owner.uid, owner.gid);
	const data = join(dir, 'data');
	const [initCmd, initArgs] = asPostgresUser(join(bin, 'initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'--no-sync',
		'-E',
		'UTF8',
	]);
	const init = spawnSync(initCmd, initArgs, { cwd: dir, encoding: 'utf8' });
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
	const port = await freePort();
	const [cmd, args] = asPostgresUser(join(bin, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-h',
		'127.0.0.1',
		'-k',
		dir,
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=200',
	]);
	const service = startService(cmd, args, dir);
	const isReady = join(bin, 'pg_isready');
	await waitFor(
		'PostgreSQL',
		() => spawnSync(isReady, ['-h', '127.0.0.1', '-p', String(port), '-q']).status === 0,
		service,
		30000,
	);
	const [createCmd, createArgs] = asPostgresUser(join(bin, 'createdb'), [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'postgres',
		'n8n',
	]);
	const created = spawnSync(createCmd, createArgs, { encoding: 'utf8' });
	if (created.status !== 0) throw new Error(`createdb failed:\n${created.stderr}`);
	log(`PostgreSQL ${bin.split('/').slice(-2)[0]} on 127.0.0.1:${port} (${dir})`);
	return { service, port, dir };
}

async function startRedis(log: (m: string) => void) {
	const bin = redisBin();
	if (!bin) throw new Error(queueModeMissing());
	removeStale(/^n8n-redis-(\d+)-/);
	const dir = mkdtempSync(join(tmpdir(), `n8n-redis-${process.pid}-`));
	const port = await freePort();
	const service = startService(
		bin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		dir,
	);
	await waitFor(
		'Redis',
		() => /Ready to accept connections/i.test(service.output()),
		service,
		20000,
	);
	log(`Redis on 127.0.0.1:${port}`);
	return { service, port, dir };
}

/**
 * Starts PostgreSQL, Redis, n8n's main process in queue mode and `workers` n8n workers. Always
 * `await stop()`; a failed start stops what it started.
 */
export async function startQueueMode(options: QueueModeOptions = {}): Promise<QueueModeInstance> {
	const log = options.log ?? ((m: string) => process.stderr.write(`[n8n-queue] ${m}\n`));
	const count = options.workers ?? 2;
	let pg: Awaited<ReturnType<typeof startPostgres>> | undefined;
	let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
	let main: N8nInstance | undefined;
	const workers: Service[] = [];
	let addWorkers: (n: number) => Promise<void> = async () => {};
	const stop = async () => {
		await Promise.all(workers.map((w) => stopService(w, 20000)));
		await main?.stop();
		await stopService(redis?.service);
		await stopService(pg?.service, 15000);
		for (const d of [pg?.dir, redis?.dir])
			if (d && existsSync(d) && statSync(d).isDirectory())
				rmSync(d, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
	};
	try {
		[pg, redis] = await Promise.all([startPostgres(log), startRedis(log)]);
		const queueEnv: Record<string, string> = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_HEALTH_CHECK_ACTIVE: 'false',
			// n8n keeps 2 PostgreSQL connections per process and pings the database every 2 s (5 s
			// time-out); after 3 failed pings it tears its pool down and reconnects, and every query in
			// flight fails ("Connection terminated"; forced with DB_PING_TIMEOUT_MS=1 it fails main's
			// migrations). A worker running its 10 executions at once on 2 busy cores starves its own
			// ping ("Database ping failed (2/3)" in the worker logs); the 4-worker bench row once had 6
			// executions fail before they called Marketo (12 calls fewer, 1 000 people never sent).
			// So: a pool for the worker's concurrency and a ping time-out for a busy machine.
			DB_POSTGRESDB_POOL_SIZE: String(Math.max(4, (options.workerConcurrency ?? 10) + 2)),
			DB_PING_TIMEOUT_MS: '30000',
			...options.env,
		};
		// A fresh PostgreSQL database runs every migration: minutes on busy cores.
		main = await startN8n({
			startTimeoutMs: 360000,
			...options,
			log,
			env: queueEnv,
		});
		const mainInstance = main;
		addWorkers = async (n: number) => {
			const t0 = Date.now();
			const started: Service[] = [];
			for (let i = 0; i < n; i++) {
				const env = {
					...n8nEnv(mainInstance.userFolder, mainInstance.port, queueEnv),
					N8N_RUNNERS_BROKER_PORT: String(await freePort()),
					QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
				};
				const args = ['worker'];
				if (options.workerConcurrency) args.push(`--concurrency=${options.workerConcurrency}`);
				const child = spawnN8n(mainInstance.install, args, mainInstance.userFolder, env);
				let out = '';
				const collect = (d: Buffer) => {
					out += d.toString();
					if (out.length > 2_000_000) out = out.slice(-1_000_000);
				};
				child.stdout!.on('data', collect);
				child.stderr!.on('data', collect);
				started.push({ child, output: () => out });
				workers.push(started[started.length - 1]);
			}
			await Promise.all(
				started.map((w, i) =>
					waitFor(
						`n8n worker ${workers.length - n + i}`,
						() => w.output().includes('n8n worker is now ready'),
						w,
						180000,
					),
				),
			);
			log(
				`${n} n8n workers ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${workers.length} in all)`,
			);
		};
		await addWorkers(count);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		n8n: main,
		get workers() {
			return workers.length;
		},
		addWorkers: async (n) => await addWorkers(n),
		workerLogs: (i) => workers[i]?.output() ?? '',
		postgres: { port: pg.port, database: 'n8n', user: 'postgres' },
		redis: { port: redis.port },
		stop,
	};
}
