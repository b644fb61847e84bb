import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { marketoApiRequest } from '../../transport';

/** The program picker shared by every Program operation: from list, by ID or by name. */
export const programLocator: INodeProperties = {
	displayName: 'Program',
	name: 'programId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Marketo program',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchPrograms', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1001',
			hint: 'The number after "PG" in the program URL, e.g. 1001 for #PG1001A1',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*\\d+\\s*$',
						errorMessage: 'A program ID is a number, e.g. 1001',
					},
				},
			],
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. 2026 Spring Summit',
			hint: 'The exact program name (Marketo program names are unique)',
		},
	],
};

export interface MarketoProgram extends IDataObject {
	id: number;
	name: string;
	channel?: string;
	folder?: { type: string; value: number; folderName?: string };
}

/** Reads the Program locator of item `i` and returns the program's numeric ID. */
export async function resolveProgramId(this: IExecuteFunctions, i: number): Promise<number> {
	const locator = this.getNodeParameter('programId', i) as { mode: string; value: string | number };
	const raw = String(locator?.value ?? '').trim();
	if (raw === '') {
		throw new NodeOperationError(this.getNode(), 'The "Program" parameter is empty', {
			itemIndex: i,
			description: 'Pick a program from the list, or give its ID or its exact name',
		});
	}
	if (locator.mode === 'name') {
		return (await getProgramByName.call(this, raw, i)).id;
	}
	const id = Number(raw);
	if (!Number.isInteger(id) || id <= 0) {
		throw new NodeOperationError(this.getNode(), `The "Program" ID "${raw}" is not a number`, {
			itemIndex: i,
			description:
				'Use the number after "PG" in the program URL, e.g. 1001 for #PG1001A1, or choose "By Name"',
		});
	}
	return id;
}

/** The asset API answers "not found" with success:true, no result and a warning (not an error). */
function firstResult(response: IDataObject): IDataObject | undefined {
	const result = response.result as IDataObject[] | undefined;
	return Array.isArray(result) && result.length > 0 ? result[0] : undefined;
}

export async function getProgramById(
	this: IExecuteFunctions,
	id: number,
	i: number,
): Promise<MarketoProgram> {
	const response = (await marketoApiRequest.call(
		this,
		'GET',
		`/asset/v1/program/${id}.json`,
	)) as IDataObject;
	const program = firstResult(response);
	if (!program) {
		throw new NodeOperationError(this.getNode(), `No Marketo program has the ID ${id}`, {
			itemIndex: i,
			description:
				'Check the "Program" parameter: pick the program from the list or copy its ID from the program URL',
		});
	}
	return program as MarketoProgram;
}

export async function getProgramByName(
	this: IExecuteFunctions,
	name: string,
	i: number,
): Promise<MarketoProgram> {
	const response = (await marketoApiRequest.call(this, 'GET', '/asset/v1/program/byName.json', {
		qs: { name },
	})) as IDataObject;
	const program = firstResult(response);
	if (!program) {
		throw new NodeOperationError(this.getNode(), `No Marketo program is named "${name}"`, {
			itemIndex: i,
			description:
				'Check the "Program" parameter: the name must match exactly (Marketo cannot search names containing commas)',
		});
	}
	return program as MarketoProgram;
}

/** At most 10 useful fields, flattened, for the Simplify option. */
export function simplifyProgram(program: IDataObject): IDataObject {
	const folder = (program.folder ?? {}) as IDataObject;
	return {
		id: program.id,
		name: program.name,
		description: program.description,
		type: program.type,
		channel: program.channel,
		status: program.status,
		folderId: folder.value,
		folderName: folder.folderName,
		workspace: program.workspace,
		updatedAt: program.updatedAt,
	};
}

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** A marketing folder picker (Get Many's filter, Clone's target): from the folder list by path, or by ID. */
export function folderLocator(displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name: 'folder',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchFolders', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 1035',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*\\d+\\s*$',
							errorMessage: 'A folder ID is a number, e.g. 1035',
						},
					},
				],
			},
		],
	};
}

/**
 * The folder ID a folder locator holds, or undefined when it is unset. A value that is not a number (an
 * expression gone wrong, a pasted name) is bad input naming the parameter.
 */
export function folderIdOf(
	this: IExecuteFunctions,
	locator: unknown,
	label: string,
	i: number,
): number | undefined {
	const value = String((locator as { value?: unknown } | undefined)?.value ?? '').trim();
	if (value === '') return undefined;
	if (!/^\d+$/.test(value)) {
		throw new NodeOperationError(this.getNode(), `"${value}" in "${label}" is not a folder ID`, {
			itemIndex: i,
			description:
				'Pick the folder from the list, or give its numeric ID (the number after MF in its URL)',
		});
	}
	return Number(value);
}
