/**
 * The credential's daily call cap: a share of the instance's 50 000 calls a day for this package,
 * so n8n (every worker of a queue-mode deployment alike) stops before it starves the other
 * integrations of the instance.
 *
 * What the day has spent comes from Marketo's usage report (`GET /rest/v1/stats/usage.json`: today's
 * calls per API user and in all), read once per process and then again only after `REREAD_CALLS`
 * calls of this process or `REREAD_WINDOWS` rate windows (about a minute), so the guard costs about one
 * call in a hundred. Between readings this process adds its own calls to the last reading; the calls
 * of other processes appear at their next reading, so a deployment may overshoot the cap by what its
 * other processes send in that time.
 */
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

/** What the cap needs of MarketoSettings (settings.ts; not imported, as throttle.ts re-exports this file). */
interface CapSettings {
	instanceKey: string;
	dailyCap: { calls: number; apiUser: string };
	timing: { windowMs: number };
}

const REREAD_CALLS = 100;
const REREAD_WINDOWS = 3;

interface Reading {
	day: string;
	spent: number;
	readAt: number;
	/** Calls this process made since the reading. */
	since: number;
	pending?: Promise<void>;
}

const readings = new Map<string, Reading>();

/** marketoApiRequest, passed in (request.ts imports this file). */
type UsageRequest = (
	this: never,
	method: 'GET',
	path: string,
	options: Record<string, never>,
	settings: never,
) => Promise<unknown>;

export const USAGE_PATH = '/v1/stats/usage.json';

/** Today's calls from a usage report: one API user's (by email, case-insensitive) or the instance's. */
export function spentToday(
	report: { result?: IDataObject[] },
	apiUser: string,
): { day: string; spent: number } {
	const today = (Array.isArray(report.result) ? report.result : [])[0] ?? {};
	const users = Array.isArray(today.users) ? (today.users as IDataObject[]) : [];
	const spent = apiUser
		? Number(
				users.find((u) => String(u.userId ?? '').toLowerCase() === apiUser.toLowerCase())?.count ??
					0,
			)
		: Number(today.total ?? users.reduce((sum, u) => sum + Number(u.count ?? 0), 0));
	return { day: String(today.date ?? ''), spent: Number.isFinite(spent) ? spent : 0 };
}

/**
 * Throws (a NodeOperationError, which the batch rule treats as fatal: every unsent record says so)
 * when the day's calls have reached the credential's cap; counts this call otherwise. `request` is
 * marketoApiRequest, for the usage report (itself not guarded); `path` the call's.
 */
export async function checkDailyCap(
	this: { getNode(): INode },
	settings: CapSettings,
	request: UsageRequest,
	path: string,
	itemIndex?: number,
): Promise<void> {
	const cap = settings.dailyCap.calls;
	if (!cap || path === USAGE_PATH) return;
	// Called as the transport calls itself: with this node's context (`this`).
	const readUsage = async () =>
		(await Reflect.apply(request, this, ['GET', USAGE_PATH, {}, settings])) as {
			result?: IDataObject[];
		};
	const key = `${settings.instanceKey}|${settings.dailyCap.apiUser.toLowerCase()}`;
	let reading = readings.get(key);
	const stale = (r: Reading | undefined) =>
		!r ||
		r.since >= REREAD_CALLS ||
		Date.now() - r.readAt > REREAD_WINDOWS * settings.timing.windowMs ||
		// Near the cap by our own count: read again before stopping (others' calls may have ended a day).
		(r.spent + r.since >= cap && Date.now() - r.readAt > settings.timing.windowMs / 20);
	if (stale(reading)) {
		if (!reading?.pending) {
			const pending = readUsage().then((report) => {
				const { day, spent } = spentToday(report, settings.dailyCap.apiUser);
				readings.set(key, { day, spent, readAt: Date.now(), since: 0 });
			});
			if (reading) reading.pending = pending;
			else readings.set(key, { day: '', spent: 0, readAt: 0, since: 0, pending });
			try {
				await pending;
			} finally {
				const r = readings.get(key);
				if (r?.pending === pending) r.pending = undefined;
			}
		} else {
			await reading.pending;
		}
		reading = readings.get(key);
	}
	if (!reading) return;
	const spent = reading.spent + reading.since;
	if (spent >= cap) {
		const who = settings.dailyCap.apiUser
			? `The API user ${settings.dailyCap.apiUser} has`
			: 'This Marketo instance has';
		throw new NodeOperationError(
			this.getNode(),
			`Daily call cap reached: ${who} made ${spent} API calls today (${reading.day || 'Marketo day'}), the Marketo API credential's Daily Call Cap is ${cap}`,
			{
				description:
					"The Marketo nodes stop here so the instance's other integrations keep their part of Marketo's daily quota. Raise Daily Call Cap in the Marketo API credential, or run again after Marketo's day restarts (midnight US Central time)",
				itemIndex,
			},
		);
	}
	reading.since++;
}

/** For tests: forget every reading. */
export function resetDailyCapReadings(): void {
	readings.clear();
}
