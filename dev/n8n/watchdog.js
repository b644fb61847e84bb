#!/usr/bin/env node
/*
 * Runs a command and ends it when the process that started it is gone.
 *
 *   node dev/n8n/watchdog.js <ownerPid> <command> [args...]
 *
 * Why: jest runs tests with a proxied `process` whose 'exit' listeners never fire, so a test run
 * that dies (or forgets `stop()`) would leave n8n, its task runner or an npm install running.
 * The harness starts each of those through this watchdog, in a process group of its own:
 * - every second it checks that <ownerPid> is alive; when it is not, it sends SIGTERM to its
 *   command, then SIGKILL to the whole group 10 s later;
 * - SIGTERM/SIGINT sent to the group reach the command directly; the watchdog itself ignores
 *   them and exits with the command's status once it has exited, so the caller's 'exit' event
 *   means the command is gone.
 */
'use strict';

const { spawn } = require('child_process');

const [ownerPidArg, cmd, ...args] = process.argv.slice(2);
const ownerPid = Number(ownerPidArg);
if (!Number.isInteger(ownerPid) || !cmd) {
	process.stderr.write('usage: watchdog.js <ownerPid> <command> [args...]\n');
	process.exit(2);
}

const child = spawn(cmd, args, { stdio: 'inherit' });

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

function killGroup(signal) {
	try {
		process.kill(-process.pid, signal);
	} catch {
		child.kill(signal);
	}
}

let ending = false;
const timer = setInterval(() => {
	if (ending || alive(ownerPid)) return;
	ending = true;
	child.kill('SIGTERM');
	setTimeout(() => killGroup('SIGKILL'), 10000).unref();
}, 1000);

process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});

child.on('error', (e) => {
	process.stderr.write(`watchdog: cannot run ${cmd}: ${e.message}\n`);
	clearInterval(timer);
	process.exit(127);
});
child.on('exit', (code, signal) => {
	clearInterval(timer);
	process.exit(code ?? (signal ? 128 + 15 : 1));
});
