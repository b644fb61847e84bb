/**
 * No secret (Marketo access token, client secret, SpotMe API token) reaches what n8n keeps or shows:
 * the output items, the error a run ends with, and the whole execution data, walked property by
 * property, non-enumerable ones included (`cause`, `config`, `options`, where n8n's request helpers
 * keep the request they sent, `Authorization` header and all).
 *
 * Each scenario makes the request helper itself fail (an HTTP 4xx, an HTTP 5xx after every retry, a
 * host that does not answer), since those errors are the ones that carry the request headers.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { MarketoEmulator } from '../../dev/emulators/marketo';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import { loadOptions, runNode } from '../../dev/harness/engine';
import { credentialsFor, startEmulator } from '../marketo/setup';
import {
	personUpsertParams,
	spotMeCredentials,
	standardSeed,
	startScaledSpotMe,
	summitWorkspace,
} from '../spotme/emulator-setup';
import { LEAD_UPSERT_BY_EMAIL } from '../../dev/harness/parameters';

/** Every string reachable from `root`: values and keys, through own properties (enumerable or not), Maps and Sets. */
export function reachableText(root: unknown): string {
	const seen = new Set<unknown>();
	const parts: string[] = [];
	const visit = (value: unknown, depth: number) => {
		if (typeof value === 'string') {
			parts.push(value);
			return;
		}
		if (value === null || (typeof value !== 'object' && typeof value !== 'function') || depth > 40)
			return;
		if (seen.has(value) || typeof value === 'function') return;
		seen.add(value);
		if (value instanceof Map) {
			for (const [k, v] of value) {
				visit(k, depth + 1);
				visit(v, depth + 1);
			}
			return;
		}
		if (value instanceof Set) {
			for (const v of value) visit(v, depth + 1);
			return;
		}
		if (Buffer.isBuffer(value)) {
			parts.push(value.toString('utf8'));
			return;
		}
		for (const key of Object.getOwnPropertyNames(value)) {
			parts.push(key);
			let child: unknown;
			try {
				child = (value as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			visit(child, depth + 1);
		}
	};
	visit(root, 0);
	return parts.join('\n');
}

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe('no secret leaks through an error', () => {
	it('proves the walker finds a header hidden in a non-enumerable cause (the check can fail)', () => {
		const error = new Error('outer');
		Object.defineProperty(error, 'cause', {
			value: { config: { headers: { Authorization: 'Bearer hidden-123' } } },
			enumerable: false,
		});
		expect(JSON.stringify(error)).not.toContain('hidden-123');
		expect(reachableText({ error })).toContain('Bearer hidden-123');
	});

	describe('Marketo', () => {
		let emu: MarketoEmulator;
		beforeEach(async () => (emu = await startEmulator()));
		afterEach(async () => await emu.stop());

		const upsert = LEAD_UPSERT_BY_EMAIL;
		const get = {
			resource: 'lead',
			operation: 'get',
			leadId: { __rl: true, mode: 'id', value: '1' },
		};

		/** Runs once so the token is stored, then returns it with the credential. */
		async function withToken() {
			const creds = credentialsFor(emu);
			const warm = await runNode({
				type: 'marketo',
				parameters: upsert,
				items: [{ email: 'warm@example.com' }],
				...creds,
			});
			expect(warm.error).toBeUndefined();
			const token = String(
				creds.credentialsHelper.store.get(creds.credentials.marketoApi.id!)!.data.accessToken,
			);
			expect(token.length).toBeGreaterThan(5);
			return { creds, token };
		}

		function expectClean(text: string, token: string) {
			expect(text).not.toContain(token);
			expect(text).not.toContain(emu.clientSecret);
		}

		it.each([
			['an HTTP 400', { fault: 'http5xx', httpStatus: 400 }, /HTTP 400/],
			['an HTTP 502 on every retry', { fault: 'http5xx', httpStatus: 502 }, /kept failing/],
		])(
			'%s from Marketo leaves the token and secret out of the run, with or without Continue on Fail',
			async (_what, f, message) => {
				const { creds, token } = await withToken();
				for (const continueOnFail of [false, true]) {
					for (const parameters of [upsert, get]) {
						emu.setFaults({
							httpStatus: f.httpStatus,
							script: [{ fault: f.fault, path: '/rest/v1/lead', times: 100 }],
						});
						const result = await runNode({
							type: 'marketo',
							parameters,
							items: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
							continueOnFail,
							...creds,
						});
						if (continueOnFail) {
							expect(result.items).toHaveLength(2);
							expect(String(result.items[0].json.error)).toMatch(message);
						} else {
							expect(result.error?.message).toMatch(message);
						}
						expectClean(
							reachableText({ run: result.run, items: result.items, error: result.error }),
							token,
						);
					}
				}
			},
		);

		it('a REST endpoint that does not answer leaves the token out of the run', async () => {
			const port = await closedPort();
			const creds = credentialsFor(emu, {
				restEndpoint: `http://127.0.0.1:${port}/rest`,
				identityEndpoint: emu.identityUrl,
			});
			for (const continueOnFail of [false, true]) {
				const result = await runNode({
					type: 'marketo',
					parameters: get,
					items: [{}],
					continueOnFail,
					...creds,
				});
				const token = String(
					creds.credentialsHelper.store.get(creds.credentials.marketoApi.id!)!.data.accessToken,
				);
				expect(token.length).toBeGreaterThan(5);
				const text = reachableText({ run: result.run, items: result.items, error: result.error });
				expect(text).toMatch(/Could not reach Marketo/);
				expectClean(text, token);
			}
		});

		it('a rejected client secret, or an identity endpoint that does not answer, leaves the secret out of the run', async () => {
			const port = await closedPort();
			const secret = 'client-secret-never-shown';
			for (const extra of [
				{},
				{ identityEndpoint: `http://127.0.0.1:${port}/identity` },
			] as ICredentialDataDecryptedObject[]) {
				for (const continueOnFail of [false, true]) {
					const creds = credentialsFor(emu, { clientSecret: secret, ...extra });
					const result = await runNode({
						type: 'marketo',
						parameters: get,
						items: [{}],
						continueOnFail,
						...creds,
					});
					const text = reachableText({ run: result.run, items: result.items, error: result.error });
					expect(text).toMatch(/Client Secret|Identity endpoint/);
					expect(text).not.toContain(secret);
				}
			}
		});

		it('a dropdown whose call fails throws an error without the token', async () => {
			const { creds, token } = await withToken();
			emu.setFaults({
				httpStatus: 400,
				script: [{ fault: 'http5xx', path: '/rest/v1/leads/describe', times: 100 }],
			});
			let thrown: unknown;
			try {
				await loadOptions({
					type: 'marketo',
					method: 'getLeadFields',
					parameters: { resource: 'lead', operation: 'get' },
					...creds,
				});
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeDefined();
			expectClean(reachableText(thrown), token);
		});
	});

	describe('SpotMe', () => {
		let emu: SpotMeEmulator;
		beforeAll(async () => (emu = await startScaledSpotMe()));
		afterAll(async () => emu.stop());
		beforeEach(() => {
			emu.reset();
			emu.seed(standardSeed);
		});
		const getWorkspace = { resource: 'workspace', operation: 'get', workspaceId: summitWorkspace };
		const upsert = personUpsertParams();
		const items = [
			{ id: 'p1', email: 'p1@example.test', first: 'Jo', last: 'Doe' },
			{ id: 'p2', email: 'p2@example.test', first: 'Al', last: 'Roe' },
		];

		it.each([
			['an HTTP 400', { status: 400, times: -1 }],
			['an HTTP 503 on every retry', { status: 503, times: -1 }],
			['a dropped connection on every retry', { drop: true, times: -1 }],
		])(
			'%s leaves the API token out of the run, with or without Continue on Fail',
			async (_what, fault) => {
				for (const continueOnFail of [false, true]) {
					for (const parameters of [getWorkspace, upsert]) {
						emu.setFaults([{ ...fault }]);
						const result = await runNode({
							type: 'spotMe',
							parameters,
							items,
							continueOnFail,
							...spotMeCredentials(emu),
						});
						if (continueOnFail)
							expect(result.items.every((i) => typeof i.json.error === 'string')).toBe(true);
						else expect(result.error).toBeDefined();
						expect(
							reachableText({ run: result.run, items: result.items, error: result.error }),
						).not.toContain(emu.token);
					}
				}
			},
		);

		it('a host that does not answer leaves the API token out of the run', async () => {
			const port = await closedPort();
			const secret = 'spotme-token-never-shown';
			for (const continueOnFail of [false, true]) {
				const result = await runNode({
					type: 'spotMe',
					parameters: getWorkspace,
					items,
					continueOnFail,
					...spotMeCredentials(emu, {
						apiToken: secret,
						baseUrl: `http://127.0.0.1:${port}/api/v2`,
					}),
				});
				const text = reachableText({ run: result.run, items: result.items, error: result.error });
				expect(text).toMatch(/Could not reach SpotMe/);
				expect(text).not.toContain(secret);
			}
		});
	});
});
