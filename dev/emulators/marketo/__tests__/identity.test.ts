import { startMarketoEmulator, type MarketoEmulator } from '../index';
import { client, codeOf, fetchAny as fetch } from './helpers';

describe('Marketo emulator: identity and tokens', () => {
	let emu: MarketoEmulator;
	beforeEach(async () => {
		emu = await startMarketoEmulator({ timeScale: 0.001 }); // 3600 s token lives 3.6 s
	});
	afterEach(() => emu.stop());

	const tokenUrl = (e: MarketoEmulator, id = e.clientId, secret = e.clientSecret) =>
		`${e.identityUrl}/oauth/token?grant_type=client_credentials&client_id=${id}&client_secret=${secret}`;

	it('issues a bearer token for good client credentials, with Marketo field names', async () => {
		const r = await fetch(tokenUrl(emu));
		const b = await r.json();
		expect(r.status).toBe(200);
		expect(b).toEqual({
			access_token: expect.any(String),
			token_type: 'bearer',
			expires_in: expect.any(Number),
			scope: expect.any(String),
		});
		expect(b.expires_in).toBeGreaterThan(3500);
		expect(b.expires_in).toBeLessThanOrEqual(3600);
	});

	it('accepts the credentials as a POST form body too', async () => {
		const r = await fetch(`${emu.identityUrl}/oauth/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `grant_type=client_credentials&client_id=${emu.clientId}&client_secret=${emu.clientSecret}`,
		});
		expect(r.status).toBe(200);
		expect((await r.json()).access_token).toBeTruthy();
	});

	it('answers bad client credentials with HTTP 401 invalid_client', async () => {
		const r = await fetch(tokenUrl(emu, emu.clientId, 'wrong'));
		expect(r.status).toBe(401);
		expect(await r.json()).toEqual({
			error: 'invalid_client',
			error_description: 'Bad client credentials',
		});
	});

	it('returns the same token with its remaining lifetime until it expires, then a new one', async () => {
		const a = await (await fetch(tokenUrl(emu))).json();
		await new Promise((r) => setTimeout(r, 1100)); // 1.1 s real = 1100 emulated seconds
		const b = await (await fetch(tokenUrl(emu))).json();
		expect(b.access_token).toBe(a.access_token);
		expect(b.expires_in).toBeLessThan(a.expires_in - 1000);
		emu.expireAllTokens();
		const c = await (await fetch(tokenUrl(emu))).json();
		expect(c.access_token).not.toBe(a.access_token);
	});

	it('honours a configurable token lifetime', async () => {
		const e2 = await startMarketoEmulator({ tokenTtlSeconds: 60 });
		try {
			const b = await (await fetch(tokenUrl(e2))).json();
			expect(b.expires_in).toBeLessThanOrEqual(60);
			expect(b.expires_in).toBeGreaterThan(55);
		} finally {
			await e2.stop();
		}
	});

	it('rejects a call without token with 600, an unknown token with 601, an expired one with 602', async () => {
		const c = client(emu);
		const none = await c.call('GET', '/rest/v1/leads/describe2.json', { noAuth: true });
		expect(none.status).toBe(200);
		expect(none.body.success).toBe(false);
		expect(codeOf(none)).toBe('600');
		c.setToken('not-a-token');
		expect(codeOf(await c.get('/rest/v1/leads/describe2.json'))).toBe('601');
		c.setToken(undefined);
		expect((await c.get('/rest/v1/leads/describe2.json')).body.success).toBe(true);
		emu.expireAllTokens();
		expect(codeOf(await c.get('/rest/v1/leads/describe2.json'))).toBe('602');
	});

	it('expires tokens after the (scaled) TTL on its own', async () => {
		const e2 = await startMarketoEmulator({ tokenTtlSeconds: 1000, timeScale: 0.001 }); // 1 s
		try {
			const c = client(e2);
			expect((await c.get('/rest/v1/leads/describe2.json')).body.success).toBe(true);
			await new Promise((r) => setTimeout(r, 1100));
			expect(codeOf(await c.get('/rest/v1/leads/describe2.json'))).toBe('602');
		} finally {
			await e2.stop();
		}
	});

	it('does not accept the token as an access_token query parameter (removed in 2026)', async () => {
		const tok = (await (await fetch(tokenUrl(emu))).json()).access_token;
		const r = await fetch(`${emu.restUrl}/v1/leads/describe2.json?access_token=${tok}`);
		const b = await r.json();
		expect(b.success).toBe(false);
		expect(b.errors[0].code).toBe('600');
	});

	it('forced token expiry through fault injection makes the next call 602', async () => {
		const c = client(emu);
		expect((await c.get('/rest/v1/leads/describe2.json')).body.success).toBe(true);
		emu.setFaults({ forceTokenExpiry: true });
		expect(codeOf(await c.get('/rest/v1/leads/describe2.json'))).toBe('602');
	});

	it('expireTokensAfterCalls expires every token right after the Nth accepted call, once', async () => {
		const c = client(emu);
		emu.setFaults({ expireTokensAfterCalls: 2 });
		expect((await c.get('/rest/v1/leads/describe2.json')).body.success).toBe(true);
		expect((await c.get('/rest/v1/leads/describe2.json')).body.success).toBe(true);
		expect(codeOf(await c.get('/rest/v1/leads/describe2.json'))).toBe('602');
		c.setToken(undefined);
		for (let k = 0; k < 3; k++)
			expect((await c.get('/rest/v1/leads/describe2.json')).body.success).toBe(true);
	});
});

describe('Marketo emulator: several custom services', () => {
	it('gives each client its own token, expiring independently, and counts usage per API user', async () => {
		const emu = await startMarketoEmulator({
			extraClients: [{ clientId: 'spotme-svc', clientSecret: 's2', user: 'spotme@api' }],
		});
		try {
			const t1 = await (
				await fetch(
					`${emu.identityUrl}/oauth/token?grant_type=client_credentials&client_id=${emu.clientId}&client_secret=${emu.clientSecret}`,
				)
			).json();
			const t2 = await (
				await fetch(
					`${emu.identityUrl}/oauth/token?grant_type=client_credentials&client_id=spotme-svc&client_secret=s2`,
				)
			).json();
			expect(t2.access_token).not.toBe(t1.access_token);
			expect(t2.scope).toBe('spotme@api');
			for (const t of [t1, t2, t2])
				await fetch(`${emu.restUrl}/v1/leads/describe2.json`, {
					headers: { Authorization: `Bearer ${t.access_token}` },
				});
			const usage = await (
				await fetch(`${emu.restUrl}/v1/stats/usage.json`, {
					headers: { Authorization: `Bearer ${t1.access_token}` },
				})
			).json();
			expect(usage.result[0].users).toEqual(
				expect.arrayContaining([
					{ userId: t1.scope, count: 2 },
					{ userId: 'spotme@api', count: 2 },
				]),
			);
		} finally {
			await emu.stop();
		}
	});
});
