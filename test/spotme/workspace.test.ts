import { loadOptions, runNode } from '../../dev/harness/engine';
import type { SpotMeEmulator } from '../../dev/emulators/spotme';
import { spotMeCredentials, standardSeed, startScaledSpotMe } from './emulator-setup';

describe('SpotMe node › Workspace', () => {
	let emu: SpotMeEmulator;
	beforeAll(async () => (emu = await startScaledSpotMe()));
	afterAll(async () => emu.stop());
	beforeEach(() => {
		emu.reset();
		emu.seed(standardSeed);
	});

	it('Get Many lists the organization’s workspaces without test or inactive ones', async () => {
		const { items, error } = await runNode({
			type: 'spotMe',
			parameters: { resource: 'workspace', operation: 'getAll', returnAll: true },
			...spotMeCredentials(emu),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.id).sort()).toEqual(['ws-summit', 'ws-webinar']);
		expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(emu.callCounts().byRoute['GET /orgs/:orgId/workspaces']).toBe(1);
	});

	it('Get Many keeps test and inactive workspaces when asked, and honours the limit', async () => {
		const all = await runNode({
			type: 'spotMe',
			parameters: {
				resource: 'workspace',
				operation: 'getAll',
				returnAll: true,
				filters: { includeTest: true, includeInactive: true },
			},
			...spotMeCredentials(emu),
		});
		expect(all.items.map((i) => i.json.id).sort()).toEqual([
			'ws-old',
			'ws-sandbox',
			'ws-summit',
			'ws-webinar',
		]);
		const limited = await runNode({
			type: 'spotMe',
			parameters: {
				resource: 'workspace',
				operation: 'getAll',
				returnAll: false,
				limit: 1,
				organizationId: 'org-2',
			},
			...spotMeCredentials(emu),
		});
		expect(limited.items.map((i) => i.json.id)).toEqual(['ws-other-org']);
	});

	it('Get Many filters by name and start date', async () => {
		const { items } = await runNode({
			type: 'spotMe',
			parameters: {
				resource: 'workspace',
				operation: 'getAll',
				returnAll: true,
				filters: {
					nameContains: 'SUMMIT',
					startsAfter: '2026-05-01T00:00:00Z',
					includeInactive: true,
				},
			},
			...spotMeCredentials(emu),
		});
		expect(items.map((i) => i.json.id)).toEqual(['ws-summit']);
	});

	it('the workspace dropdown lists the organization’s workspaces by name', async () => {
		const options = await loadOptions({
			type: 'spotMe',
			method: 'getWorkspaces',
			parameters: {},
			...spotMeCredentials(emu),
		});
		expect(options).toEqual([
			{ name: 'Old Summit', value: 'ws-old' },
			{ name: 'Sandbox', value: 'ws-sandbox' },
			{ name: 'Spring Webinar', value: 'ws-webinar' },
			{ name: 'Summit 2026', value: 'ws-summit' },
		]);
	});

	it('the workspace picker explains that it needs the credential’s Organization ID', async () => {
		await expect(
			loadOptions({
				type: 'spotMe',
				kind: 'listSearch',
				method: 'searchWorkspaces',
				parameters: {},
				...spotMeCredentials(emu, { organizationId: '' }),
			}),
		).rejects.toThrow(
			'Set the Organization ID in the SpotMe credential to pick workspaces from a list',
		);
	});

	it('Get Many without any organization ID fails naming the field and the fix', async () => {
		const { error } = await runNode({
			type: 'spotMe',
			parameters: { resource: 'workspace', operation: 'getAll', returnAll: true },
			...spotMeCredentials(emu, { organizationId: '' }),
		});
		expect(error?.message).toBe('Organization ID is empty');
		expect(emu.callCounts().total).toBe(0);
	});

	it('Get returns one workspace per item, and an unknown one becomes an error item with continue-on-fail', async () => {
		const { items, error } = await runNode({
			type: 'spotMe',
			parameters: {
				resource: 'workspace',
				operation: 'get',
				workspaceId: { __rl: true, mode: 'id', value: '={{ $json.ws }}' },
			},
			items: [{ ws: 'ws-summit' }, { ws: 'ws-missing' }],
			continueOnFail: true,
			...spotMeCredentials(emu),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({ id: 'ws-summit', name: 'Summit 2026' });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json.error).toBe('Workspace ws-missing not found');
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('the workspace picker lists the credential organization’s workspaces, filtered by name', async () => {
		const result = (await loadOptions({
			type: 'spotMe',
			kind: 'listSearch',
			method: 'searchWorkspaces',
			parameters: {},
			filter: 'summit',
			...spotMeCredentials(emu),
		})) as { results: Array<{ name: string; value: string }> };
		expect(result.results).toEqual([
			{ name: 'Summit 2026', value: 'ws-summit' },
			{ name: 'Old Summit (inactive)', value: 'ws-old' },
		]);
	});
});
