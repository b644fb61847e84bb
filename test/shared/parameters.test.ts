/**
 * Per-item parameter reads without n8n's expression engine (nodes/shared/kit/parameters.ts): the
 * shapes that only read data (`$json.field`, `$('Node').first().json.field`,
 * `$('Node').item.json.field`) give what n8n's engine gives, are not sent to the engine once per
 * item, and everything else still is.
 */
import { Expression } from 'n8n-workflow';

import { runWorkflow, PACKAGE_NAME } from '../../dev/harness/engine';
import { shapeOf } from '../../nodes/shared/kit/parameters';
import { credentialsFor, LOGIN_URL_MEMBER_FIELD, startEmulator } from '../marketo/setup';

const PROGRAM = 1001;
const N = 40;

describe('kit: per-item parameters without the expression engine', () => {
	it('knows the three shapes and nothing else', () => {
		expect(shapeOf('={{ $json.email }}')).toEqual({ kind: 'json', path: ['email'] });
		expect(shapeOf('={{$json["first name"].x}}')).toEqual({
			kind: 'json',
			path: ['first name', 'x'],
		});
		expect(shapeOf("={{ $('Settings').first().json.programId }}")).toEqual({
			kind: 'first',
			node: 'Settings',
			path: ['programId'],
		});
		expect(shapeOf('={{ $("Without Marketo Lead ID").item.json._id }}')).toEqual({
			kind: 'item',
			node: 'Without Marketo Lead ID',
			path: ['_id'],
		});
		for (const other of [
			'{{ $json.email }}', // not an expression (no "=")
			'={{ $json.email }} ',
			'={{ $json.email }}@x',
			'={{ $json.email.toLowerCase() }}',
			'={{ $json.a || $json.b }}',
			"={{ $('Settings').all()[0].json.x }}",
			"={{ $('Settings').last().json.x }}",
			'={{ $input.item.json.x }}',
			'={{ $json }}',
			"={{ $('A').item.json.x }}{{ $json.y }}",
		])
			expect({ other, shape: shapeOf(other) }).toEqual({ other, shape: undefined });
	});

	it('a lead push chain reads $json, first() and paired .item fields as the engine does, without the engine per item', async () => {
		const emu = await startEmulator({
			seed: {
				programMemberFields: [LOGIN_URL_MEMBER_FIELD],
				programs: [{ id: PROGRAM, name: '2026 Spring Summit', channel: 'Live Event' }],
			},
		});
		const people = Array.from({ length: N }, (_, i) => ({
			_id: `p${i}`,
			email: `p${i}@example.com`,
			fname: `First${i}`,
			'last name': `Last${i}`,
			login_url: `https://app.example.com/login/${i}`,
		}));
		const { credentials, credentialsHelper } = credentialsFor(emu);
		const spy = jest.spyOn(Expression.prototype, 'resolveSimpleParameterValue');
		try {
			const link = (node: string) => ({ main: [[{ node, type: 'main' as never, index: 0 }]] });
			const result = await runWorkflow(
				{
					nodes: [
						{
							name: 'Settings',
							type: 'test.items',
							parameters: {
								items: JSON.stringify([{ programId: String(PROGRAM), status: 'Registered' }]),
							},
						},
						{ name: 'People', type: 'test.items', parameters: { items: JSON.stringify(people) } },
						{
							name: 'Lead',
							type: `${PACKAGE_NAME}.marketo`,
							credentials,
							parameters: {
								resource: 'lead',
								operation: 'upsert',
								syncAction: 'createOrUpdate',
								lookupField: 'email',
								fields: {
									mappingMode: 'defineBelow',
									value: {
										email: '={{ $json.email }}',
										firstName: '={{ $json.fname }}',
										lastName: '={{ $json["last name"] }}',
										title: '={{ $json.missing }}',
									},
									matchingColumns: [],
									schema: [],
								},
							},
						},
						{
							name: 'Register',
							type: `${PACKAGE_NAME}.marketo`,
							credentials,
							parameters: {
								resource: 'programMember',
								operation: 'setStatus',
								programId: {
									__rl: true,
									mode: 'id',
									value: "={{ $('Settings').first().json.programId }}",
								},
								leadId: '={{ $json.id }}',
								statusName: "={{ $('Settings').first().json.status }}",
							},
						},
						{
							name: 'Login URL',
							type: `${PACKAGE_NAME}.marketo`,
							credentials,
							parameters: {
								resource: 'programMember',
								operation: 'updateFields',
								programId: {
									__rl: true,
									mode: 'id',
									value: "={{ $('Settings').first().json.programId }}",
								},
								leadId: "={{ $('Lead').item.json.id }}",
								memberFields: {
									field: [
										{ name: 'spotmeLoginUrl', value: "={{ $('People').item.json.login_url }}" },
									],
								},
							},
						},
					],
					connections: {
						Settings: link('People'),
						People: link('Lead'),
						Lead: link('Register'),
						Register: link('Login URL'),
					},
				},
				credentialsHelper,
			);
			expect(result.error).toBeUndefined();
			const leads = [...emu.state.leads.values()];
			expect(leads).toHaveLength(N);
			for (const [i, p] of people.entries()) {
				const lead = leads.find((l) => l.email === p.email)!;
				expect({
					i,
					firstName: lead.firstName,
					lastName: lead.lastName,
					title: lead.title,
				}).toEqual({ i, firstName: p.fname, lastName: p['last name'], title: undefined });
				expect({ i, member: emu.state.members.get(PROGRAM)?.get(Number(lead.id)) }).toMatchObject({
					i,
					member: { statusName: 'Registered', spotmeLoginUrl: p.login_url },
				});
			}
			// The engine saw the test nodes' own parameters, not one expression per item and field.
			const perItem = spy.mock.calls
				.map(([value]) => value)
				.filter((value) => typeof value === 'string' && /\$json|\.item\.|\.first\(\)/.test(value));
			// Only the program's locator, once per node (its name-or-id resolution is n8n's), not per item.
			expect(perItem.filter((v) => !String(v).includes('.first()'))).toEqual([]);
			expect(perItem.length).toBeLessThanOrEqual(2);
		} finally {
			spy.mockRestore();
			await emu.stop();
		}
	});

	it('anything else still goes through the engine for every item', async () => {
		const emu = await startEmulator();
		const { credentials, credentialsHelper } = credentialsFor(emu);
		const spy = jest.spyOn(Expression.prototype, 'resolveSimpleParameterValue');
		try {
			const result = await runWorkflow(
				{
					nodes: [
						{
							name: 'People',
							type: 'test.items',
							parameters: {
								items: JSON.stringify([{ email: 'A@Example.com' }, { email: 'B@Example.com' }]),
							},
						},
						{
							name: 'Lead',
							type: `${PACKAGE_NAME}.marketo`,
							credentials,
							parameters: {
								resource: 'lead',
								operation: 'upsert',
								syncAction: 'createOrUpdate',
								lookupField: 'email',
								fields: {
									mappingMode: 'defineBelow',
									value: { email: '={{ $json.email.toLowerCase() }}' },
									matchingColumns: [],
									schema: [],
								},
							},
						},
					],
					connections: { People: { main: [[{ node: 'Lead', type: 'main' as never, index: 0 }]] } },
				},
				credentialsHelper,
			);
			expect(result.error).toBeUndefined();
			expect([...emu.state.leads.values()].map((l) => l.email).sort()).toEqual([
				'a@example.com',
				'b@example.com',
			]);
			expect(
				spy.mock.calls.map(([value]) => value).filter((v) => String(v).includes('toLowerCase')),
			).toHaveLength(2);
		} finally {
			spy.mockRestore();
			await emu.stop();
		}
	});
});
