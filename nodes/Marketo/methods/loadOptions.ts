import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { describeLeads, describeProgramMembers, programStatuses } from '../helpers/metadata';
import { marketoApiRequest } from '../transport';
import { SPOTME_OUTCOMES } from '../actions/program/mapAttendanceStatuses.operation';

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

/** Every lead field usable in REST, for "Fields" pickers. */
export async function getLeadFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { fields } = await describeLeads.call(this);
	return fields
		.map((f) => ({
			name: f.displayName ? `${f.displayName} (${f.name})` : f.name,
			value: f.name,
			description: f.dataType,
		}))
		.sort(byName);
}

/** Lead fields Marketo can search on: `filterType` of Get Many and `lookupField` of Create or Update. */
export async function getLeadSearchableFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const { fields, searchableFields } = await describeLeads.call(this);
	const display = new Map(fields.map((f) => [f.name, f.displayName]));
	return searchableFields
		.map((name) => ({
			name: display.get(name) ? `${display.get(name)} (${name})` : name,
			value: name,
		}))
		.sort(byName);
}

/** Lead partitions (`partitionName` of Create or Update). */
export async function getLeadPartitions(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/leads/partitions.json');
	return (response.result ?? [])
		.map((p) => ({
			name: String(p.name),
			value: String(p.name),
			description: p.description ? String(p.description) : undefined,
		}))
		.sort(byName);
}

/** The program's statuses in step order (the order of the program's channel), not alphabetical. */
export async function getProgramMemberStatuses(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const locator = this.getNodeParameter('programId', undefined, { extractValue: true }) as unknown;
	const raw = String(locator ?? '').trim();
	let programId = raw;
	if (!/^\d+$/.test(raw)) {
		if (!raw) return [];
		const response = await marketoApiRequest.call(this, 'GET', '/asset/v1/program/byName.json', {
			qs: { name: raw },
		});
		programId = String(response.result?.[0]?.id ?? '');
		if (!programId) return [];
	}
	const { statuses } = await programStatuses.call(this, programId);
	return statuses.map((s) => ({
		name: s.name,
		value: s.name,
		description: `Step ${s.step}${s.success ? ', success' : ''}${s.description ? `: ${s.description}` : ''}`,
	}));
}

/** "Leave Unchanged" then the program's statuses: the choices of Program › Map Attendance to Statuses. */
export async function getProgramStatusChoices(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const leave = {
		name: 'Leave Unchanged',
		value: '',
		description: "Do not change the member's status for this outcome",
	};
	const program = this.getNodeParameter('programId', undefined, { extractValue: true }) as unknown;
	if (String(program ?? '').trim() === '') {
		// No program, so no channel to list yet: the statuses already chosen (a bundled workflow's
		// presets) are offered as they are instead of showing as unsupported values.
		const chosen = new Set(
			SPOTME_OUTCOMES.map((o) => String(this.getNodeParameter(o.parameter, '') ?? '').trim()),
		);
		chosen.delete('');
		return [
			leave,
			...[...chosen].map((name) => ({
				name,
				value: name,
				description:
					"As chosen; pick a program to list its channel's statuses (the node checks the choice against the channel when it runs)",
			})),
		];
	}
	return [leave, ...(await getProgramMemberStatuses.call(this))];
}

/** Program member fields the API can write (custom fields such as a SpotMe login URL). */
export async function getProgramMemberUpdateableFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const { fields } = await describeProgramMembers.call(this);
	return fields
		.filter((f) => f.updateable === true)
		.map((f) => ({
			name: f.displayName ? `${f.displayName} (${f.name})` : f.name,
			value: f.name,
			description: f.dataType,
		}))
		.sort(byName);
}

/** Every program member field, for "Fields" of Get Many. */
export async function getProgramMemberFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const { fields } = await describeProgramMembers.call(this);
	return fields
		.map((f) => ({
			name: f.displayName ? `${f.displayName} (${f.name})` : f.name,
			value: f.name,
			description: f.dataType,
		}))
		.sort(byName);
}

/** Program member fields Marketo can filter on (`filterType`), plus `updatedAt`. */
export async function getProgramMemberSearchableFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const { searchableFields } = await describeProgramMembers.call(this);
	return searchableFields.map((name) => ({ name, value: name })).sort(byName);
}

/** Programs read for one dropdown: 5 pages of 200 (one call each), newest instances have more. */
const PROGRAM_PAGES = 5;

/** Programs for multi-select dropdowns (the Activity Trigger's program filter): "Name (id)". */
export async function getPrograms(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options: INodePropertyOptions[] = [];
	for (let page = 0; page < PROGRAM_PAGES; page++) {
		const response = await marketoApiRequest.call(this, 'GET', '/asset/v1/programs.json', {
			qs: { offset: page * 200, maxReturn: 200 },
		});
		const programs = (response.result ?? []) as Array<{ id?: number; name?: string }>;
		for (const p of programs)
			if (p.id !== undefined) options.push({ name: `${p.name ?? ''} (${p.id})`, value: p.id });
		if (programs.length < 200) break;
	}
	return options.sort(byName);
}
