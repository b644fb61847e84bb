/**
 * The SpotMe credential: its Bearer header and its "Test" button (`GET /me` with plain messages),
 * evaluated as n8n does (expressions resolved with $credentials, generic authenticate, rules on
 * the response code) against the emulator.
 */
import axios from 'axios';
import { Workflow, type ICredentialDataDecryptedObject, type INode } from 'n8n-workflow';
import { SpotMeApi } from '../../credentials/SpotMeApi.credentials';
import type { SpotMeEmulator } from '../../emulators/spotme';
import { nodeTypes, TestCredentialsHelper } from '../harness/engine';
import { startScaledSpotMe } from './emulator-setup';

const credential = new SpotMeApi();

async function testCredential(data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const node: INode = { id: 't', name: 'Test', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes() });
	const withDefaults = { baseUrl: 'https://api.spotme.com/api/v2', ...data };
	const resolve = (v: unknown) =>
		typeof v === 'string' && v.startsWith('=')
			? workflow.expression.getSimpleParameterValue(node, v, 'internal', { $credentials: withDefaults } as never, undefined, '')
			: v;
	const request = credential.test.request;
	const options = await new TestCredentialsHelper().authenticate(withDefaults, 'spotMeApi', {
		method: request.method ?? 'GET',
		url: String(resolve(request.url)),
		baseURL: String(resolve(request.baseURL)),
		headers: {},
	});
	try {
		const res = await axios({ ...(options as object), validateStatus: () => true, timeout: 5000 });
		for (const rule of credential.test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === res.status) return { status: 'Error', message: rule.properties.message };
		}
		return res.status < 300 ? { status: 'OK', message: 'Connection tested successfully' } : { status: 'Error', message: `HTTP ${res.status}` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}

describe('SpotMe credential', () => {
	let emu: SpotMeEmulator;
	beforeAll(async () => (emu = await startScaledSpotMe()));
	afterAll(async () => emu.stop());
	beforeEach(() => emu.reset());

	it('passes the test with a valid token, sending it as a Bearer header to GET /me', async () => {
		expect(await testCredential({ apiToken: emu.token, baseUrl: emu.apiUrl })).toEqual({
			status: 'OK',
			message: 'Connection tested successfully',
		});
		expect(emu.requestLog().map((e) => [e.route, e.auth])).toEqual([['GET /me', 'valid']]);
	});

	it('accepts a base URL with a trailing slash', async () => {
		expect((await testCredential({ apiToken: emu.token, baseUrl: `${emu.apiUrl}/` })).status).toBe('OK');
		expect(emu.requestLog()[0].path).toBe('/me');
	});

	it('explains a rejected token in plain words', async () => {
		const result = await testCredential({ apiToken: 'revoked', baseUrl: emu.apiUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^SpotMe rejected the API token\. Create a new token in Backstage/);
		expect(result.message).not.toContain('revoked');
	});

	it('explains a base URL that is not the SpotMe API', async () => {
		const result = await testCredential({ apiToken: emu.token, baseUrl: `${emu.baseUrl}/wrong` });
		expect(result.message).toMatch(/^No SpotMe API at this address\. Check the API Base URL/);
	});

	it('keeps the token out of the credential’s visible fields and defaults the host to SpotMe’s', () => {
		const token = credential.properties.find((p) => p.name === 'apiToken');
		expect(token?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://api.spotme.com/api/v2');
		expect(credential.properties.find((p) => p.name === 'requestsPerSecond')?.default).toBe(3);
		expect(credential.properties.find((p) => p.name === 'burst')?.default).toBe(5);
	});
});
