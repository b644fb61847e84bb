#!/usr/bin/env node
/**
 * The npm registry reachable from this project's machines lacks some platform-only optional
 * binaries (e.g. @unrs/resolver-binding-darwin-arm64@1.13.0 answers 404), so `npm install` leaves
 * them out of package-lock.json and `npm ci` then refuses the lock as out of sync. This adds an entry
 * for every missing optional dependency whose platform is not this one (os/cpu/libc taken from the
 * package name), which `npm ci` skips without downloading. Run it after `npm install` changes the lock.
 */
const fs = require('fs');
const path = require('path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

function platformOf(name) {
	const tail = name.split('/').pop();
	const os = [
		'android',
		'darwin',
		'freebsd',
		'linux',
		'openharmony',
		'win32',
		'sunos',
		'aix',
		'netbsd',
		'openbsd',
	].find((o) => tail.includes(`-${o}-`));
	const cpu = ['arm64', 'x64', 'ia32', 'loong64', 'ppc64', 's390x', 'riscv64', 'arm'].find((c) =>
		new RegExp(`-${c}(-|$)`).test(tail),
	);
	if (!os || !cpu) return undefined;
	const entry = { os: [os], cpu: [cpu] };
	if (os === 'linux') entry.libc = [/musl/.test(tail) ? 'musl' : 'glibc'];
	return entry;
}

let added = 0;
for (const [loc, pkg] of Object.entries(packages)) {
	for (const [dep, version] of Object.entries(pkg.optionalDependencies ?? {})) {
		const base = loc ? `${loc}/node_modules/${dep}` : `node_modules/${dep}`;
		const hoisted = `node_modules/${dep}`;
		if (packages[base] || packages[hoisted]) continue;
		const platform = platformOf(dep);
		if (!platform) continue;
		if (platform.os[0] === process.platform && platform.cpu[0] === process.arch) continue;
		packages[hoisted] = { version, dev: pkg.dev || undefined, optional: true, ...platform };
		added++;
	}
}
const sorted = Object.fromEntries(
	Object.entries(packages).sort(([a], [b]) =>
		a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
	),
);
lock.packages = sorted;
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: ${added} platform-only optional dependencies stubbed`);
