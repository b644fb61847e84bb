/** Applies SeedData to the state (fields, leads, programs, members, custom objects, activities). */
import { randomUUID } from 'crypto';
import type { EmulatorApi } from './context';
import type {
	CustomObjectField,
	FieldDef,
	MarketoState,
	SeedData,
	SeedField,
	Lead,
	ProgramMember,
} from './state';
import { nowIso } from './state';

function toFieldDef(f: SeedField, id: number): FieldDef {
	const dataType = f.dataType ?? 'string';
	return {
		name: f.name,
		displayName: f.displayName ?? f.name,
		dataType,
		length: f.length ?? (dataType === 'string' ? 255 : undefined),
		updateable: f.updateable ?? true,
		custom: true,
		searchable: f.searchable,
		description: f.description,
		id,
	};
}

function upsertField(list: FieldDef[], f: FieldDef): void {
	const i = list.findIndex((x) => x.name === f.name);
	if (i >= 0) list[i] = { ...list[i], ...f, id: list[i].id };
	else list.push(f);
}

export function applySeed(state: MarketoState, data: SeedData, emu: EmulatorApi): void {
	const at = nowIso();
	for (const f of data.leadFields ?? [])
		upsertField(state.leadFields, toFieldDef(f, 10000 + state.leadFields.length));
	for (const f of data.programMemberFields ?? []) {
		upsertField(state.programMemberFields, toFieldDef(f, 20000 + state.programMemberFields.length));
	}
	for (const raw of data.leads ?? []) {
		const id = typeof raw.id === 'number' ? raw.id : state.nextLeadId;
		state.nextLeadId = Math.max(state.nextLeadId, id + 1);
		const lead = { createdAt: at, updatedAt: at, ...raw, id } as Lead;
		state.leads.set(id, lead);
	}
	for (const l of data.lists ?? []) {
		const id = l.id ?? 1000 + state.lists.size;
		state.lists.set(id, { id, name: l.name, leadIds: [...(l.leadIds ?? [])] });
	}
	for (const c of data.channels ?? []) {
		const existing = state.channels.findIndex((x) => x.name === c.name);
		const id =
			c.id ??
			(existing >= 0
				? state.channels[existing].id
				: Math.max(0, ...state.channels.map((x) => x.id)) + 1);
		const ch = { ...c, id, createdAt: at, updatedAt: at };
		if (existing >= 0) state.channels[existing] = ch;
		else state.channels.push(ch);
	}
	for (const fo of data.folders ?? []) {
		const id = fo.id ?? state.nextFolderId++;
		state.nextFolderId = Math.max(state.nextFolderId, id + 1);
		state.folders.set(id, {
			type: 'Folder',
			workspace: 'Default',
			createdAt: at,
			updatedAt: at,
			parent: { id: 12, type: 'Folder' },
			...fo,
			id,
		});
	}
	for (const p of data.programs ?? []) {
		const id = p.id ?? state.nextProgramId;
		state.nextProgramId = Math.max(state.nextProgramId, id + 1);
		const folder =
			typeof p.folder === 'number'
				? { id: p.folder, type: 'Folder' as const }
				: (p.folder ?? { id: 13, type: 'Folder' as const });
		state.programs.set(id, {
			description: '',
			type: 'Event',
			channel: 'Webinar',
			status: '',
			workspace: 'Default',
			tags: [],
			costs: [],
			tokens: [],
			createdAt: at,
			updatedAt: at,
			...p,
			folder,
			id,
		});
	}
	for (const m of data.members ?? []) {
		const program = state.programs.get(m.programId);
		if (!program) throw new Error(`seed: program ${m.programId} does not exist`);
		const channel = state.channels.find((c) => c.name === program.channel);
		const status = channel?.progressionStatuses.find((s) => s.name === m.statusName);
		if (!status)
			throw new Error(`seed: status '${m.statusName}' is not in channel '${program.channel}'`);
		const members = state.members.get(m.programId) ?? new Map<number, ProgramMember>();
		state.members.set(m.programId, members);
		const { programId, leadId, statusName, ...custom } = m;
		members.set(leadId, {
			membershipDate: at,
			acquiredBy: false,
			createdAt: at,
			updatedAt: at,
			...custom,
			leadId,
			programId,
			statusName,
			progressionStep: status.step,
			reachedSuccess: status.success,
		});
	}
	for (const t of data.customObjectTypes ?? []) {
		const fields: CustomObjectField[] = t.fields.map((f) => ({
			name: f.name,
			displayName: f.displayName ?? f.name,
			dataType: f.relatedTo ? 'link' : (f.dataType ?? 'string'),
			description: f.description,
			updateable: !f.isDedupeField,
			isDedupeField: !!f.isDedupeField,
			relatedTo: f.relatedTo,
		}));
		const version = {
			displayName: t.displayName ?? t.name,
			pluralName: t.pluralName ?? `${t.displayName ?? t.name}s`,
			description: t.description ?? '',
			showInLeadDetail: true,
			fields,
		};
		state.customObjectTypes.set(t.name, {
			name: t.name,
			approved: t.state === 'draft' ? undefined : version,
			draft: t.state === 'draft' ? version : undefined,
			createdAt: at,
			updatedAt: at,
		});
		if (!state.customObjects.has(t.name)) state.customObjects.set(t.name, []);
	}
	for (const [name, records] of Object.entries(data.customObjects ?? {})) {
		const list = state.customObjects.get(name) ?? [];
		state.customObjects.set(name, list);
		for (const r of records)
			list.push({ marketoGUID: randomUUID(), createdAt: at, updatedAt: at, ...r });
	}
	for (const a of data.activities ?? []) {
		emu.addActivity({
			leadId: a.leadId,
			activityTypeId: a.activityTypeId,
			activityDate: a.activityDate,
			primaryAttributeValue: a.primaryAttributeValue,
			primaryAttributeValueId: a.primaryAttributeValueId,
			attributes: a.attributes,
			fields: a.fields,
		});
	}
}
