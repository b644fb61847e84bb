/**
 * SpotMe's pace and retry rule, for every call to SpotMe (the node's requests and the credential's
 * GET /me alike).
 *
 * SpotMe allows 3 requests/s with bursts of 5 per token and answers 429 above that, so every request
 * of the node takes a token from a local bucket (rate and burst from the credential), and all
 * requests for one credential + host are sent one after another, never in parallel. 429 (and
 * 502/503/504) are retried with back-off, honouring `Retry-After` (seconds or HTTP date).
 */
import { sleep } from 'n8n-workflow';

import { parseRetryAfter } from '../../shared/credentialChecks';
import type { SpotMeSettings } from './settings';

/** 429 and gateway errors are worth waiting for, a few times. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
export const MAX_RETRIES = 8;

export function isRetryableStatus(status: number): boolean {
	return RETRYABLE_STATUS.has(status);
}

export interface Lane {
	tokens: number;
	updatedAt: number;
	tail: Promise<void>;
	/** Slow-down after 429s (1 = the full pace; see emptyBucket), and when the last 429 came. */
	factor?: number;
	lastBusyAt?: number;
	/** 429s in the last 10 s while this process kept its pace: another user of the token. */
	busy?: number[];
}

/** One lane per credential + host: SpotMe counts requests per Authorization header. */
const lanes = new Map<string, Lane>();

export function laneFor(settings: SpotMeSettings): Lane {
	let lane = lanes.get(settings.laneKey);
	if (!lane) {
		lane = { tokens: settings.burst, updatedAt: Date.now(), tail: Promise.resolve() };
		lanes.set(settings.laneKey, lane);
	}
	return lane;
}

/** Waits until the local token bucket allows one more request. */
export async function takeToken(lane: Lane, settings: SpotMeSettings): Promise<void> {
	for (;;) {
		const now = Date.now();
		// Ten calm seconds after a 429: back to the full pace, a quarter at a time.
		if ((lane.factor ?? 1) < 1 && now - (lane.lastBusyAt ?? 0) > 10_000) {
			lane.factor = Math.min(1, (lane.factor ?? 1) + 0.25);
			lane.lastBusyAt = now;
		}
		const rate = settings.requestsPerSecond * (lane.factor ?? 1);
		lane.tokens = Math.min(settings.burst, lane.tokens + ((now - lane.updatedAt) / 1000) * rate);
		lane.updatedAt = now;
		if (lane.tokens >= 1) {
			lane.tokens -= 1;
			return;
		}
		await sleep(Math.max(1, Math.ceil(((1 - lane.tokens) / rate) * 1000)));
	}
}

/**
 * After a 429 the bucket is empty whatever it counted: SpotMe saw more than we did, so someone else
 * (another n8n process, another tool) uses the token too. The lane slows down (to a quarter of its pace
 * at most); with `settings`, returns a warning for n8n's log when 429s keep coming (3 in 10 s), naming
 * the credential's "Processes Sharing This Token".
 */
export function emptyBucket(lane: Lane, settings?: SpotMeSettings): string | undefined {
	const now = Date.now();
	lane.tokens = 0;
	lane.updatedAt = now;
	lane.factor = Math.max(0.25, (lane.factor ?? 1) * 0.7);
	lane.lastBusyAt = now;
	lane.busy = [...(lane.busy ?? []).filter((t) => t > now - 10_000), now];
	if (!settings || lane.busy.length < 3) return undefined;
	lane.busy = [];
	return `SpotMe answered 429 three times within 10 s although this n8n process kept to ${settings.requestsPerSecond.toFixed(2)} requests/s (the credential's pace shared by ${settings.processes} process${settings.processes === 1 ? '' : 'es'}): more n8n processes or other tools use this SpotMe token than the SpotMe API credential says. In queue mode set "Processes Sharing This Token" to the number of n8n processes that run SpotMe nodes, or lower "Requests per Second"`;
}

/** Runs `fn` after every earlier request of the lane has finished: never two in flight. */
export function inSequence<T>(lane: Lane, fn: () => Promise<T>): Promise<T> {
	const run = lane.tail.then(fn, fn);
	lane.tail = run.then(
		() => undefined,
		() => undefined,
	);
	return run;
}

export interface SpotMeAnswer {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

/**
 * Sends with `send` until SpotMe answers something other than 429/502/503/504, at most
 * MAX_RETRIES + 1 times; returns the last answer (still a 429 after every retry is for the caller
 * to report). Between attempts it waits as SpotMe told (Retry-After), else backs off exponentially
 * from the credential's pace, 1 ms to 60 s; `onBusy` runs before each wait.
 */
export async function retryWhileBusy<T extends SpotMeAnswer>(
	requestsPerSecond: number,
	send: () => Promise<T>,
	onBusy?: () => void,
): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		const answer = await send();
		if (!isRetryableStatus(answer.statusCode) || attempt >= MAX_RETRIES) return answer;
		// 429: SpotMe's 3/s (burst 5) limit per token, maybe shared with another tool; or a gateway hiccup.
		onBusy?.();
		const told = parseRetryAfter(answer.headers?.['retry-after']);
		const backoff = Math.ceil((1000 / requestsPerSecond) * 2 ** attempt);
		await sleep(Math.max(1, Math.min(told ?? backoff, 60_000)));
	}
}
