/**
 * The Marketo API credential, tested the way n8n's UI tests it: n8n's CredentialsTester.runRequestTest
 * (n8n 2.40 `services/credentials-tester.service.js`) builds a mock noOp node whose only property routes
 * the credential's `test.request`, runs it with n8n-core's RoutingNode (which runs preAuthentication
 * first) and turns errors into the message the user sees. `testCredentialAsN8nDoes` repeats those steps.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type INode,
	type INodeType,
} from 'n8n-workflow';
import get from 'lodash/get';

import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { makeAdditionalData, nodeTypes, TestCredentialsHelper } from '../../dev/harness/engine';
import { resolveMarketoEndpoints } from '../../nodes/Marketo/transport/endpoint';
import { settingsFromCredentials } from '../../nodes/Marketo/transport';
import { MarketoApi } from '../../credentials/MarketoApi.credentials';
import { credentialData, startEmulator, tokenCalls } from './setup';

async function testCredentialAsN8nDoes(
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const helper = new TestCredentialsHelper();
	const ref = helper.add('marketoApi', data, 'cred-under-test');
	const credentialType = helper.credentialTypes.get('marketoApi')!;
	const testRequest = credentialType.test as ICredentialTestRequest;
	const decrypted = await helper.getDecrypted({} as never, ref, 'marketoApi');
	const credentialsDecrypted = { id: ref.id!, name: ref.name, type: 'marketoApi', data: decrypted };

	const types = nodeTypes();
	const nodeTypeCopy = {
		description: {
			displayName: 'No Operation',
			name: 'noOp',
			group: ['organization'],
			version: 1,
			description: '',
			defaults: { name: 'No Operation' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'marketoApi', required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	types.types.set('n8n-nodes-base.noOp', nodeTypeCopy);
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		credentials: { marketoApi: { id: ref.id!, name: ref.name } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: types,
	});
	const additionalData = makeAdditionalData(helper);
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeTypeCopy, credentialsDecrypted as never);
	let response;
	try {
		await workflow.expression.acquireIsolate();
		response = await routingNode.runNode();
	} catch (error) {
		// Verbatim from n8n's CredentialsTester.runRequestTest.
		const e = error as {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
			message: string;
		};
		if (e.cause?.response) {
			const statusCode = e.cause.response.status;
			if (statusCode < 199 || statusCode > 299) {
				return {
					status: 'Error',
					message: e.cause.response.statusText || `Received HTTP status code: ${statusCode}`,
				};
			}
		} else if (e.cause?.code) {
			return { status: 'Error', message: e.cause.code };
		}
		return { status: 'Error', message: e.message.toString() };
	} finally {
		await workflow.expression.releaseIsolate();
		types.types.delete('n8n-nodes-base.noOp');
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const json = response?.[0]?.[0]?.json;
			if (get(json, rule.properties.key) === rule.properties.value)
				return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

async function closedPortUrl(): Promise<string> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}/rest`;
}

describe('Marketo API credential', () => {
	let emu: MarketoEmulator;
	let notMarketo: http.Server;
	let notMarketoUrl: string;
	beforeAll(async () => {
		emu = await startEmulator();
		notMarketo = http.createServer((_, res) => {
			res.writeHead(404, { 'Content-Type': 'text/html' });
			res.end('<html>Not here</html>');
		});
		await new Promise<void>((resolve) => notMarketo.listen(0, '127.0.0.1', resolve));
		notMarketoUrl = `http://127.0.0.1:${(notMarketo.address() as AddressInfo).port}/rest`;
	});
	afterAll(async () => {
		await emu.stop();
		await new Promise<void>((resolve) => notMarketo.close(() => resolve()));
	});

	it('the credential test succeeds with the right endpoint, client ID and secret, getting a token from the identity endpoint', async () => {
		const before = tokenCalls(emu).length;
		const result = await testCredentialAsN8nDoes(credentialData(emu));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(tokenCalls(emu).length).toBe(before + 1);
		const call = emu
			.requestLog()
			.filter((e) => e.path === '/rest/v1/leads/describe2.json')
			.pop();
		expect(call?.status).toBe(200);
	});

	it('accepts the endpoint without /rest and with trailing slashes', async () => {
		expect(
			(await testCredentialAsN8nDoes(credentialData(emu, { restEndpoint: `${emu.baseUrl}/` })))
				.status,
		).toBe('OK');
		expect(
			(await testCredentialAsN8nDoes(credentialData(emu, { restEndpoint: `${emu.restUrl}//` })))
				.status,
		).toBe('OK');
		expect(
			(
				await testCredentialAsN8nDoes(
					credentialData(emu, { identityEndpoint: `${emu.identityUrl}/oauth/token` }),
				)
			).status,
		).toBe('OK');
	});

	it('a wrong secret, an unreachable URL and a URL that is not Marketo give three distinct, plain messages without the secret', async () => {
		const wrongSecret = await testCredentialAsN8nDoes(
			credentialData(emu, { clientSecret: 'not-the-secret-xyz' }),
		);
		const unreachable = await testCredentialAsN8nDoes(
			credentialData(emu, { restEndpoint: await closedPortUrl() }),
		);
		const notAMarketo = await testCredentialAsN8nDoes(
			credentialData(emu, { restEndpoint: notMarketoUrl }),
		);

		expect(wrongSecret.status).toBe('Error');
		expect(wrongSecret.message).toMatch(/^Marketo rejected the Client ID or Client Secret/);
		expect(unreachable.status).toBe('Error');
		expect(unreachable.message).toMatch(/^Could not reach Marketo's Identity endpoint/);
		expect(notAMarketo.status).toBe('Error');
		expect(notAMarketo.message).toMatch(/^No Marketo Identity service answered at .*\(HTTP 404\)/);
		expect(new Set([wrongSecret.message, unreachable.message, notAMarketo.message]).size).toBe(3);
		for (const r of [wrongSecret, unreachable, notAMarketo]) {
			expect(r.message).not.toContain('not-the-secret-xyz');
			expect(r.message).not.toContain(emu.clientSecret);
		}
	});

	it('says what is wrong when the user pastes a Munchkin ID, the web app address, the identity endpoint or an API path', async () => {
		const cases: Array<[string, RegExp]> = [
			['123-ABC-456', /is a Munchkin ID.*https:\/\/123-ABC-456\.mktorest\.com\/rest/],
			['https://app-ab12.marketo.com/#MM0A1', /address of the Marketo web app/],
			['https://123-ABC-456.mktorest.com/identity', /is the Identity endpoint/],
			['https://123-ABC-456.mktorest.com/rest/v1/leads.json', /must end at \/rest/],
			['not a url at all', /is not a web address|must end in \/rest/],
			['', /REST API endpoint is empty/],
		];
		for (const [restEndpoint, expected] of cases) {
			const result = await testCredentialAsN8nDoes(credentialData(emu, { restEndpoint }));
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(expected);
		}
	});

	it('a role without lead access gets a plain message from the test rule', async () => {
		emu.setFaults({ script: [{ fault: '603', path: 'describe2', times: 1 }] });
		const result = await testCredentialAsN8nDoes(credentialData(emu));
		emu.setFaults({});
		expect(result).toMatchObject({ status: 'Error' });
		expect(result.message).toContain('Read-Only Lead');
	});

	it('the token is sent only as an Authorization: Bearer header, never as a query parameter', async () => {
		const seen: Array<{ url?: string; auth?: string }> = [];
		const spy = http.createServer((req, res) => {
			seen.push({ url: req.url, auth: req.headers.authorization });
			res.writeHead(200, { 'Content-Type': 'application/json' });
			if (req.url?.startsWith('/identity/oauth/token')) {
				res.end(
					JSON.stringify({
						access_token: 'tok-123:int',
						token_type: 'bearer',
						expires_in: 3599,
						scope: 'x',
					}),
				);
			} else {
				res.end(
					JSON.stringify({
						requestId: 'r',
						success: true,
						result: [{ name: 'API Lead', fields: [], searchableFields: [] }],
					}),
				);
			}
		});
		await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(spy.address() as AddressInfo).port}/rest`;
		const result = await testCredentialAsN8nDoes({
			restEndpoint: url,
			clientId: 'id',
			clientSecret: 'secret',
			timeScale: 0.01,
		});
		await new Promise<void>((resolve) => spy.close(() => resolve()));
		expect(result.status).toBe('OK');
		const restCall = seen.find((s) => s.url?.startsWith('/rest/'));
		expect(restCall?.auth).toBe('Bearer tok-123:int');
		expect(restCall?.url).not.toContain('access_token');
		expect(restCall?.url).toBe('/rest/v1/leads/describe2.json');
	});
});

describe('REST endpoint normalisation', () => {
	it('derives the identity endpoint from the REST endpoint, with or without /rest', () => {
		for (const input of [
			'https://123-ABC-456.mktorest.com/rest',
			'https://123-ABC-456.mktorest.com/rest/',
			'https://123-ABC-456.mktorest.com',
			' 123-abc-456.mktorest.com/rest ',
		]) {
			expect(resolveMarketoEndpoints(input)).toEqual({
				restUrl: 'https://123-abc-456.mktorest.com/rest',
				identityUrl: 'https://123-abc-456.mktorest.com/identity',
			});
		}
	});
});

describe('the hidden Time Scale field (emulator only)', () => {
	const settings = (restEndpoint: string, timeScale?: number) =>
		settingsFromCredentials.call(
			{ getNode: () => ({ name: 'Marketo' }) } as never,
			{
				restEndpoint,
				clientId: 'id',
				clientSecret: 'secret',
				...(timeScale === undefined ? {} : { timeScale }),
			} as ICredentialDataDecryptedObject,
		);

	it("defaults to Marketo's real 20-second window", () => {
		expect(new MarketoApi().properties.find((p) => p.name === 'timeScale')).toEqual(
			expect.objectContaining({ type: 'hidden', default: 1 }),
		);
		expect(settings('https://123-ABC-456.mktorest.com/rest').budget.windowMs).toBe(20000);
	});

	it('cannot shrink the window or the back-off against a real Marketo instance', () => {
		const real = settings('https://123-ABC-456.mktorest.com/rest', 0.001);
		expect(real.budget.windowMs).toBe(20000);
		expect(real.timing.baseDelayMs).toBe(1000);
	});

	it('shrinks them for an emulator on this machine', () => {
		for (const host of ['127.0.0.1:4000', 'localhost:4000']) {
			expect(settings(`http://${host}/rest`, 0.01).budget.windowMs).toBe(200);
		}
	});
});
