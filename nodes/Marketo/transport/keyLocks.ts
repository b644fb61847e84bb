/**
 * Upsert locks: two calls carrying the same key (instance + scope + key) never run at the same time in
 * this process, since Adobe warns that concurrent upserts on one key create duplicates. A call waits
 * until none of its keys is held, then takes them all at once (no hold-and-wait, so no deadlock).
 */
const keyLocks = new Map<string, Promise<void>>();

export async function lockKeys(keys: string[]): Promise<() => void> {
	// Wait until none of our keys is held, then take them all at once (no hold-and-wait, so no deadlock).
	for (;;) {
		const held = keys
			.map((k) => keyLocks.get(k))
			.filter((p): p is Promise<void> => p !== undefined);
		if (held.length === 0) break;
		await Promise.all(held);
	}
	let release!: () => void;
	const done = new Promise<void>((resolve) => (release = resolve));
	for (const k of keys) keyLocks.set(k, done);
	return () => {
		for (const k of keys) if (keyLocks.get(k) === done) keyLocks.delete(k);
		release();
	};
}
