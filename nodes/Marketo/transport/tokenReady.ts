/**
 * "A call to this Marketo instance is about to leave with a token": the credential's `authenticate`
 * reports it (n8n calls it after `preAuthentication` fetched and stored a token, or at once when the
 * credential already holds one). A batch run sends its first call alone only until then, so a
 * credential without a token fetches one token instead of one per parallel call, and the other
 * batches do not wait for the first call's whole answer (a full Marketo latency).
 */
const waiters = new Map<string, Set<() => void>>();

/** Resolves the next time a call to `instanceKey` is sent with a token; `cancel` stops listening. */
export function whenTokenReady(instanceKey: string): { ready: Promise<void>; cancel: () => void } {
	let resolve!: () => void;
	const ready = new Promise<void>((r) => (resolve = r));
	let set = waiters.get(instanceKey);
	if (!set) waiters.set(instanceKey, (set = new Set()));
	const entry = () => resolve();
	set.add(entry);
	const cancel = () => {
		const current = waiters.get(instanceKey);
		current?.delete(entry);
		if (current && current.size === 0) waiters.delete(instanceKey);
	};
	return { ready: ready.then(cancel), cancel };
}

/** Whether anything listens (so `authenticate` works out the instance only when it matters). */
export function tokenWaitersPending(): boolean {
	return waiters.size > 0;
}

/** Called by the credential's `authenticate` with the instance key (the REST URL, lower case). */
export function noteTokenReady(instanceKey: string): void {
	const set = waiters.get(instanceKey);
	if (!set) return;
	waiters.delete(instanceKey);
	for (const wake of set) wake();
}
