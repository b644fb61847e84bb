/**
 * Simplify on the Get Many operations (issue 12): only fields with a value, no `seq`; off by default
 * so saved workflows keep their output. Lead, Program Member and Custom Object › Get Many.
 */
import type { MarketoEmulator } from '../../dev/emulators/marketo';
import { marketoSeed, SUMMIT_PROGRAM_ID } from '../../dev/lib/seed';
import { runMarketo, startEmulator } from './setup';

let emu: MarketoEmulator;
beforeAll(async () => {
	emu = await startEmulator();
});
afterAll(async () => emu.stop());
beforeEach(() => {
	emu.reset();
	emu.seed(marketoSeed());
});

const hasEmpty = (j: Record<string, unknown>) =>
	Object.entries(j).some(([k, v]) => k === 'seq' || v === null || v === '');

describe('Simplify on Get Many', () => {
	it('Lead › Get Many: the chosen fields without the empty ones', async () => {
		const params = {
			resource: 'lead',
			operation: 'getAll',
			filterType: 'email',
			filterValues: 'ada@example.com',
			fields: ['email', 'firstName', 'phone', 'title'],
			returnAll: true,
		};
		const raw = await runMarketo(emu, params);
		expect(raw.json[0]).toHaveProperty('phone', null); // Marketo lists an empty field as null
		const simple = await runMarketo(emu, { ...params, simplify: true });
		expect(simple.error).toBeUndefined();
		expect(simple.json).toEqual([{ id: 1, email: 'ada@example.com', firstName: 'Ada' }]);
	});

	it('Program Member › Get Many and Custom Object › Get Many offer it too', async () => {
		const member = await runMarketo(emu, {
			resource: 'programMember',
			operation: 'getAll',
			programId: { __rl: true, mode: 'id', value: String(SUMMIT_PROGRAM_ID) },
			filterType: 'leadId',
			filterValues: '1',
			returnAll: true,
			simplify: true,
		});
		expect(member.error).toBeUndefined();
		expect(member.json.length).toBeGreaterThan(0);
		expect(member.json.filter(hasEmpty)).toEqual([]);
		const { Marketo } = await import('../../nodes/Marketo/Marketo.node');
		const simplifyOn = new Marketo().description.properties
			.filter((p) => p.name === 'simplify')
			.map((p) => `${p.displayOptions?.show?.resource}:${p.displayOptions?.show?.operation}`);
		expect(simplifyOn).toEqual(
			expect.arrayContaining(['customObject:getAll', 'lead:getAll', 'programMember:getAll']),
		);
	});
});
