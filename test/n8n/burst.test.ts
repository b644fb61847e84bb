/**
 * A burst of Marketo Call Webhook deliveries against the bundled marketo-to-spotme-lead-push.json
 * in a real n8n (issue 14): every delivery is answered 2xx with its own person's login_url, the
 * lead id rides in the one upsert, concurrent executions may share it, and no Marketo API call is
 * made. Latency is not asserted here (the benchmark measures it: webhook-burst rows).
 */

import { startMarketoEmulator, type MarketoEmulator } from '../../dev/emulators/marketo';
import { startSpotMeEmulator, type SpotMeEmulator } from '../../dev/emulators/spotme';
import { marketoSeed } from '../../dev/lib/seed';
import { FIRST_START_TIMEOUT_MS, startN8n, type N8nInstance } from '../../dev/n8n/harness';
import { publishLeadPush } from '../../dev/lib/bench/webhookBurst';
import { PAYLOAD_TEMPLATE_LINES } from '../../nodes/Marketo/trigger/webhookDescription';

const SECRET = 'burst-test-secret-0123456789abcdef';
const WORKSPACE = 'eid-burst';

let n8n: N8nInstance;
let marketo: MarketoEmulator;
let spotme: SpotMeEmulator;

beforeAll(async () => {
	marketo = await startMarketoEmulator({ seed: marketoSeed() });
	spotme = await startSpotMeEmulator({
		timeScale: 0.01,
		tokens: ['sm-burst'],
		seed: { workspaces: [{ id: WORKSPACE, name: 'Burst' }] } as never,
	});
	n8n = await startN8n();
}, FIRST_START_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
	await marketo?.stop();
	await spotme?.stop();
}, 60000);

it('50 concurrent deliveries: every answer 200 with its own login_url, the people share SpotMe batch upserts with one email-match read each, no Marketo call', async () => {
	const { workflowId, webhookId } = await publishLeadPush(n8n, spotme.apiUrl, WORKSPACE, SECRET);

	const leads = Array.from({ length: 50 }, (_, i) => 300_000 + i);
	marketo.seed({
		leads: leads.map((lid) => ({
			id: lid,
			email: `b${lid}@example.com`,
			firstName: 'Burst',
			lastName: String(lid),
			company: 'Burst & "Co"',
		})),
	} as never);
	const logBefore = spotme.requestLog().length;
	const marketoBefore = Object.values(marketo.callCounts()).reduce((a, b) => a + b, 0);
	// Straight to n8n (no 30 s cut-off): this test is about sharing, the benchmark about time.
	const answers = await Promise.all(
		leads.map(async (leadId) => {
			const lead = marketo.state.leads.get(leadId)!;
			const body = `{${PAYLOAD_TEMPLATE_LINES.slice(0, 5)
				.join(', ')
				.replace('{{lead.Email Address}}', JSON.stringify(lead.email))
				.replace('{{lead.First Name}}', JSON.stringify(lead.firstName))
				.replace('{{lead.Last Name}}', JSON.stringify(lead.lastName))
				.replace('{{company.Company Name}}', JSON.stringify(lead.company))
				.replace('{{lead.Id}}', String(leadId))}}`;
			const res = await fetch(n8n.webhookUrl(`${webhookId}/marketo`), {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${SECRET}` },
				body,
			});
			return { leadId, status: res.status, body: (await res.json()) as { login_url?: string } };
		}),
	);
	const calls = spotme
		.requestLog()
		.slice(logBefore)
		.map((e) => e.route);
	const count = (route: string) => calls.filter((r) => r === route).length;
	const upserts = count('POST /workspace/:eid/global/docs/:type');
	// The workflow matches people by email (issue 13): one read of the workspace's changes per
	// shared upsert, not a read of the whole workspace per delivery (51 reads for 50 before). GET /me
	// is the fresh credential's check: once, as SpotMe requests go one at a time per credential.
	expect({
		readsAtMostUpserts: count('POST /workspace/:eid/global/docs/:type/changes/since') <= upserts,
		me: count('GET /me') <= 1,
	}).toEqual({ readsAtMostUpserts: true, me: true });
	for (const a of answers) {
		const person = spotme.state.getDoc(WORKSPACE, 'person', `mkto-${a.leadId}`);
		expect({ status: a.status, login_url: a.body.login_url }).toEqual({
			status: 200,
			login_url: person?.login_url,
		});
		expect(String(person?.marketo_lead_id)).toBe(String(a.leadId));
	}
	// The 50 people reach SpotMe in shared batch upserts (before: an upsert and a Set Marketo Lead
	// ID call per delivery, 100 in all). Seen at load average 19 on 2 cores: 2 calls.
	expect(upserts).toBeLessThan(leads.length / 2);
	expect(Object.values(marketo.callCounts()).reduce((a, b) => a + b, 0)).toBe(marketoBefore);
	await n8n.deactivate(workflowId);
}, 600000);
