/**
 * Coalesced writes: concurrent executions (a burst of Marketo Call Webhook deliveries, each its own
 * execution in the same n8n process) that write to the same place share one batch call instead of
 * one call each.
 *
 * Per key (credential + target), records arriving while a group is open join it. A group closes
 * after a short collection window AND once the previous group of the key has been answered (group
 * commit: while a call is in flight the next batch fills up, so a busy service gets fewer, bigger
 * calls and an idle one answers after the window alone). A group holds at most `maxRecords`;
 * arrivals beyond start the next group. Groups are sent in the order they opened (fair), each caller
 * gets back exactly the results of its own records (a refused record reaches only its caller), and
 * a failed call fails only the callers in that group.
 *
 * Module-level state is deliberate: it is what concurrent executions share. Waits use n8n's
 * `sleep`; nothing keeps running once the last group is answered.
 */
import { sleep } from 'n8n-workflow';

interface Waiter<R> {
	from: number;
	to: number;
	resolve: (results: R[]) => void;
	reject: (error: unknown) => void;
}

interface Group<T, R> {
	records: T[];
	waiters: Array<Waiter<R>>;
}

interface KeyState {
	open?: Group<unknown, unknown>;
	/** Settles when the newest group of the key has been answered. */
	tail: Promise<void>;
}

const keys = new Map<string, KeyState>();

export interface CoalesceOptions {
	/** How long the first record of a group waits for others (ms). */
	windowMs: number;
	/** Records per group at most (the service's batch limit). */
	maxRecords: number;
}

/** Calls made and records sent per key, for tests and the benchmark's reading of the node's work. */
export const coalesceStats = { groups: 0, records: 0 };

/**
 * Sends `records` together with those of concurrent callers under the same `key`. `send` gets
 * every record of the group, in arrival order, and must return one result per record in that
 * order; it runs in the context of the caller that opened the group.
 */
export async function coalesce<T, R>(
	key: string,
	records: T[],
	send: (all: T[]) => Promise<R[]>,
	options: CoalesceOptions,
): Promise<R[]> {
	if (records.length === 0) return [];
	let state = keys.get(key);
	if (!state) {
		state = { tail: Promise.resolve() };
		keys.set(key, state);
	}
	let group = state.open as Group<T, R> | undefined;
	const opened = !group || group.records.length + records.length > options.maxRecords;
	if (opened) {
		group = { records: [], waiters: [] };
		state.open = group as Group<unknown, unknown>;
	}
	const current = group as Group<T, R>;
	const from = current.records.length;
	for (const r of records) current.records.push(r);
	const result = new Promise<R[]>((resolve, reject) =>
		current.waiters.push({ from, to: current.records.length, resolve, reject }),
	);
	if (opened) {
		const previous = state.tail;
		const keyState = state;
		const done = (async () => {
			await sleep(options.windowMs);
			await previous;
			if (keyState.open === current) keyState.open = undefined;
			coalesceStats.groups++;
			coalesceStats.records += current.records.length;
			try {
				const results = await send(current.records);
				for (const w of current.waiters) w.resolve(results.slice(w.from, w.to));
			} catch (error) {
				for (const w of current.waiters) w.reject(error);
			}
		})();
		state.tail = done;
		void done.then(() => {
			if (keys.get(key) === keyState && keyState.tail === done && !keyState.open) keys.delete(key);
		});
	}
	return await result;
}
