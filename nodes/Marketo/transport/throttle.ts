import { sleep } from 'n8n-workflow';

// The day's budget (the credential's Daily Call Cap) beside the 20 s one, for request.ts.
export { checkDailyCap } from './dailyCap';

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
	/**
	 * Queue mode: the instance's budget as the credential states it and how many n8n processes share it;
	 * `callsPerWindow` / `maxConcurrent` are then this process's share (see settings.ts).
	 */
	share?: { processes: number; callsPerWindow: number; maxConcurrent: number };
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
	/** Adaptive slow-down after Marketo's 606/615 (1 = the full share; see noteRateLimited). */
	factor: number;
	lastRefusalAt: number;
	lastRecoveryAt: number;
	/** 606/615 answers received while this process kept to its share, most recent last. */
	refusals: number[];
	/** Set once the refusals say the credential's share setting does not match the deployment. */
	mismatch?: string;
	lastWarnedAt: number;
}

const instances = new Map<string, InstanceState>();

function stateFor(key: string): InstanceState {
	let state = instances.get(key);
	if (!state) {
		state = {
			starts: [],
			inFlight: 0,
			admission: Promise.resolve(),
			factor: 1,
			lastRefusalAt: 0,
			lastRecoveryAt: 0,
			refusals: [],
			lastWarnedAt: 0,
		};
		instances.set(key, state);
	}
	return state;
}

/** Waits until one more call fits the budget; returns the function that gives the slot back. */
export async function acquireCallSlot(key: string, budget: ThrottleBudget): Promise<() => void> {
	const state = stateFor(key);
	// A small margin for clock granularity.
	const windowMs = budget.windowMs * 1.02 + 5;
	recover(state, budget.windowMs);
	const calls = Math.max(1, Math.floor((budget.callsPerWindow || 1) * state.factor));
	const concurrent = Math.max(
		1,
		Math.floor((budget.maxConcurrent || 1) * Math.min(1, state.factor * 1.5)),
	);
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
export function throttleSnapshot(key: string): {
	inFlight: number;
	callsInWindow: number;
	factor: number;
} {
	const state = stateFor(key);
	return { inFlight: state.inFlight, callsInWindow: state.starts.length, factor: state.factor };
}

/** After a calm window (no 606/615), a slowed-down process takes back a quarter of its share. */
function recover(state: InstanceState, windowMs: number): void {
	if (state.factor >= 1) return;
	const now = Date.now();
	if (now - state.lastRefusalAt < windowMs || now - state.lastRecoveryAt < windowMs) return;
	state.factor = Math.min(1, state.factor + 0.25);
	state.lastRecoveryAt = now;
}

const MISMATCH_REFUSALS = 3;

/**
 * Marketo answered 606 (calls per 20 s) or 615 (concurrent calls) although this process keeps to its
 * share: someone else (more n8n processes than the credential declares, or another integration) uses
 * the instance. The process slows down (down to a quarter of its share, recovering after calm
 * windows). Returns a warning for the n8n log when the refusals say the credential's setting is
 * wrong (at most once per window), else undefined.
 */
export function noteRateLimited(
	key: string,
	code: string,
	budget: ThrottleBudget,
	warn?: (message: string) => void,
): string | undefined {
	if (code !== '606' && code !== '615') return undefined;
	const state = stateFor(key);
	const now = Date.now();
	state.factor = Math.max(0.25, state.factor * 0.7);
	state.lastRefusalAt = now;
	state.refusals = state.refusals.filter((t) => t > now - 2 * budget.windowMs);
	state.refusals.push(now);
	if (state.refusals.length < MISMATCH_REFUSALS) return undefined;
	state.mismatch = rateLimitAdvice(code, budget, state.refusals.length);
	if (now - state.lastWarnedAt < budget.windowMs) return undefined;
	state.lastWarnedAt = now;
	warn?.(`Marketo: ${state.mismatch}`);
	return state.mismatch;
}

/** What to change when Marketo keeps refusing calls this process made within its share. */
export function rateLimitAdvice(code: string, budget: ThrottleBudget, refusals: number): string {
	const share = budget.share;
	const processes = share?.processes ?? 1;
	const declared = share
		? `${share.callsPerWindow} calls per 20 s and ${share.maxConcurrent} concurrent calls shared by ${processes} n8n process${processes === 1 ? '' : 'es'} (${budget.callsPerWindow} and ${budget.maxConcurrent} for this one)`
		: `${budget.callsPerWindow} calls per 20 s and ${budget.maxConcurrent} concurrent calls for this process`;
	return (
		`Marketo refused ${refusals} calls with ${code} (${code === '606' ? 'calls per 20 s' : 'concurrent calls'}) within two 20 s windows although this n8n process kept to its share: ${declared}. ` +
		`More processes or other integrations use this Marketo instance than the Marketo API credential says. In queue mode set "Processes Sharing This Instance" to the number of n8n processes that run Marketo nodes (every worker, plus the main process if it runs executions), or lower "Calls per 20 Seconds" to what other integrations leave`
	);
}

/**
 * When a call gave up on 606/615 and the refusals said the declared share is wrong: the advice as the
 * error's description, and a few words of it at the end of its message (batch results keep only that).
 */
export function explainRefusals(
	error: { message: string; description?: string | null },
	key: string,
	code: string | undefined,
	budget: ThrottleBudget,
): void {
	const mismatch = code === '606' || code === '615' ? instances.get(key)?.mismatch : undefined;
	if (!mismatch) return;
	error.description = mismatch;
	error.message += `; the instance is busier than the Marketo API credential says (Processes Sharing This Instance: ${budget.share?.processes ?? 1})`;
}
