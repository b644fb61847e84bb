import http from 'http';
import type { AddressInfo } from 'net';
import { startMarketoEmulator, seedPresets, type MarketoEmulator } from '../index';
import { fetchAny as fetch } from './helpers';

interface Received {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

describe('Marketo emulator: Call Webhook simulation', () => {
	let emu: MarketoEmulator;
	let server: http.Server;
	let url: string;
	let received: Received[];
	let answer: { status: number; body: string; delayMs?: number };

	beforeEach(async () => {
		emu = await startMarketoEmulator({ seed: seedPresets.spotme(), timeScale: 0.01 });
		emu.seed({
			leads: [
				{
					id: 9,
					email: 'omalley@x.com',
					firstName: 'Pat',
					company: 'O\'Malley "Ace" & Associates',
				},
			],
		});
		received = [];
		answer = {
			status: 200,
			body: JSON.stringify({
				login_url: 'https://summit.spotme.test/login/abc',
				nested: { list: [{ v: 'x' }] },
			}),
		};
		server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
				setTimeout(() => {
					res.writeHead(answer.status, { 'Content-Type': 'application/json' });
					res.end(answer.body);
				}, answer.delayMs ?? 0);
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterEach(async () => {
		await emu.stop();
		server.closeAllConnections();
		await new Promise((r) => server.close(r));
	});

	const template =
		'{"email":{{lead.Email Address}},"company":{{lead.Company Name}},"marketoId":{{lead.Id}},"eid":{{my.spotme_id}},"programId":{{program.Id}}}';

	it('sends the rendered template with JSON token encoding and writes the mapped response attribute to the lead', async () => {
		const r = await emu.callWebhook({
			url: `${url}/hook?lead={{lead.Id}}`,
			template,
			requestTokenEncoding: 'json',
			headers: { Authorization: 'Bearer spotme-token' },
			leadId: 9,
			programId: 1002,
			responseMappings: [
				{ attribute: 'login_url', field: 'spotme_magic_url' },
				{ attribute: 'nested.list[0].v', field: 'title' },
			],
		});
		expect(r.status).toBe(200);
		expect(received[0].url).toBe('/hook?lead=9');
		expect(received[0].headers['content-type']).toBe('application/json');
		expect(received[0].headers.authorization).toBe('Bearer spotme-token');
		expect(JSON.parse(received[0].body)).toEqual({
			email: 'omalley@x.com',
			company: 'O\'Malley "Ace" & Associates',
			marketoId: 9,
			eid: 'eid-summit-2026',
			programId: 1002,
		});
		expect(emu.state.leads.get(9)).toMatchObject({
			spotme_magic_url: 'https://summit.spotme.test/login/abc',
			title: 'x',
		});
		expect(emu.state.activities.filter((a) => a.activityTypeId === 110)).toHaveLength(1);
	});

	it('with token encoding None inserts values raw (a quote breaks the JSON) and sends it as a form post', async () => {
		await emu.callWebhook({ url, template, leadId: 9 });
		expect(received[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(received[0].body).toContain('"company":"O\'Malley "Ace" & Associates"');
		expect(() => JSON.parse(received[0].body)).toThrow();
	});

	it('quotes string tokens itself, so a template that quotes them too sends doubled quotes (""…"")', async () => {
		await emu.callWebhook({
			url,
			template: '{"email": "{{lead.Email Address}}", "id": {{lead.Id}}}',
			requestTokenEncoding: 'json',
			leadId: 9,
		});
		expect(received[0].body).toBe('{"email": ""omalley@x.com"", "id": 9}');
	});

	it('applies no response mapping for a non-2xx answer or after the (scaled) 30 s timeout', async () => {
		answer.status = 500;
		const failed = await emu.callWebhook({
			url,
			template,
			leadId: 9,
			responseMappings: [{ attribute: 'login_url', field: 'spotme_magic_url' }],
		});
		expect(failed.error).toBe('HTTP 500');
		answer = { status: 200, body: JSON.stringify({ login_url: 'late' }), delayMs: 500 }; // 30 s scaled = 300 ms
		const late = await emu.callWebhook({
			url,
			template,
			leadId: 9,
			responseMappings: [{ attribute: 'login_url', field: 'spotme_magic_url' }],
		});
		expect(late.error).toBe('timeout');
		expect(emu.state.leads.get(9)!.spotme_magic_url).toBeUndefined();
	});

	it('is available over the control API', async () => {
		const r = await (
			await fetch(`${emu.baseUrl}/__control/webhook`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({
					url,
					template,
					requestTokenEncoding: 'json',
					leadId: 1,
					responseMappings: [{ attribute: 'login_url', field: 'SpotMe Magic URL' }],
				}),
			})
		).json();
		expect(r.status).toBe(200);
		expect(emu.state.leads.get(1)!.spotme_magic_url).toBe('https://summit.spotme.test/login/abc');
	});
});
