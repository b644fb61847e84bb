/** Asset API: programs (get, byName, browse, create, update, clone, delete), My Tokens, channels, folders. */
import type { Router } from '../router';
import { ApiError, assetOk, param } from '../context';
import type { Ctx, Reply } from '../context';
import type { Folder, FolderRef, MarketoState, MyToken, Program } from '../state';
import { nowIso } from '../state';

const TOKEN_TYPES = ['date', 'number', 'rich text', 'score', 'sfdc campaign', 'text'];

function aerr(code: string, message: string): never {
	throw new ApiError(code, message, true);
}

function folderName(state: MarketoState, ref: FolderRef): string {
	if (ref.type === 'Program') return state.programs.get(ref.id)?.name ?? '';
	return state.folders.get(ref.id)?.name ?? '';
}

/** The fields every Marketo answer about a program starts with (program, folder, leads' membership). */
export function programIdentity(p: Program): Record<string, unknown> {
	return {
		id: p.id,
		name: p.name,
		description: p.description,
		createdAt: p.createdAt,
		updatedAt: p.updatedAt,
		url: `https://app.marketo.com/#PG${p.id}A1`,
	};
}

function programView(
	state: MarketoState,
	p: Program,
	opts: { tags?: boolean; costs?: boolean } = {},
): Record<string, unknown> {
	return {
		...programIdentity(p),
		type: p.type,
		channel: p.channel,
		folder: { type: p.folder.type, value: p.folder.id, folderName: folderName(state, p.folder) },
		status: p.status,
		workspace: p.workspace,
		headStart: false,
		...(opts.tags ? { tags: p.tags } : {}),
		...(opts.costs ? { costs: p.costs } : {}),
	};
}

/** maxReturn (default 20, max 200) and offset for asset browsing. */
function paging(ctx: Ctx): { offset: number; maxReturn: number } {
	const maxReturn = Number(param(ctx, 'maxReturn') ?? 20);
	const offset = Number(param(ctx, 'offset') ?? 0);
	if (!Number.isInteger(maxReturn) || maxReturn < 1 || maxReturn > 200)
		aerr('1003', `maxReturn must be between 1 and 200 (got '${param(ctx, 'maxReturn')}')`);
	if (!Number.isInteger(offset) || offset < 0)
		aerr('1003', `Invalid offset '${param(ctx, 'offset')}'`);
	return { offset, maxReturn };
}

function parseFolderParam(raw: string | undefined, field = 'folder'): FolderRef {
	if (!raw) aerr('701', `${field} cannot be blank`);
	let v: any;
	try {
		v = JSON.parse(raw!);
	} catch {
		aerr('1003', `Invalid ${field}: expected JSON like {"id":123,"type":"Folder"}`);
	}
	const id = Number(v?.id);
	const type = v?.type;
	if (!Number.isInteger(id) || (type !== 'Folder' && type !== 'Program'))
		aerr('1003', `Invalid ${field}: expected {"id":<int>,"type":"Folder"|"Program"}`);
	return { id, type };
}

function checkFolderExists(state: MarketoState, ref: FolderRef): void {
	const exists = ref.type === 'Folder' ? state.folders.has(ref.id) : state.programs.has(ref.id);
	if (!exists) aerr('710', `Parent Folder Not Found: ${ref.type} ${ref.id}`);
}

function workspaceOf(state: MarketoState, ref: FolderRef): string {
	return (
		(ref.type === 'Folder'
			? state.folders.get(ref.id)?.workspace
			: state.programs.get(ref.id)?.workspace) ?? 'Default'
	);
}

function programById(ctx: Ctx): Program | undefined {
	return ctx.state.programs.get(Number(ctx.pathParams.id));
}

function nameInUse(state: MarketoState, name: string): boolean {
	const lower = name.toLowerCase();
	return (
		[...state.programs.values()].some((p) => p.name.toLowerCase() === lower) ||
		[...state.folders.values()].some((f) => f.name.toLowerCase() === lower)
	);
}

function rejectJson(ctx: Ctx): void {
	// Asset writes are form-encoded; a JSON body is not read by Marketo.
	if (ctx.body !== undefined)
		aerr('612', 'Invalid Content Type: send application/x-www-form-urlencoded');
}

function getProgram(ctx: Ctx): Reply {
	const p = programById(ctx);
	return assetOk(p ? [programView(ctx.state, p, { tags: true, costs: true })] : []);
}

function getProgramByName(ctx: Ctx): Reply {
	const name = param(ctx, 'name') ?? '';
	const p = [...ctx.state.programs.values()].find((x) => x.name === name);
	return assetOk(
		p
			? [
					programView(ctx.state, p, {
						tags: param(ctx, 'includeTags') === 'true',
						costs: param(ctx, 'includeCosts') === 'true',
					}),
				]
			: [],
	);
}

function browsePrograms(ctx: Ctx): Reply {
	const { offset, maxReturn } = paging(ctx);
	let list = [...ctx.state.programs.values()].sort((a, b) => a.id - b.id);
	const filterType = param(ctx, 'filterType');
	if (filterType) {
		const values = (param(ctx, 'filterValues') ?? '').split(',').filter(Boolean);
		if (!values.length) aerr('701', 'filterValues cannot be blank');
		list = list.filter((p) => {
			if (filterType === 'id' || filterType === 'programId') return values.includes(String(p.id));
			if (filterType === 'folderId') return values.includes(String(p.folder.id));
			if (filterType === 'workspace') return values.includes(p.workspace);
			return true;
		});
	}
	const earliest = param(ctx, 'earliestUpdatedAt');
	const latest = param(ctx, 'latestUpdatedAt');
	if (earliest) list = list.filter((p) => Date.parse(p.updatedAt) >= Date.parse(earliest));
	if (latest) list = list.filter((p) => Date.parse(p.updatedAt) <= Date.parse(latest));
	const status = param(ctx, 'status');
	if (status) list = list.filter((p) => p.status === status);
	// Browse results carry no tags; the end of the list is the "No assets found" warning.
	return assetOk(list.slice(offset, offset + maxReturn).map((p) => programView(ctx.state, p)));
}

function createProgram(ctx: Ctx): Reply {
	rejectJson(ctx);
	const name = param(ctx, 'name') ?? '';
	if (!name) aerr('701', 'name cannot be blank');
	if (name.length > 255) aerr('1003', 'name must be at most 255 characters');
	const folder = parseFolderParam(param(ctx, 'folder'));
	checkFolderExists(ctx.state, folder);
	const channel = param(ctx, 'channel') ?? '';
	if (!ctx.state.channels.some((c) => c.name === channel))
		aerr('709', `Business Rule Violation: channel '${channel}' not found`);
	if (nameInUse(ctx.state, name))
		aerr('709', `Business Rule Violation: program name '${name}' is already in use`);
	const at = nowIso();
	const p: Program = {
		id: ctx.state.nextProgramId++,
		name,
		description: param(ctx, 'description') ?? '',
		type: param(ctx, 'type') ?? 'Default',
		channel,
		folder,
		status: '',
		workspace: workspaceOf(ctx.state, folder),
		tags: [],
		costs: [],
		tokens: [],
		createdAt: at,
		updatedAt: at,
	};
	ctx.state.programs.set(p.id, p);
	return assetOk([programView(ctx.state, p, { tags: true, costs: true })]);
}

function updateProgram(ctx: Ctx): Reply {
	rejectJson(ctx);
	const p = programById(ctx);
	if (!p) aerr('702', `Program ${ctx.pathParams.id} not found`);
	const name = param(ctx, 'name');
	if (name && name !== p!.name) {
		if (nameInUse(ctx.state, name))
			aerr('709', `Business Rule Violation: program name '${name}' is already in use`);
		p!.name = name;
	}
	const description = param(ctx, 'description');
	if (description !== undefined) p!.description = description;
	p!.updatedAt = nowIso();
	return assetOk([programView(ctx.state, p!, { tags: true, costs: true })]);
}

function cloneProgram(ctx: Ctx): Reply {
	rejectJson(ctx);
	const src = programById(ctx);
	if (!src) aerr('702', `Program ${ctx.pathParams.id} not found`);
	const name = param(ctx, 'name') ?? '';
	if (!name) aerr('701', 'name cannot be blank');
	if (name.length > 255) aerr('1003', 'name must be at most 255 characters');
	const folder = parseFolderParam(param(ctx, 'folder'));
	checkFolderExists(ctx.state, folder);
	// Program names are unique across the instance.
	if (nameInUse(ctx.state, name))
		aerr('709', `Business Rule Violation: program name '${name}' is already in use`);
	if (workspaceOf(ctx.state, folder) !== src!.workspace)
		aerr('709', 'Business Rule Violation: target folder is in another workspace');
	const at = nowIso();
	const p: Program = {
		...JSON.parse(JSON.stringify(src)),
		id: ctx.state.nextProgramId++,
		name,
		description: param(ctx, 'description') ?? src!.description,
		folder,
		createdAt: at,
		updatedAt: at,
	};
	ctx.state.programs.set(p.id, p);
	return assetOk([programView(ctx.state, p, { tags: true, costs: true })]);
}

function deleteProgram(ctx: Ctx): Reply {
	const p = programById(ctx);
	if (!p) aerr('702', `Program ${ctx.pathParams.id} not found`);
	ctx.state.programs.delete(p!.id);
	ctx.state.members.delete(p!.id);
	return assetOk([{ id: p!.id }]);
}

// ---- My Tokens --------------------------------------------------------------------------------

function tokenHolder(ctx: Ctx): { tokens: MyToken[]; ref: FolderRef } {
	const id = Number(ctx.pathParams.id);
	const folderType = param(ctx, 'folderType') ?? 'Folder';
	if (folderType === 'Program') {
		const p = ctx.state.programs.get(id);
		if (!p) aerr('702', `Program ${id} not found`);
		return { tokens: p!.tokens, ref: { id, type: 'Program' } };
	}
	const f = ctx.state.folders.get(id);
	if (!f) aerr('702', `Folder ${id} not found`);
	f!.tokens ??= [];
	return { tokens: f!.tokens!, ref: { id, type: 'Folder' } };
}

function tokenView(t: MyToken): Record<string, unknown> {
	return { name: t.name, type: t.type, value: t.value, computedUrl: null };
}

function getTokens(ctx: Ctx): Reply {
	const { tokens, ref } = tokenHolder(ctx);
	return assetOk([{ folder: { type: ref.type, value: ref.id }, tokens: tokens.map(tokenView) }]);
}

function upsertToken(ctx: Ctx): Reply {
	rejectJson(ctx);
	const { tokens, ref } = tokenHolder(ctx);
	const name = param(ctx, 'name') ?? '';
	const type = param(ctx, 'type') ?? '';
	const value = param(ctx, 'value');
	if (!name) aerr('701', 'name cannot be blank');
	if (name.length > 50) aerr('1003', `Token name '${name}' exceeds 50 characters`);
	if (!TOKEN_TYPES.includes(type)) aerr('1003', `Invalid token type '${type}'`);
	if (value === undefined) aerr('701', 'value cannot be blank');
	if (type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value!))
		aerr('1003', `Invalid date token value '${value}' (yyyy-MM-dd)`);
	if ((type === 'number' || type === 'score') && Number.isNaN(Number(value)))
		aerr('1003', `Invalid ${type} token value '${value}'`);
	const existing = tokens.find((t) => t.name === name);
	if (existing) {
		existing.type = type as MyToken['type'];
		existing.value = value!;
	} else tokens.push({ name, type: type as MyToken['type'], value: value! });
	return assetOk([
		{
			folder: { type: ref.type, value: ref.id },
			tokens: [tokenView(existing ?? tokens[tokens.length - 1])],
		},
	]);
}

function deleteToken(ctx: Ctx): Reply {
	rejectJson(ctx);
	const { tokens, ref } = tokenHolder(ctx);
	const name = param(ctx, 'name') ?? '';
	const type = param(ctx, 'type');
	const i = tokens.findIndex((t) => t.name === name && (!type || t.type === type));
	if (i < 0) aerr('702', `Token '${name}' not found`);
	tokens.splice(i, 1);
	return assetOk([{ id: ref.id }]);
}

// ---- channels ---------------------------------------------------------------------------------

function channelView(c: MarketoState['channels'][number]): Record<string, unknown> {
	return {
		id: c.id,
		name: c.name,
		applicableProgramType: c.applicableProgramType,
		progressionStatuses: c.progressionStatuses.map((s) => ({
			name: s.name,
			step: s.step,
			description: s.description ?? '',
			hidden: !!s.hidden,
			success: s.success,
		})),
		createdAt: c.createdAt,
		updatedAt: c.updatedAt,
	};
}

function browseChannels(ctx: Ctx): Reply {
	const { offset, maxReturn } = paging(ctx);
	return assetOk(ctx.state.channels.slice(offset, offset + maxReturn).map(channelView));
}

function channelByName(ctx: Ctx): Reply {
	// The OpenAPI file spells the parameter `Name`; Adobe's examples use `name`.
	const name = param(ctx, 'name') ?? param(ctx, 'Name') ?? '';
	const c = ctx.state.channels.find((x) => x.name === name);
	return assetOk(c ? [channelView(c)] : []);
}

// ---- folders ----------------------------------------------------------------------------------

function folderPath(state: MarketoState, f: Folder): string {
	const names: string[] = [f.name];
	let parent = f.parent;
	let guard = 0;
	while (parent && guard++ < 50) {
		const pf = parent.type === 'Folder' ? state.folders.get(parent.id) : undefined;
		if (!pf) break;
		names.unshift(pf.name);
		parent = pf.parent;
	}
	return `/${names.join('/')}`;
}

function folderView(state: MarketoState, f: Folder): Record<string, unknown> {
	return {
		id: f.id,
		name: f.name,
		description: f.description ?? '',
		createdAt: f.createdAt,
		updatedAt: f.updatedAt,
		url: `https://app.marketo.com/#MF${f.id}A1`,
		folderId: { id: f.id, type: 'Folder' },
		folderType: 'Marketing Folder',
		parent: f.parent ?? null,
		path: folderPath(state, f),
		isArchive: !!f.isArchive,
		isSystem: !!f.isSystem,
		accessZoneId: 1,
		workspace: f.workspace,
	};
}

function programAsFolder(state: MarketoState, p: Program): Record<string, unknown> {
	const parentFolder = p.folder.type === 'Folder' ? state.folders.get(p.folder.id) : undefined;
	return {
		...programIdentity(p),
		folderId: { id: p.id, type: 'Program' },
		folderType: 'Program',
		parent: p.folder,
		path: `${parentFolder ? folderPath(state, parentFolder) : ''}/${p.name}`,
		isArchive: false,
		isSystem: false,
		accessZoneId: 1,
		workspace: p.workspace,
	};
}

function getFolder(ctx: Ctx): Reply {
	const id = Number(ctx.pathParams.id);
	const type = param(ctx, 'type') ?? 'Folder';
	if (type === 'Program') {
		const p = ctx.state.programs.get(id);
		return assetOk(p ? [programAsFolder(ctx.state, p)] : []);
	}
	const f = ctx.state.folders.get(id);
	return assetOk(f ? [folderView(ctx.state, f)] : []);
}

function allFolderEntries(state: MarketoState): Array<{
	ref: FolderRef;
	parent?: FolderRef;
	name: string;
	workspace: string;
	view: () => Record<string, unknown>;
}> {
	return [
		...[...state.folders.values()].map((f) => ({
			ref: { id: f.id, type: 'Folder' as const },
			parent: f.parent,
			name: f.name,
			workspace: f.workspace,
			view: () => folderView(state, f),
		})),
		...[...state.programs.values()].map((p) => ({
			ref: { id: p.id, type: 'Program' as const },
			parent: p.folder,
			name: p.name,
			workspace: p.workspace,
			view: () => programAsFolder(state, p),
		})),
	];
}

function isUnder(
	state: MarketoState,
	entry: { ref: FolderRef; parent?: FolderRef },
	root: FolderRef,
	maxDepth: number,
): boolean {
	if (entry.ref.id === root.id && entry.ref.type === root.type) return true;
	let parent = entry.parent;
	let depth = 1;
	while (parent && depth <= maxDepth) {
		if (parent.id === root.id && parent.type === root.type) return true;
		parent =
			parent.type === 'Folder'
				? state.folders.get(parent.id)?.parent
				: state.programs.get(parent.id)?.folder;
		depth++;
	}
	return false;
}

function folderByName(ctx: Ctx): Reply {
	const name = param(ctx, 'name') ?? '';
	const type = param(ctx, 'type');
	const rootRaw = param(ctx, 'root');
	const root = rootRaw ? parseFolderParam(rootRaw, 'root') : undefined;
	const workSpace = param(ctx, 'workSpace');
	const hits = allFolderEntries(ctx.state).filter(
		(e) =>
			e.name === name &&
			(!type || e.ref.type === type) &&
			(!workSpace || e.workspace === workSpace) &&
			(!root || isUnder(ctx.state, e, root, 50)),
	);
	return assetOk(hits.map((e) => e.view()));
}

function browseFolders(ctx: Ctx): Reply {
	const { offset, maxReturn } = paging(ctx);
	const rootRaw = param(ctx, 'root');
	const root = rootRaw ? parseFolderParam(rootRaw, 'root') : undefined;
	const maxDepth = Number(param(ctx, 'maxDepth') ?? 2);
	const workSpace = param(ctx, 'workSpace');
	const hits = allFolderEntries(ctx.state)
		.filter(
			(e) =>
				(!root || isUnder(ctx.state, e, root, maxDepth)) &&
				(!workSpace || e.workspace === workSpace),
		)
		.sort((a, b) => a.ref.id - b.ref.id);
	return assetOk(hits.slice(offset, offset + maxReturn).map((e) => e.view()));
}

function createFolder(ctx: Ctx): Reply {
	rejectJson(ctx);
	const name = param(ctx, 'name') ?? '';
	if (!name) aerr('701', 'name cannot be blank');
	const parent = parseFolderParam(param(ctx, 'parent'), 'parent');
	checkFolderExists(ctx.state, parent);
	if (
		allFolderEntries(ctx.state).some(
			(e) => e.name === name && e.parent?.id === parent.id && e.parent?.type === parent.type,
		)
	) {
		aerr('709', `Business Rule Violation: folder '${name}' already exists`);
	}
	const at = nowIso();
	const f: Folder = {
		id: ctx.state.nextFolderId++,
		name,
		type: 'Folder',
		parent,
		description: param(ctx, 'description'),
		workspace: workspaceOf(ctx.state, parent),
		createdAt: at,
		updatedAt: at,
	};
	ctx.state.folders.set(f.id, f);
	return assetOk([folderView(ctx.state, f)]);
}

export function registerAssets(router: Router): void {
	router.get('/rest/asset/v1/program/{id}.json', getProgram);
	router.post('/rest/asset/v1/program/{id}.json', updateProgram);
	router.get('/rest/asset/v1/program/byName.json', getProgramByName);
	router.get('/rest/asset/v1/programs.json', browsePrograms);
	router.post('/rest/asset/v1/programs.json', createProgram);
	router.post('/rest/asset/v1/program/{id}/clone.json', cloneProgram);
	router.post('/rest/asset/v1/program/{id}/delete.json', deleteProgram);
	router.get('/rest/asset/v1/folder/{id}/tokens.json', getTokens);
	router.post('/rest/asset/v1/folder/{id}/tokens.json', upsertToken);
	router.post('/rest/asset/v1/folder/{id}/tokens/delete.json', deleteToken);
	router.get('/rest/asset/v1/channels.json', browseChannels);
	router.get('/rest/asset/v1/channel/byName.json', channelByName);
	router.get('/rest/asset/v1/folder/{id}.json', getFolder);
	router.get('/rest/asset/v1/folder/byName.json', folderByName);
	router.get('/rest/asset/v1/folders.json', browseFolders);
	router.post('/rest/asset/v1/folders.json', createFolder);
}
