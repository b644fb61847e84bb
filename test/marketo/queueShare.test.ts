/**
 * Queue mode (issue 10) through n8n's engine: each n8n process takes the share of the instance's
 * budget the credential declares, slows down on 606/615 and says so when the declared share and
 * Marketo's answers disagree; the credential's Daily Call Cap stops the nodes, reading Marketo's
 * usage report about once per hundred calls. (The real multi-process proof: test/n8n/queueMode.test.ts.)
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { settingsFromCredentials } from '../../nodes/Marketo/transport';
import { acquireCallSlot, throttleSnapshot } from '../../nodes/Marketo/transport/throttle';
import { callsTo, credentialData, credentialsFor, runMarketo, startEmulator } from './setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

const upsert = LEAD_UPSERT_BY_EMAIL;
const people = (n: number, tag = 'p') =>
	Array.from({ length: n }, (_, i) => ({ email: `${tag}${i}@example.com`, firstName: `P${i}` }));
const today = () => new Date().toISOString().slice(0, 10);
const API_USER = 'apiuser@emulator.marketo';

describe('Marketo queue mode: one budget across processes', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => (emu = await startEmulator()));
	afterEach(async () => await emu.stop());

	const node = { getNode: () => ({ name: 'Marketo' }) } as never;

	it("each process takes its declared share of the instance's calls per 20 s and concurrency", () => {
		const one = settingsFromCredentials.call(node, credentialData(emu));
		expect(one.budget).toMatchObject({ callsPerWindow: 100, maxConcurrent: 10 });
		const four = settingsFromCredentials.call(node, credentialData(emu, { sharingProcesses: 4 }));
		expect(four.budget).toMatchObject({
			callsPerWindow: 25,
			maxConcurrent: 2,
			share: { processes: 4, callsPerWindow: 100, maxConcurrent: 10 },
		});
		const three = settingsFromCredentials.call(
			node,
			credentialData(emu, { sharingProcesses: 3, callsPer20Seconds: 50, maxConcurrentCalls: 10 }),
		);
		expect(three.budget).toMatchObject({ callsPerWindow: 16, maxConcurrent: 3 });
	});

	it('a process sends at most its share in any window', async () => {
		const s = settingsFromCredentials.call(
			node,
			credentialData(emu, { sharingProcesses: 4, callsPer20Seconds: 40 }),
		);
		const starts: number[] = [];
		await Promise.all(
			Array.from({ length: 25 }, async () => {
				const release = await acquireCallSlot(`${s.instanceKey}#share`, s.budget);
				starts.push(Date.now());
				release();
			}),
		);
		starts.sort((a, b) => a - b);
		const busiest = Math.max(
			...starts.map((t) => starts.filter((u) => u >= t && u < t + s.budget.windowMs).length),
		);
		expect(busiest).toBeLessThanOrEqual(10);
	});

	it("Marketo's 606 slows the process down and, when it persists, the error says the declared share is wrong", async () => {
		emu.setFaults({ script: [{ fault: '606', path: '/leads.json', times: 50 }] });
		const creds = credentialsFor(emu, { sharingProcesses: 2 });
		const run = await runMarketo(emu, upsert, people(3), { creds });
		// Batch results keep the message: it ends with the hint.
		expect(run.error?.message).toMatch(
			/Marketo kept failing POST \/v1\/leads.json after 8 attempts .*606.*the instance is busier than the Marketo API credential says \(Processes Sharing This Instance: 2\)/,
		);
		// A single call's error carries the whole advice as its description.
		emu.setFaults({ script: [{ fault: '606', path: '/stats/usage', times: 50 }] });
		const usage = await runMarketo(emu, { resource: 'usage', operation: 'getToday' }, [{}], {
			creds,
		});
		expect(usage.error?.description).toMatch(
			/kept to its share: 100 calls per 20 s and 10 concurrent calls shared by 2 n8n processes \(50 and 5 for this one\).*set "Processes Sharing This Instance" to the number of n8n processes/,
		);
		const key = settingsFromCredentials.call(node, credentialData(emu)).instanceKey;
		expect(throttleSnapshot(key).factor).toBeLessThan(1);
	});
});

describe('Marketo daily call cap', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => (emu = await startEmulator()));
	afterEach(async () => await emu.stop());

	it("stops the node with an error naming the cap once the day's calls reach it; unsent records say why", async () => {
		emu.state.usage.set(today(), new Map([[API_USER, 47]]));
		const creds = credentialsFor(emu, { dailyCallCap: 50 });
		const hard = await runMarketo(emu, upsert, people(1200), { creds });
		expect(hard.error?.message).toMatch(
			/Daily call cap reached: This Marketo instance has made 5\d API calls today .*Daily Call Cap is 50/,
		);
		const soft = await runMarketo(emu, upsert, people(600, 'q'), { creds, continueOnFail: true });
		expect(soft.error).toBeUndefined();
		expect(soft.json).toHaveLength(600);
		expect(soft.json.every((j) => /Daily call cap reached.*Cap is 50/.test(String(j.error)))).toBe(
			true,
		);
		expect(soft.paired).toEqual(Array.from({ length: 600 }, (_, i) => i));
		expect(callsTo(emu, '/rest/v1/leads.json')).toBeLessThanOrEqual(2);
	});

	it("counts one API user's calls when the credential names it, and reads the usage report about once per hundred calls", async () => {
		emu.state.usage.set(today(), new Map([['other-integration@example.com', 49000]]));
		const creds = credentialsFor(emu, { dailyCallCap: 1000, dailyCapApiUser: API_USER });
		const run = await runMarketo(emu, upsert, people(3000), { creds });
		expect(run.error).toBeUndefined();
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(10);
		expect(callsTo(emu, '/rest/v1/stats/usage.json')).toBe(1);
		// Counted against the instance instead, 49 000 spent is over a cap of 40 000.
		const instance = await runMarketo(emu, upsert, people(3), {
			creds: credentialsFor(emu, { dailyCallCap: 40000 }),
		});
		expect(instance.error?.message).toMatch(/This Marketo instance has made 490\d\d API calls/);
	});
});

describe('Marketo lead upsert: no lead held twice across processes', () => {
	let emu: MarketoEmulator;
	// Marketo's race needs time between a call's lookup and its write: 300 ms per call.
	beforeEach(async () => (emu = await startEmulator({ latencyMs: 300 })));
	afterEach(async () => await emu.stop());

	/** Another n8n process (its own locks, unseen here) upserting the same people at the same time. */
	async function otherProcessToken(): Promise<{ access_token: string }> {
		return (await (
			await fetch(
				`${emu.identityUrl}/oauth/token?grant_type=client_credentials&client_id=${emu.clientId}&client_secret=${emu.clientSecret}`,
			)
		).json()) as { access_token: string };
	}

	async function otherProcessUpserts(
		emails: string[],
		token?: { access_token: string },
	): Promise<number[]> {
		token ??= await otherProcessToken();
		const r = await fetch(`${emu.restUrl}/v1/leads.json`, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${token.access_token}`,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({
				action: 'createOrUpdate',
				lookupField: 'email',
				input: emails.map((email) => ({ email })),
			}),
		});
		const body = (await r.json()) as { result: Array<{ id: number }> };
		return body.result.map((x) => x.id);
	}

	const leadsPerEmail = () => {
		const counts = new Map<string, number>();
		for (const lead of emu.state.leads.values()) {
			const email = String(lead.email).toLowerCase();
			counts.set(email, (counts.get(email) ?? 0) + 1);
		}
		return counts;
	};

	/**
	 * 300 people each held 4 times (seeded, ids 1000 + i * 4 + copy), upserted by a process whose
	 * credential declares `processes`; the run ends with every email held once.
	 */
	async function repairSeededFourTimes(prefix: string, processes: number) {
		const leads = [];
		for (let i = 0; i < 300; i++)
			for (let copy = 0; copy < 4; copy++)
				leads.push({ id: 1000 + i * 4 + copy, email: `${prefix}${i}@example.com` });
		emu.seed({ leads });
		// No race to reproduce here (the duplicates are seeded): calls answer at once.
		emu.setFaults({ latencyMs: 0 });
		emu.clearLog();
		const creds = credentialsFor(emu, { sharingProcesses: processes });
		const run = await runMarketo(emu, upsert, people(300, prefix), { creds });
		expect(run.error).toBeUndefined();
		expect([...leadsPerEmail().values()].every((n) => n === 1)).toBe(true);
		return run;
	}

	it('two overlapping upserts of the same new people leave one lead each: the duplicates are merged into the oldest and reported', async () => {
		// Sync Leads holds 1.5 s between its lookup and its write, other calls answer in 20 ms: the other
		// process's write (sent first, its token fetched beforehand) lands while this one's is held, on
		// a busy machine too.
		await emu.stop();
		emu = await startEmulator({ latencyMs: 20, upsertHoldMs: 1500 });
		const batch = people(50, 'race');
		const other = otherProcessUpserts(
			batch.map((p) => p.email),
			await otherProcessToken(),
		);
		await new Promise((r) => setTimeout(r, 100));
		const creds = credentialsFor(emu, { sharingProcesses: 2 });
		const run = await runMarketo(emu, upsert, batch, { creds });
		const otherIds = await other;
		expect(run.error).toBeUndefined();
		expect([...leadsPerEmail().values()].every((n) => n === 1)).toBe(true);
		expect(leadsPerEmail().size).toBe(50);
		expect(run.json.map((j) => j.id)).toEqual(otherIds);
		expect(
			run.json.every(
				(j) =>
					Array.isArray(j.mergedDuplicates) &&
					j.mergedDuplicates.length === 1 &&
					j.mergedBy === 'this execution',
			),
		).toBe(true);
		expect(callsTo(emu, '/rest/v1/leads/' + otherIds[0] + '/merge.json')).toBe(1);
	});

	it('a key found held twice whose merge Marketo refuses is reported on its item with both ids', async () => {
		await emu.stop();
		emu = await startEmulator({ latencyMs: 20, upsertHoldMs: 1500 });
		emu.setFaults({ script: [{ fault: '603', path: '/merge.json', times: 100 }] });
		const batch = people(5, 'nomerge');
		const other = otherProcessUpserts(
			batch.map((p) => p.email),
			await otherProcessToken(),
		);
		await new Promise((r) => setTimeout(r, 100));
		const creds = credentialsFor(emu, { sharingProcesses: 2 });
		const run = await runMarketo(emu, upsert, batch, { creds });
		const otherIds = await other;
		expect(run.error).toBeUndefined();
		expect(run.json).toHaveLength(5);
		run.json.forEach((j, i) => {
			expect(j.email).toBe(batch[i].email);
			const ids = [...emu.state.leads.values()]
				.filter((l) => l.email === batch[i].email)
				.map((l) => Number(l.id))
				.sort((a, b) => a - b);
			expect(ids).toHaveLength(2);
			expect(ids).toContain(otherIds[i]);
			expect(j.duplicateIds).toEqual(ids);
			expect(String(j.duplicateCheck)).toContain(`ids ${ids.join(', ')}`);
		});
	});

	it('a write Marketo skipped with 1007 because another process left the key held twice is merged and sent once more', async () => {
		emu.seed({
			leads: [
				{ id: 7, email: 'twice@example.com', firstName: 'First' },
				{ id: 8, email: 'twice@example.com', lastName: 'Second' },
			],
		});
		const creds = credentialsFor(emu, { sharingProcesses: 2 });
		const run = await runMarketo(emu, upsert, [{ email: 'twice@example.com', firstName: 'Ada' }], {
			creds,
		});
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([
			{
				id: 7,
				status: 'updated',
				email: 'twice@example.com',
				mergedDuplicates: [8],
				mergedBy: 'this execution',
			},
		]);
		expect([...emu.state.leads.values()].map((l) => [l.id, l.firstName, l.lastName])).toEqual([
			[7, 'Ada', 'Second'],
		]);
	});

	it('a merge another process wins part of twice in a row (1004 each time, as with 4 workers racing) is looked up again and merged on a later round, not reported as failed', async () => {
		emu.seed({
			leads: [
				{ id: 7, email: 'thrice@example.com', firstName: 'First' },
				{ id: 8, email: 'thrice@example.com' },
				{ id: 9, email: 'thrice@example.com', lastName: 'Third' },
			],
		});
		emu.setFaults({ script: [{ fault: '1004', path: '/merge.json', times: 2 }] });
		const creds = credentialsFor(emu, { sharingProcesses: 4 });
		const run = await runMarketo(emu, upsert, [{ email: 'thrice@example.com', firstName: 'Ada' }], {
			creds,
		});
		expect(run.error).toBeUndefined();
		expect(run.json).toEqual([
			{
				id: 7,
				status: 'updated',
				email: 'thrice@example.com',
				mergedDuplicates: [8, 9],
				mergedBy: 'this execution',
			},
		]);
		expect([...emu.state.leads.values()].map((l) => l.id)).toEqual([7]);
		expect(callsTo(emu, '/rest/v1/leads/7/merge.json')).toBe(3);
	});

	it('4 processes left 300 new people held 4 times each: looked up 200 keys per call (never over the 1 000 leads a lookup may match), merged with one call per person, every record written once more and reporting its repair', async () => {
		const run = await repairSeededFourTimes('four', 4);
		expect(leadsPerEmail().size).toBe(300);
		expect(run.json).toEqual(
			people(300, 'four').map((p, i) => ({
				id: 1000 + i * 4,
				status: 'updated',
				email: p.email,
				mergedDuplicates: [1001 + i * 4, 1002 + i * 4, 1003 + i * 4],
				mergedBy: 'this execution',
			})),
		);
		const log = emu.requestLog();
		// no lookup refused (1003 for over 1 000 matches)
		expect(log.filter((e) => e.code === '1003')).toEqual([]);
		expect(log.filter((e) => e.path.endsWith('/merge.json'))).toHaveLength(300);
		// one skipped write (1007 for all 300), 2 lookups of 200 + 100 keys (800 + 400 leads: 3 + 2
		// pages), a fresh look before each further 50 merges (3 in the first chunk, 1 in the second),
		// 300 merges, one write again
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(1 + 5 + 4 + 1);
		expect(emu.state.leads.get(1000)).toEqual(expect.objectContaining({ firstName: 'P0' }));
	});

	it('a lookup Marketo refuses for matching over 1 000 leads (1003) is halved: more processes than the credential declares still end merged', async () => {
		// 2 declared: 300 keys per lookup, 1 200 leads match, refused; 150 + 150 keys then.
		const run = await repairSeededFourTimes('more', 2);
		expect(run.json.every((j) => j.status === 'updated' && j.mergedBy === 'this execution')).toBe(
			true,
		);
		expect(emu.requestLog().filter((e) => e.code === '1003')).toHaveLength(1);
	});

	it('costs one lookup per 300 created leads, nothing for a run that only updates, nothing for a single process', async () => {
		const creds = credentialsFor(emu, { sharingProcesses: 2 });
		await runMarketo(emu, upsert, people(400, 'n'), { creds });
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(2 + 2);
		emu.clearLog();
		const again = await runMarketo(emu, upsert, people(400, 'n'), { creds });
		expect(
			again.json.every((j) => j.status === 'updated' && j.mergedDuplicates === undefined),
		).toBe(true);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(2);
		emu.clearLog();
		await runMarketo(emu, upsert, people(400, 'single'));
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(2);
	});
});
