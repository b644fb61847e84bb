/**
 * The SpotMe credential: its Bearer header and its "Test" button (`GET /me` with plain messages).
 * The test request runs as n8n's CredentialsTester runs a declarative test: through n8n-core's
 * RoutingNode in a temporary node, with the same verdict rules (response-code rules first, then the
 * network error code), against the emulator. n8n-core runs the credential's preAuthentication (GET /me,
 * which words every failure) before the request whenever the hidden `verifiedFor` is empty or stale.
 * test/n8n/credentials.test.ts proves the same messages in a real n8n.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeType,
} from 'n8n-workflow';
import { SpotMeApi } from '../../credentials/SpotMeApi.credentials';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import { makeAdditionalData, runNode, TestCredentialsHelper } from '../../dev/harness/engine';
import {
	spotMeCredentials,
	standardSeed,
	startScaledSpotMe,
	summitWorkspace,
} from './emulator-setup';

const credential = new SpotMeApi();

/** n8n 2.40's CredentialsTester.runRequestTest, minus its DI plumbing. */
async function testCredential(
	data: ICredentialDataDecryptedObject,
	helper = new TestCredentialsHelper(),
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	// A credential saved before (same id) keeps its hidden fields, as n8n keeps them on an edit.
	const previous = helper.store.get('spotMeApi-1')?.data ?? {};
	const ref = helper.add('spotMeApi', { ...previous, ...data });
	const withDefaults = await helper.getDecrypted(makeAdditionalData(helper), ref, 'spotMeApi');
	const tempType = {
		description: {
			displayName: 'Temp',
			name: 'temp',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'spotMeApi', required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credential.test.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	const nodeTypes = {
		getByName: () => tempType,
		getByNameAndVersion: () => tempType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'temp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { spotMeApi: ref },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypes as never,
	});
	const context = new ExecuteContext(
		workflow,
		node,
		makeAdditionalData(helper),
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null } as never,
		[],
	);
	const routingNode = new RoutingNode(context, tempType, {
		id: ref.id,
		name: ref.name,
		type: 'spotMeApi',
		data: withDefaults,
	} as never);
	try {
		await routingNode.runNode();
	} catch (error) {
		const cause = (
			error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
		).cause;
		if (cause?.response) {
			for (const rule of credential.test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === cause.response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return {
				status: 'Error',
				message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
			};
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

const TOKEN_2 = 'spotme-second-token-5b7e19c2';

describe('SpotMe credential', () => {
	let emu: SpotMeEmulator;
	/** A web server that is not SpotMe: every path answers 200 with an HTML page. */
	let webPage: http.Server;
	let webPageUrl: string;
	beforeAll(async () => {
		emu = await startScaledSpotMe({ tokens: ['spotme-test-token', TOKEN_2] });
		webPage = http.createServer((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'text/html' });
			res.end('<html><body>Welcome</body></html>');
		});
		await new Promise<void>((resolve) => webPage.listen(0, '127.0.0.1', resolve));
		webPageUrl = `http://127.0.0.1:${(webPage.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await emu.stop();
		await new Promise<void>((resolve) => webPage.close(() => resolve()));
	});
	beforeEach(() => emu.reset());

	it('passes the test with a valid token: GET /me verifies it (preAuthentication), then the test request, both with the Bearer header', async () => {
		const helper = new TestCredentialsHelper();
		expect(await testCredential({ apiToken: emu.token, baseUrl: emu.apiUrl }, helper)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(emu.requestLog().map((e) => [e.route, e.auth])).toEqual([
			['GET /me', 'valid'],
			['GET /me', 'valid'],
		]);
		// What is stored is a keyed hash, not the token.
		const stored = helper.store.get('spotMeApi-1')!.data;
		expect(stored.verifiedFor).toMatch(/^[0-9a-f]{32}$/);
		expect(stored.verifiedFor).not.toContain(emu.token);
	});

	it('a credential tested before is tested again with one GET /me (the stored verification is reused)', async () => {
		const helper = new TestCredentialsHelper();
		await testCredential({ apiToken: emu.token, baseUrl: emu.apiUrl }, helper);
		emu.reset();
		expect((await testCredential({}, helper)).status).toBe('OK');
		expect(emu.requestLog().map((e) => e.route)).toEqual(['GET /me']);
	});

	it('accepts a base URL with a trailing slash', async () => {
		expect((await testCredential({ apiToken: emu.token, baseUrl: `${emu.apiUrl}/` })).status).toBe(
			'OK',
		);
		expect(emu.requestLog().map((e) => e.path)).toEqual(['/me', '/me']);
	});

	it('explains a rejected token in plain words, after one call', async () => {
		const result = await testCredential({ apiToken: 'revoked', baseUrl: emu.apiUrl });
		expect(result).toEqual({
			status: 'Error',
			message:
				'SpotMe rejected the API token. Create a new token in Backstage (profile > API tokens) and paste it without the word "Bearer".',
		});
		expect(emu.requestLog().map((e) => [e.route, e.auth, e.status])).toEqual([
			['GET /me', 'invalid', 401],
		]);
	});

	it('explains a token pasted with "Bearer" in front, without calling SpotMe', async () => {
		const result = await testCredential({ apiToken: `Bearer ${emu.token}`, baseUrl: emu.apiUrl });
		expect(result.message).toBe(
			'Paste the SpotMe API token without the word "Bearer" in front of it',
		);
		expect(emu.requestLog()).toEqual([]);
	});

	it('explains a base URL path without the SpotMe API (404)', async () => {
		const result = await testCredential({ apiToken: emu.token, baseUrl: `${emu.baseUrl}/wrong` });
		expect(result).toEqual({
			status: 'Error',
			message: `No SpotMe API at ${emu.baseUrl}/wrong (GET /me answered HTTP 404). Check the API Base URL (default https://api.spotme.com/api/v2).`,
		});
	});

	it('explains a host that answers with a web page (HTTP 200, not JSON) as no SpotMe API', async () => {
		const result = await testCredential({ apiToken: emu.token, baseUrl: webPageUrl });
		expect(result.message).toBe(
			`No SpotMe API at ${webPageUrl} (GET /me answered HTTP 200 without SpotMe data). Check the API Base URL (default https://api.spotme.com/api/v2).`,
		);
	});

	it('explains an unreachable host in words, naming the address (no bare ECONNREFUSED)', async () => {
		expect(
			await testCredential({ apiToken: emu.token, baseUrl: 'http://127.0.0.1:1/api/v2' }),
		).toEqual({
			status: 'Error',
			message:
				'Could not reach SpotMe at http://127.0.0.1:1/api/v2: nothing answers at that address. Check the API Base URL (default https://api.spotme.com/api/v2) and that this n8n instance can reach it.',
		});
	});

	it('explains a host name that does not exist', async () => {
		const result = await testCredential({
			apiToken: emu.token,
			baseUrl: 'http://spotme-host.invalid/api/v2',
		});
		expect(result.message).toMatch(
			/^Could not reach SpotMe at http:\/\/spotme-host\.invalid\/api\/v2: the host name does not exist\./,
		);
	});

	it('explains a base URL that is not a web address, without calling anything', async () => {
		const result = await testCredential({ apiToken: emu.token, baseUrl: 'api.spotme.com' });
		expect(result.message).toBe(
			'The API Base URL must be a web address such as https://api.spotme.com/api/v2 (got "api.spotme.com")',
		);
	});

	it('waits out a 429 on GET /me instead of failing the test', async () => {
		emu.setFaults([{ path: '/me', status: 429, retryAfter: 0.01, times: 2 }]);
		expect((await testCredential({ apiToken: emu.token, baseUrl: emu.apiUrl })).status).toBe('OK');
		expect(emu.requestLog().map((e) => e.status)).toEqual([429, 429, 200, 200]);
	});

	it('a tested credential edited to a wrong token fails the test (the stored verification does not cover it)', async () => {
		const helper = new TestCredentialsHelper();
		expect(
			(await testCredential({ apiToken: emu.token, baseUrl: emu.apiUrl }, helper)).status,
		).toBe('OK');
		emu.reset();
		const result = await testCredential({ apiToken: 'revoked' }, helper);
		expect(result.message).toMatch(/^SpotMe rejected the API token\./);
		// The old verification made n8n skip preAuthentication; authenticate refused it (401-shaped), so
		// n8n ran preAuthentication with the new token: one GET /me, with the new token only.
		expect(emu.requestLog().map((e) => [e.route, e.auth])).toEqual([['GET /me', 'invalid']]);
	});

	it('a tested credential edited to an unreachable host gives the plain message', async () => {
		const helper = new TestCredentialsHelper();
		expect(
			(await testCredential({ apiToken: emu.token, baseUrl: emu.apiUrl }, helper)).status,
		).toBe('OK');
		const result = await testCredential({ baseUrl: 'http://127.0.0.1:1/api/v2' }, helper);
		expect(result.message).toMatch(
			/^Could not reach SpotMe at http:\/\/127\.0\.0\.1:1\/api\/v2: nothing answers at that address\./,
		);
	});

	it('a node run verifies a fresh credential with one GET /me, then never again until the token changes', async () => {
		emu.seed(standardSeed);
		const creds = spotMeCredentials(emu);
		const get = { resource: 'workspace', operation: 'get', workspaceId: summitWorkspace };
		const first = await runNode({ type: 'spotMe', parameters: get, items: [{}, {}, {}], ...creds });
		expect(first.error).toBeUndefined();
		expect(emu.requestLog().map((e) => e.route)).toEqual([
			'GET /me',
			'GET /workspace/:eid',
			'GET /workspace/:eid',
			'GET /workspace/:eid',
		]);
		await runNode({ type: 'spotMe', parameters: get, ...creds });
		expect(emu.callCounts().byRoute['GET /me']).toBe(1);
		expect(creds.credentialsHelper.preAuthenticationCalls.get('spotMeApi')).toBe(1);

		// The user pastes another (valid) token: verified once more, then used.
		creds.credentialsHelper.store.get('spotMeApi-1')!.data.apiToken = TOKEN_2;
		const before = emu.requestLog().length;
		const after = await runNode({ type: 'spotMe', parameters: get, items: [{}, {}], ...creds });
		expect(after.error).toBeUndefined();
		expect(
			emu
				.requestLog()
				.slice(before)
				.map((e) => [e.route, e.auth]),
		).toEqual([
			['GET /me', 'valid'],
			['GET /workspace/:eid', 'valid'],
			['GET /workspace/:eid', 'valid'],
		]);
		expect(creds.credentialsHelper.preAuthenticationCalls.get('spotMeApi')).toBe(2);
	});

	it('a node run whose credential was edited to a revoked token fails every item with the rejected-token message, asking /me once per item', async () => {
		emu.seed(standardSeed);
		const creds = spotMeCredentials(emu);
		const get = { resource: 'workspace', operation: 'get', workspaceId: summitWorkspace };
		await runNode({ type: 'spotMe', parameters: get, ...creds });
		creds.credentialsHelper.store.get('spotMeApi-1')!.data.apiToken = 'revoked-token-0a1b';
		const before = emu.requestLog().length;
		const { items } = await runNode({
			type: 'spotMe',
			parameters: get,
			items: [{}, {}],
			continueOnFail: true,
			...creds,
		});
		expect(items.map((i) => i.json.error)).toEqual([
			'SpotMe rejected the API token',
			'SpotMe rejected the API token',
		]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// A rejected token is not remembered, so each request asks again; nothing else was sent.
		expect(
			emu
				.requestLog()
				.slice(before)
				.map((e) => [e.route, e.auth]),
		).toEqual([
			['GET /me', 'invalid'],
			['GET /me', 'invalid'],
		]);
		expect(JSON.stringify(items)).not.toContain('revoked-token-0a1b');
	});

	it('keeps the token out of the credential’s visible fields and defaults the host to SpotMe’s', () => {
		const token = credential.properties.find((p) => p.name === 'apiToken');
		expect(token?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe(
			'https://api.spotme.com/api/v2',
		);
		expect(credential.properties.find((p) => p.name === 'requestsPerSecond')?.default).toBe(3);
		expect(credential.properties.find((p) => p.name === 'burst')?.default).toBe(5);
		const verified = credential.properties.find((p) => p.name === 'verifiedFor');
		expect(verified).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
	});
});
