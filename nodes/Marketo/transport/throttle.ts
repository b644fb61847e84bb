import { sleep } from 'n8n-workflow';

/**
 * The process-wide API budget per Marketo instance.
 *
 * Marketo counts 100 calls per sliding 20 s and 10 concurrent calls per *instance*, shared by every
 * integration (exceeding them gives 606 / 615). n8n may run many Marketo nodes and executions at once in
 * one process, so the budget lives in module state keyed by the REST endpoint: every node, trigger and
 * execution that talks to the same instance draws from the same window. The credential sets the budget
 * (`callsPer20Seconds`, `maxConcurrentCalls`).
 */

export interface ThrottleBudget {
	callsPerWindow: number;
	maxConcurrent: number;
	windowMs: number;
}

interface InstanceState {
	/**
	 * Calls in the current sliding window, oldest first: a call counts from when it leaves until
	 * `windowMs` after its answer came back. Marketo counts a call when it arrives, which is somewhere in
	 * between (and the token fetch n8n may do first delays the arrival), so this never undercounts.
	 */
	starts: Array<{ t: number }>;
	inFlight: number;
	/** Admission is one caller at a time, in arrival order (FIFO): the tail of that queue. */
	admission: Promise<void>;
	/** The caller at the head of the queue waiting for a running call to end, if any. */
	onSlotFreed?: () => void;
}

const instances = new Map<string, InstanceState>();

function stateFor(key: string): InstanceState {
	let state = instances.get(key);
	if (!state) {
		state = { starts: [], inFlight: 0, admission: Promise.resolve() };
		instances.set(key, state);
	}
	return state;
}

/** Waits until one more call fits the budget; returns the function that gives the slot back. */
export async function acquireCallSlot(key: string, budget: ThrottleBudget): Promise<() => void> {
	const state = stateFor(key);
	const calls = Math.max(1, Math.floor(budget.callsPerWindow || 1));
	const concurrent = Math.max(1, Math.floor(budget.maxConcurrent || 1));
	// A small margin for clock granularity.
	const windowMs = budget.windowMs * 1.02 + 5;
	const slot = { t: 0 };

	const previous = state.admission;
	let admitted!: () => void;
	state.admission = new Promise<void>((resolve) => (admitted = resolve));
	await previous;
	try {
		for (;;) {
			const now = Date.now();
			while (state.starts.length && state.starts[0].t <= now - windowMs) state.starts.shift();
			if (state.inFlight >= concurrent) {
				await new Promise<void>((resolve) => (state.onSlotFreed = resolve));
				continue;
			}
			if (state.starts.length >= calls && state.starts[0].t === Number.POSITIVE_INFINITY) {
				// The whole window is taken by calls still running: wait for one to end.
				await new Promise<void>((resolve) => (state.onSlotFreed = resolve));
				continue;
			}
			if (state.starts.length >= calls) {
				await sleep(Math.max(1, state.starts[0].t + windowMs - now));
				continue;
			}
			// Until it ends, a call in flight stays in the window (Infinity sorts last; it is not pruned).
			slot.t = Number.POSITIVE_INFINITY;
			state.starts.push(slot);
			state.inFlight++;
			break;
		}
	} finally {
		admitted();
	}

	let released = false;
	return () => {
		if (released) return;
		released = true;
		slot.t = Date.now();
		state.starts.sort((a, b) => a.t - b.t);
		state.inFlight--;
		const wake = state.onSlotFreed;
		state.onSlotFreed = undefined;
		wake?.();
	};
}

/** For tests and diagnostics: what the throttle currently holds for an instance. */
export function throttleSnapshot(key: string): { inFlight: number; callsInWindow: number } {
	const state = stateFor(key);
	return { inFlight: state.inFlight, callsInWindow: state.starts.length };
}
