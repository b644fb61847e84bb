/**
 * The SpotMe credential: its Bearer header and its "Test" button (`GET /me` with plain messages).
 * The test request runs as n8n's CredentialsTester runs a declarative test: through n8n-core's
 * RoutingNode in a temporary node, with the same verdict rules (response-code rules first, then the
 * network error code), against the emulator.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeType,
} from 'n8n-workflow';
import { SpotMeApi } from '../../credentials/SpotMeApi.credentials';
import type { SpotMeEmulator } from '../../emulators/spotme';
import { makeAdditionalData, TestCredentialsHelper } from '../harness/engine';
import { startScaledSpotMe } from './emulator-setup';

const credential = new SpotMeApi();

/** n8n 2.40's CredentialsTester.runRequestTest, minus its DI plumbing. */
async function testCredential(data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const helper = new TestCredentialsHelper();
	const ref = helper.add('spotMeApi', data);
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
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: credential.test.request }, default: '' }],
		},
	} as unknown as INodeType;
	const nodeTypes = { getByName: () => tempType, getByNameAndVersion: () => tempType, getKnownTypes: () => ({}) };
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'temp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { spotMeApi: ref },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes as never });
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
	const routingNode = new RoutingNode(context, tempType, { id: ref.id, name: ref.name, type: 'spotMeApi', data: withDefaults } as never);
	try {
		await routingNode.runNode();
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
		if (cause?.response) {
			for (const rule of credential.test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === cause.response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return { status: 'Error', message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}` };
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

describe('SpotMe credential', () => {
	let emu: SpotMeEmulator;
	beforeAll(async () => (emu = await startScaledSpotMe()));
	afterAll(async () => emu.stop());
	beforeEach(() => emu.reset());

	it('passes the test with a valid token, sending it as a Bearer header to GET /me', async () => {
		expect(await testCredential({ apiToken: emu.token, baseUrl: emu.apiUrl })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
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

	it('an unreachable host fails the test (n8n shows the network code for declarative tests)', async () => {
		// n8n's credential dialog reports a declarative test's network failure by its code; the plain
		// "Could not reach SpotMe at …" message comes from the node's transport (see transport.test.ts).
		expect(await testCredential({ apiToken: emu.token, baseUrl: 'http://127.0.0.1:1/api/v2' })).toEqual({
			status: 'Error',
			message: 'ECONNREFUSED',
		});
	});

	it('keeps the token out of the credential’s visible fields and defaults the host to SpotMe’s', () => {
		const token = credential.properties.find((p) => p.name === 'apiToken');
		expect(token?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://api.spotme.com/api/v2');
		expect(credential.properties.find((p) => p.name === 'requestsPerSecond')?.default).toBe(3);
		expect(credential.properties.find((p) => p.name === 'burst')?.default).toBe(5);
	});
});
