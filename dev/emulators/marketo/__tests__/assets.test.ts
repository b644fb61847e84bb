import { startMarketoEmulator, seedPresets, type MarketoEmulator } from '../index';
import { client, codeOf } from './helpers';

const NO_ASSETS = 'No assets found for the given search criteria.';

describe('Marketo emulator: assets (programs, clone, tokens, channels, folders)', () => {
	let emu: MarketoEmulator;
	let c: ReturnType<typeof client>;
	beforeEach(async () => {
		emu = await startMarketoEmulator({ seed: seedPresets.spotme() });
		c = client(emu);
	});
	afterEach(() => emu.stop());

	it('gets a program by id and by name with the asset envelope; an unknown one gives the "No assets found" warning', async () => {
		const r = await c.get('/rest/asset/v1/program/1002.json');
		expect(r.body).toMatchObject({ success: true, errors: [], warnings: [] });
		expect(r.body.result[0]).toMatchObject({
			id: 1002,
			name: 'SpotMe Summit 2026',
			channel: 'Live Event',
			type: 'Event',
			folder: { type: 'Folder', value: 13, folderName: 'Events' },
		});
		const byName = await c.get('/rest/asset/v1/program/byName.json', {
			name: 'SpotMe Webinar Template',
			includeTags: 'true',
		});
		expect(byName.body.result[0]).toMatchObject({ id: 1001, tags: [] });
		const missing = await c.get('/rest/asset/v1/program/9999.json');
		expect(missing.body).toEqual({
			success: true,
			errors: [],
			requestId: expect.any(String),
			warnings: [NO_ASSETS],
		});
		expect(missing.body.result).toBeUndefined();
	});

	it('browses programs with offset/maxReturn and signals the end with the warning, and rejects maxReturn > 200', async () => {
		emu.seed({ programs: Array.from({ length: 5 }, (_, i) => ({ name: `P${i}` })) });
		const seen: number[] = [];
		for (let offset = 0; ; offset += 3) {
			const r = await c.get('/rest/asset/v1/programs.json', { offset, maxReturn: 3 });
			if (!r.body.result) {
				expect(r.body.warnings).toEqual([NO_ASSETS]);
				break;
			}
			expect(r.body.result[0].tags).toBeUndefined();
			seen.push(...r.body.result.map((p: any) => p.id));
		}
		expect(seen).toHaveLength(7);
		expect(new Set(seen).size).toBe(7);
		expect(codeOf(await c.get('/rest/asset/v1/programs.json', { maxReturn: 201 }))).toBe('1003');
	});

	it('clones a program from form fields (name, folder JSON, description), copying channel and My Tokens', async () => {
		const r = await c.form('/rest/asset/v1/program/1001/clone.json', {
			name: 'Webinar Nov 2026',
			folder: JSON.stringify({ id: 13, type: 'Folder' }),
			description: 'from template',
		});
		expect(r.body.success).toBe(true);
		const id = r.body.result[0].id;
		expect(r.body.result[0]).toMatchObject({
			name: 'Webinar Nov 2026',
			description: 'from template',
			channel: 'Webinar',
			folder: { type: 'Folder', value: 13 },
		});
		expect(emu.state.programs.get(id)!.tokens).toEqual([
			{ name: 'spotme_id', type: 'text', value: '' },
		]);
		const dup = await c.form('/rest/asset/v1/program/1001/clone.json', {
			name: 'Webinar Nov 2026',
			folder: JSON.stringify({ id: 13, type: 'Folder' }),
		});
		expect(codeOf(dup)).toBe('709');
		const badFolder = await c.form('/rest/asset/v1/program/1001/clone.json', {
			name: 'Other',
			folder: JSON.stringify({ id: 999, type: 'Folder' }),
		});
		expect(codeOf(badFolder)).toBe('710');
		expect(emu.state.programs.size).toBe(3);
	});

	it('reads, creates-or-updates and deletes program My Tokens with form-encoded requests', async () => {
		const up = await c.form('/rest/asset/v1/folder/1002/tokens.json', {
			name: 'spotme_id',
			type: 'text',
			value: 'eid-42',
			folderType: 'Program',
		});
		expect(up.body.result[0]).toEqual({
			folder: { type: 'Program', value: 1002 },
			tokens: [{ name: 'spotme_id', type: 'text', value: 'eid-42', computedUrl: null }],
		});
		await c.form('/rest/asset/v1/folder/1002/tokens.json', {
			name: 'Login URL',
			type: 'text',
			value: 'https://x',
			folderType: 'Program',
		});
		const list = await c.get('/rest/asset/v1/folder/1002/tokens.json', { folderType: 'Program' });
		expect(list.body.result[0].tokens.map((t: any) => [t.name, t.value])).toEqual([
			['spotme_id', 'eid-42'],
			['Login URL', 'https://x'],
		]);
		const del = await c.form('/rest/asset/v1/folder/1002/tokens/delete.json', {
			name: 'Login URL',
			type: 'text',
			folderType: 'Program',
		});
		expect(del.body.result).toEqual([{ id: 1002 }]);
		expect(emu.state.programs.get(1002)!.tokens.map((t) => t.name)).toEqual(['spotme_id']);
		const long = await c.form('/rest/asset/v1/folder/1002/tokens.json', {
			name: 'x'.repeat(51),
			type: 'text',
			value: 'v',
			folderType: 'Program',
		});
		expect(long.body.success).toBe(false);
	});

	it('also reads form fields sent as multipart/form-data', async () => {
		const fd = new FormData();
		fd.append('name', 'spotme_id');
		fd.append('type', 'text');
		fd.append('value', 'eid-multi');
		fd.append('folderType', 'Program');
		const tok = (await (
			await fetch(
				`${emu.identityUrl}/oauth/token?grant_type=client_credentials&client_id=${emu.clientId}&client_secret=${emu.clientSecret}`,
			)
		).json()) as any;
		const r = await fetch(`${emu.restUrl}/asset/v1/folder/1002/tokens.json`, {
			method: 'POST',
			body: fd,
			headers: { Authorization: `Bearer ${tok.access_token}` },
		});
		expect(r.status).toBe(200);
		expect(emu.state.programs.get(1002)!.tokens).toEqual([
			{ name: 'spotme_id', type: 'text', value: 'eid-multi' },
		]);
	});

	it('does not accept My Tokens as JSON (they must be form-encoded)', async () => {
		const r = await c.post('/rest/asset/v1/folder/1002/tokens.json', {
			name: 'a',
			type: 'text',
			value: 'b',
			folderType: 'Program',
		});
		expect(r.status).toBe(400);
		expect(r.body.errors[0].message).toMatch(/consumes application\/x-www-form-urlencoded/);
		expect(emu.state.programs.get(1002)!.tokens.map((t) => t.name)).toEqual(['spotme_id']);
	});

	it('lists channels with progression statuses and steps, and finds one by name', async () => {
		const all = await c.get('/rest/asset/v1/channels.json', { maxReturn: 200 });
		expect(all.body.result.map((ch: any) => ch.name)).toEqual(
			expect.arrayContaining(['Webinar', 'Live Event']),
		);
		const w = await c.get('/rest/asset/v1/channel/byName.json', { name: 'Webinar' });
		expect(
			w.body.result[0].progressionStatuses.map((s: any) => [s.name, s.step, s.success]),
		).toEqual([
			['Not in Program', 0, false],
			['Invited', 10, false],
			['Registered', 20, false],
			['No Show', 30, false],
			['Attended', 40, true],
			['Attended On-demand', 40, true],
		]);
		expect(
			(await c.get('/rest/asset/v1/channel/byName.json', { name: 'Nope' })).body.warnings,
		).toEqual([NO_ASSETS]);
	});

	it('gets folders by id, by name and browses a folder tree including programs', async () => {
		const f = await c.get('/rest/asset/v1/folder/13.json', { type: 'Folder' });
		expect(f.body.result[0]).toMatchObject({
			id: 13,
			name: 'Events',
			folderType: 'Marketing Folder',
			parent: { id: 12, type: 'Folder' },
			path: '/Marketing Activities/Events',
		});
		const pf = await c.get('/rest/asset/v1/folder/1002.json', { type: 'Program' });
		expect(pf.body.result[0]).toMatchObject({ folderType: 'Program', name: 'SpotMe Summit 2026' });
		const byName = await c.get('/rest/asset/v1/folder/byName.json', { name: 'Templates' });
		expect(byName.body.result[0].id).toBe(14);
		const tree = await c.get('/rest/asset/v1/folders.json', {
			root: JSON.stringify({ id: 13, type: 'Folder' }),
			maxDepth: 2,
		});
		expect(tree.body.result.map((x: any) => x.name)).toEqual(['Events', 'SpotMe Summit 2026']);
		const created = await c.form('/rest/asset/v1/folders.json', {
			name: 'Webinars 2026',
			parent: JSON.stringify({ id: 13, type: 'Folder' }),
		});
		expect(created.body.result[0]).toMatchObject({
			name: 'Webinars 2026',
			parent: { id: 13, type: 'Folder' },
		});
	});

	it('creates and updates a program (form-encoded)', async () => {
		const r = await c.form('/rest/asset/v1/programs.json', {
			name: 'New Webinar',
			folder: JSON.stringify({ id: 13, type: 'Folder' }),
			type: 'Event',
			channel: 'Webinar',
		});
		expect(r.body.result[0]).toMatchObject({ name: 'New Webinar', channel: 'Webinar' });
		const u = await c.form(`/rest/asset/v1/program/${r.body.result[0].id}.json`, {
			description: 'updated',
		});
		expect(u.body.result[0].description).toBe('updated');
	});
});
