/**
 * Guards `npm run demo`: its core (runDemo) runs the five sync flows through n8n's engine against
 * both emulators; these tests check what the emulators hold afterwards, independently of the demo's
 * own checks, and that the demo's self-check fails when a flow goes wrong.
 */
import { runDemo, formatFlow, type DemoResult } from '../../scripts/demo';
import {
	lateRegistrations,
	SUMMIT_PROGRAM_ID,
	SUMMIT_WORKSPACE,
	WEBINAR_TEMPLATE_ID,
	WEBINAR_WORKSPACE,
} from '../../dev/lib/seed';

const LATE = 120;

describe('npm run demo', () => {
	let demo: DemoResult;
	beforeAll(async () => {
		demo = await runDemo({ lateRegistrants: LATE });
	});
	afterAll(async () => await demo?.stop());

	it('passes every check of all five flows, without error items', () => {
		const failed = demo.flows.flatMap((f) =>
			f.checks.filter((c) => !c.ok).map((c) => `flow ${f.id}: ${c.what}`),
		);
		expect(failed).toEqual([]);
		expect(demo.ok).toBe(true);
		expect(demo.flows.map((f) => f.id)).toEqual([1, 2, 3, 4, 5]);
		expect(demo.flows.every((f) => f.errorItems.length === 0)).toBe(true);
	});

	it('leaves every registrant exactly once in both systems, linked both ways', () => {
		const leads = [...demo.marketo.state.leads.values()];
		const emails = leads.map((l) => String(l.email).toLowerCase());
		expect(new Set(emails).size).toBe(emails.length);
		// 6 seeded leads + Hedy and Barbara (Linus matched lead 6 by email) + the late registrants
		expect(leads).toHaveLength(6 + 2 + LATE);

		const people = demo.spotme.state.people(SUMMIT_WORKSPACE);
		// 3 SpotMe-only people + 4 registered Marketo members + the late registrants; nobody twice
		expect(people).toHaveLength(3 + 4 + LATE);
		const members = demo.marketo.state.members.get(SUMMIT_PROGRAM_ID)!;
		for (const p of people) {
			const leadId = Number(p.marketo_lead_id);
			const lead = demo.marketo.state.leads.get(leadId);
			expect(lead && String(lead.email).toLowerCase()).toBe(String(p.email).toLowerCase());
			expect(members.get(leadId)?.spotme_login_url).toBe(p.login_url);
		}
		expect(demo.spotme.state.getDoc(SUMMIT_WORKSPACE, 'person', 'sm-linus')?.marketo_lead_id).toBe(
			'6',
		);
		expect(demo.spotme.state.getDoc(SUMMIT_WORKSPACE, 'person', 'mkto-5')).toBeUndefined();
	});

	it('sets program statuses from attendance and writes both attendance custom objects', () => {
		const members = demo.marketo.state.members.get(SUMMIT_PROGRAM_ID)!;
		const status = (leadId: number) => members.get(leadId)?.statusName;
		expect([1, 2, 3, 4, 5, 6].map(status)).toEqual([
			'Attended',
			'No Show',
			'No Show',
			'Attended',
			'Invited',
			'Attended',
		]);
		const hedy = Number(
			demo.spotme.state.getDoc(SUMMIT_WORKSPACE, 'person', 'sm-hedy')?.marketo_lead_id,
		);
		const barbara = Number(
			demo.spotme.state.getDoc(SUMMIT_WORKSPACE, 'person', 'sm-barbara')?.marketo_lead_id,
		);
		expect([status(hedy), status(barbara)]).toEqual(['Attended', 'No Show']);
		const late = lateRegistrations(LATE).map((p) =>
			Number(demo.spotme.state.getDoc(SUMMIT_WORKSPACE, 'person', p._id)?.marketo_lead_id),
		);
		expect(late.every((id) => status(id) === 'Registered')).toBe(true);

		const streams = demo.marketo.state.customObjects.get('spotMeAttendance_c') ?? [];
		expect(
			streams.map((r) => `${r.spotMeUserId}/${r.spotMeStreamId}/${r.personId}`).sort(),
		).toEqual(
			[
				'mkto-1/keynote/1',
				'mkto-1/panel/1',
				'mkto-2/keynote/2',
				`sm-hedy/keynote/${hedy}`,
				'sm-linus/keynote/6',
			].sort(),
		);
		const events = demo.marketo.state.customObjects.get('spotMeEventAttendance_c') ?? [];
		expect(events).toHaveLength(7);
		expect(events.find((r) => r.spotMeUserId === 'mkto-4')).toMatchObject({
			personId: 4,
			attendanceStatus: 'Attended',
			attendanceType: 'in-person',
		});
	});

	it('clones the template once for the new event, with the SpotMe workspace id as My Token', () => {
		const copies = [...demo.marketo.state.programs.values()].filter(
			(p) => p.name === 'Customer Webinar December 2026',
		);
		expect(copies).toHaveLength(1);
		expect(copies[0].tokens?.find((t) => t.name === 'spotme_id')?.value).toBe(WEBINAR_WORKSPACE);
		expect(
			demo.marketo.state.programs
				.get(WEBINAR_TEMPLATE_ID)
				?.tokens?.find((t) => t.name === 'spotme_id')?.value,
		).toBe('');
	});

	it('really went through refusals and expired tokens in the robustness flow, and reports the calls per service', () => {
		const flow5 = demo.flows[4];
		expect(
			(flow5.marketoCalls.refused['606'] ?? 0) + (flow5.marketoCalls.refused['615'] ?? 0),
		).toBeGreaterThanOrEqual(3);
		expect(flow5.marketoCalls.refused['602']).toBeGreaterThanOrEqual(2);
		expect(flow5.marketoCalls.tokens).toBeGreaterThanOrEqual(2);
		// 120 registrants fit in one batch per write: lead upsert, set status and update fields, plus the refused calls.
		expect(flow5.marketoCalls.byRoute['POST /v1/leads.json']).toBeGreaterThanOrEqual(1);
		const report = formatFlow(flow5).join('\n');
		expect(report).toContain('Marketo');
		expect(report).toContain('SpotMe');
		expect(report).toContain('Errors: none');
		// The report never shows a secret.
		const all = demo.flows.flatMap(formatFlow).join('\n');
		expect(all).not.toContain(demo.marketo.clientSecret);
		expect(all).not.toContain(demo.spotme.token);
	});
});

describe('npm run demo when something goes wrong', () => {
	it('fails its own checks and names the error item when Marketo refuses a registrant', async () => {
		const broken = await runDemo({
			lateRegistrants: 10,
			beforeFlow: (id, { marketo }) => {
				// Before Flow 2, Marketo starts refusing Hedy's lead for good.
				if (id === 2)
					marketo.setFaults({
						perRecord: [
							{
								kind: 'lead',
								match: { email: 'hedy@example.com' },
								code: '1001',
								message: "Invalid value for field 'email'",
							},
						],
					});
				if (id === 3) marketo.setFaults({});
			},
		});
		try {
			expect(broken.ok).toBe(false);
			const flow2 = broken.flows[1];
			expect(flow2.checks.filter((c) => !c.ok).map((c) => c.what)).toEqual(
				expect.arrayContaining([
					expect.stringContaining('hedy@example.com once (found 0)'),
					'no error items',
				]),
			);
			expect(
				flow2.errorItems.some((e) => e.startsWith('Marketo lead, item 0:') && e.includes('1001')),
			).toBe(true);
			expect(formatFlow(flow2).join('\n')).toContain('FAILED');
			// The other registrants of that flow still made it.
			expect(
				broken.marketo.state.members.get(SUMMIT_PROGRAM_ID)?.get(6)?.spotme_login_url,
			).toBeDefined();
		} finally {
			await broken.stop();
		}
	});
});
