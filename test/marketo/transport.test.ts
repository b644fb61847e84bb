/**
 * The transport (nodes/Marketo/transport) through the Marketo node and n8n's engine: token refresh on
 * 601/602, retries and their bounds, fail-fast codes, the process-wide throttle, and the upsert lock.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import {
	callsTo,
	credentialsFor,
	everything,
	leadsByEmail,
	runMarketo,
	startEmulator,
	tokenCalls,
} from './setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

const upsert = LEAD_UPSERT_BY_EMAIL;
const leads = (n: number, prefix = 't') =>
	Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.com` }));
const getMany = (values: string) => ({
	resource: 'lead',
	operation: 'getAll',
	filterType: 'email',
	filterValues: values,
	returnAll: true,
});

describe('Marketo transport: tokens', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => (emu = await startEmulator()));
	afterEach(async () => await emu.stop());

	it('reuses the stored token across executions and refreshes it through n8n on 602, persisting the new one', async () => {
		const creds = credentialsFor(emu);
		await runMarketo(emu, upsert, leads(1), { creds });
		const stored = () =>
			creds.credentialsHelper.store.get(creds.credentials.marketoApi.id!)!.data.accessToken;
		const first = stored();
		expect(first).toBeTruthy();
		await runMarketo(emu, upsert, leads(1, 'u'), { creds });
		expect(tokenCalls(emu).length).toBe(1);

		emu.expireAllTokens();
		const run = await runMarketo(emu, upsert, leads(1, 'v'), { creds });
		expect(run.error).toBeUndefined();
		expect(run.json[0].status).toBe('created');
		expect(tokenCalls(emu).length).toBe(2);
		expect(creds.credentialsHelper.preAuthenticationCalls.get('marketoApi')).toBe(2);
		expect(stored()).not.toBe(first);
		expect(emu.requestLog().filter((e) => e.code === '602')).toHaveLength(1);
		// The next execution uses the persisted token without fetching another one.
		await runMarketo(emu, upsert, leads(1, 'w'), { creds });
		expect(tokenCalls(emu).length).toBe(2);
	});

	it('a 601 (token invalid) is also refreshed once and the call repeated', async () => {
		emu.setFaults({ script: [{ fault: '601', path: '/rest/v1/leads.json', times: 1 }] });
		const run = await runMarketo(emu, upsert, leads(3));
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.status)).toEqual(['created', 'created', 'created']);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(2);
		expect(emu.state.leads.size).toBe(3);
	});

	it("a node run with a wrong secret or a pasted Munchkin ID fails with the credential's plain message and sends no REST call", async () => {
		const wrong = await runMarketo(emu, upsert, leads(2), {
			creds: credentialsFor(emu, { clientSecret: 'wrong-secret-123' }),
		});
		expect(wrong.error?.message).toMatch(/^Marketo rejected the Client ID or Client Secret/);
		expect(everything(wrong)).not.toContain('wrong-secret-123');
		const munchkin = await runMarketo(emu, upsert, leads(2), {
			creds: credentialsFor(emu, { restEndpoint: '123-ABC-456' }),
		});
		expect(munchkin.error?.message).toMatch(/is a Munchkin ID/);
		const soft = await runMarketo(emu, upsert, leads(2), {
			creds: credentialsFor(emu, { clientSecret: 'wrong-secret-123' }),
			continueOnFail: true,
		});
		expect(soft.error?.message ?? String(soft.json[0]?.error)).toMatch(/Client Secret/);
		// With Continue on Fail every item says why, instead of passing through unchanged.
		const softMunchkin = await runMarketo(emu, upsert, leads(2), {
			creds: credentialsFor(emu, { restEndpoint: '123-ABC-456' }),
			continueOnFail: true,
		});
		expect(softMunchkin.error).toBeUndefined();
		expect(softMunchkin.paired).toEqual([0, 1]);
		for (const json of softMunchkin.json) expect(String(json.error)).toMatch(/is a Munchkin ID/);
		expect(emu.requestLog().filter((e) => e.path.startsWith('/rest'))).toHaveLength(0);
	});

	it('no token or secret appears in an output item or an error', async () => {
		const creds = credentialsFor(emu);
		await runMarketo(emu, upsert, leads(1), { creds });
		const token = String(
			creds.credentialsHelper.store.get(creds.credentials.marketoApi.id!)!.data.accessToken,
		);
		emu.setFaults({ script: [{ fault: '611', times: 10 }] });
		const failed = await runMarketo(emu, upsert, leads(2, 'z'), { creds });
		const failedSoft = await runMarketo(emu, upsert, leads(2, 'z'), {
			creds,
			continueOnFail: true,
		});
		emu.setFaults({ script: [{ fault: 'http5xx', times: 10 }] });
		const http = await runMarketo(emu, getMany('a@example.com'), [{}], { creds });
		for (const run of [failed, failedSoft, http]) {
			const text = everything(run);
			expect(text).not.toContain(token);
			expect(text).not.toContain(emu.clientSecret);
		}
		expect(failed.error?.message).toMatch(/kept failing/);
	});
});

describe('Marketo transport: retries', () => {
	let emu: MarketoEmulator;
	afterEach(async () => await emu.stop());

	it('HTTP 5xx, 604 and dropped connections are retried until the call goes through, writing each record once', async () => {
		emu = await startEmulator({
			faults: {
				script: [
					{ fault: 'http5xx', path: '/rest/v1/leads.json' },
					{ fault: '604', path: '/rest/v1/leads.json' },
					{ fault: 'timeout', path: '/rest/v1/leads.json' },
					{ fault: '608', path: '/rest/v1/leads.json' },
					{ fault: '713', path: '/rest/v1/leads.json' },
				],
				timeoutMs: 50,
			},
		});
		const run = await runMarketo(emu, upsert, leads(5));
		expect(run.error).toBeUndefined();
		expect(run.json.map((j) => j.status)).toEqual(Array(5).fill('created'));
		// The write's 5xx leaves its outcome unknown: a lookup (retried through 604, the time-out, 608
		// and 713) finds nothing written, and only then are the records sent again.
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(7);
		expect([...leadsByEmail(emu).values()].every((l) => l.length === 1)).toBe(true);
	});

	it('retries are bounded: a call answered 606 every time fails with a plain message after 8 attempts', async () => {
		emu = await startEmulator({ faults: { error606: 1 } });
		const run = await runMarketo(emu, getMany('a@example.com'));
		expect(run.error?.message).toMatch(
			/Marketo kept failing GET \/v1\/leads\.json after 8 attempts \(last: 606/,
		);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(8);
	});

	it('607 (daily quota) fails at once, without retries, with a plain message', async () => {
		emu = await startEmulator({ faults: { script: [{ fault: '607', times: 5 }] } });
		const run = await runMarketo(emu, upsert, leads(3));
		expect(run.error?.message).toMatch(/daily API quota is used up \(607\)/);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(1);
		expect(emu.state.leads.size).toBe(0);
	});

	it('a 607 in the middle of a run: with Continue on Fail the sent records are successes and every unsent item an error item', async () => {
		// A daily quota of one call: the first batch of 300 goes through, the second gets 607.
		emu = await startEmulator({ dailyQuota: 1 });
		const soft = await runMarketo(emu, upsert, leads(400, 'r'), { continueOnFail: true });
		expect(soft.error).toBeUndefined();
		expect(soft.json).toHaveLength(400);
		expect(soft.paired).toEqual(Array.from({ length: 400 }, (_, i) => i));
		expect(soft.json.slice(0, 300).every((j) => j.status === 'created')).toBe(true);
		expect(soft.json.slice(300).every((j) => j.code === '607')).toBe(true);
		expect(String(soft.json[399].error)).toMatch(/daily API quota/);
		expect(emu.state.leads.size).toBe(300);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(2);
	});

	it('a 607 in the middle of a run without Continue on Fail stops the node with the plain quota message', async () => {
		emu = await startEmulator({ dailyQuota: 1 });
		const run = await runMarketo(emu, upsert, leads(400, 'r'));
		expect(run.error?.message).toMatch(/daily API quota is used up \(607\)/);
		expect(run.error?.context?.recordsWrittenBefore).toBe(300);
		expect(emu.state.leads.size).toBe(300);
	});

	it('1029 fails at once with a plain message, and a non-retryable code such as 609 is not retried either', async () => {
		emu = await startEmulator({ faults: { script: [{ fault: '1029', times: 5 }] } });
		const quota = await runMarketo(emu, getMany('a@example.com'));
		expect(quota.error?.message).toMatch(/\(1029\)/);
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(1);

		emu.setFaults({ script: [{ fault: '609', times: 5 }] });
		const invalid = await runMarketo(emu, getMany('a@example.com'), [{}], { continueOnFail: true });
		expect(invalid.json[0]).toMatchObject({ code: '609' });
		expect(callsTo(emu, '/rest/v1/leads.json')).toBe(2);
	});

	it('a batch Marketo keeps rejecting becomes an error item per record with Continue on Fail; the next batch still goes through', async () => {
		emu = await startEmulator({
			faults: { script: [{ fault: '611', path: '/rest/v1/leads.json', times: 8 }] },
		});
		// One call at a time, so the scripted 611s all meet the first batch.
		const run = await runMarketo(emu, upsert, leads(301), {
			continueOnFail: true,
			creds: credentialsFor(emu, { maxConcurrentCalls: 1 }),
		});
		expect(run.json).toHaveLength(301);
		expect(run.paired).toEqual(Array.from({ length: 301 }, (_, i) => i));
		expect(run.json.slice(0, 300).every((j) => j.code === '611')).toBe(true);
		expect(run.json[300].status).toBe('created');
		expect(emu.state.leads.size).toBe(1);
	});
});

describe('Marketo transport: the API budget is shared by every execution in the process', () => {
	let emu: MarketoEmulator;
	afterEach(async () => await emu.stop());

	it("parallel executions never exceed the credential's calls per window or its concurrency, so Marketo answers no 606 or 615", async () => {
		// Marketo itself allows only 4 calls per (scaled) 20 s and 2 at a time; the credential says the same.
		emu = await startEmulator({
			rateLimit: { callsPerWindow: 4, maxConcurrent: 2 },
			latencyMs: 15,
		});
		const creds = credentialsFor(emu, { callsPer20Seconds: 4, maxConcurrentCalls: 2 });
		const values = (k: number) => Array.from({ length: 5 }, (_, i) => `p${k}-${i}@example.com`);
		// A Get Many on a non-key field with a limit runs once per item: 3 executions × 5 items = 15 calls.
		const runs = await Promise.all(
			[0, 1, 2].map((k) =>
				runMarketo(
					emu,
					{
						...getMany('={{ $json.email }}'),
						filterType: 'facebookId',
						returnAll: false,
						limit: 10,
					},
					values(k).map((email) => ({ email })),
					{ creds },
				),
			),
		);
		for (const run of runs) expect(run.error).toBeUndefined();
		const log = emu.requestLog().filter((e) => e.path.startsWith('/rest'));
		expect(log).toHaveLength(15);
		expect(log.filter((e) => e.code === '606' || e.code === '615')).toEqual([]);
	});

	it('two executions upserting the same email at once never send it in parallel (Adobe: that creates duplicates)', async () => {
		emu = await startEmulator({ latencyMs: 40 });
		const creds = credentialsFor(emu);
		const [a, b] = await Promise.all([
			runMarketo(emu, upsert, [{ email: 'same@example.com', firstName: 'A' }], { creds }),
			runMarketo(emu, upsert, [{ email: 'same@example.com', lastName: 'B' }], { creds }),
		]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		const calls = emu.requestLog().filter((e) => e.path === '/rest/v1/leads.json');
		expect(calls).toHaveLength(2);
		// Serialized: the second call arrived only after the first one's 40 ms answer.
		expect(Math.abs(calls[1].at - calls[0].at)).toBeGreaterThanOrEqual(38);
		expect(leadsByEmail(emu).get('same@example.com')).toHaveLength(1);
		expect(leadsByEmail(emu).get('same@example.com')?.[0]).toMatchObject({
			firstName: 'A',
			lastName: 'B',
		});
	});
});

describe('Marketo transport: client time-outs', () => {
	it('a call that never answers is abandoned after the time-out and sent again', async () => {
		const http = await import('http');
		const hanging: Array<import('http').ServerResponse> = [];
		let restCalls = 0;
		const server = http.createServer((req, res) => {
			if (req.url?.startsWith('/identity/')) {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(
					JSON.stringify({
						access_token: 't:int',
						token_type: 'bearer',
						expires_in: 3599,
						scope: 's',
					}),
				);
				return;
			}
			restCalls++;
			if (restCalls === 1) {
				hanging.push(res); // never answered: only the client's time-out ends it
				return;
			}
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(
				JSON.stringify({
					requestId: 'r',
					success: true,
					result: [{ id: 7, email: 'a@example.com' }],
				}),
			);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as import('net').AddressInfo;
		const fake = {
			restUrl: `http://127.0.0.1:${port}/rest`,
			clientId: 'id',
			clientSecret: 'secret',
		} as MarketoEmulator;
		try {
			// timeScale 0.001: the client time-out is at its 1 s floor.
			const run = await runMarketo(fake, getMany('a@example.com'), [{}], {
				creds: credentialsFor(fake, { timeScale: 0.001 }),
			});
			expect(run.error).toBeUndefined();
			expect(run.json).toEqual([{ id: 7, email: 'a@example.com' }]);
			expect(restCalls).toBe(2);
		} finally {
			for (const res of hanging) res.destroy();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
