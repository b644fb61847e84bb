import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { toNodeError } from '../../../shared/kit';
import { marketoApiRequest, marketoErrorCode, type MarketoContext } from '../../transport';

/** What `GET /v1/customobjects/{name}/describe.json` says about one custom object type. */
export interface CustomObjectDescription {
	name: string;
	displayName: string;
	idField: string;
	dedupeFields: string[];
	searchableFields: string[][];
	fields: Array<{
		name: string;
		displayName: string;
		dataType: string;
		length?: number;
		updateable: boolean;
	}>;
	relationships?: IDataObject[];
}

export const customObjectProperty: INodeProperties = {
	displayName: 'Custom Object Name or ID',
	name: 'customObjectName',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getCustomObjectTypes' },
	required: true,
	default: '',
	description:
		'The custom object type (its API name, e.g. spotMeAttendance_c). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/** Key/value pairs that identify one record by its dedupe fields (one or several: compound keys). */
export const dedupeKeysProperty: INodeProperties = {
	displayName: 'Dedupe Field Values',
	name: 'dedupeKeys',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Dedupe Field',
	default: {},
	description:
		'The value of every dedupe field of the custom object (all of them when the key is compound)',
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{
					displayName: 'Field Name or ID',
					name: 'name',
					type: 'options',
					typeOptions: {
						loadOptionsMethod: 'getCustomObjectDedupeFields',
						loadOptionsDependsOn: ['customObjectName'],
					},
					default: '',
					description:
						'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
				},
			],
		},
	],
};

/** Reads the Custom Object parameter of item `i`. */
export function customObjectName(this: IExecuteFunctions, i: number): string {
	const name = String(this.getNodeParameter('customObjectName', i) ?? '').trim();
	if (name === '') {
		throw new NodeOperationError(this.getNode(), 'The "Custom Object" parameter is empty', {
			itemIndex: i,
			description:
				'Pick a custom object type from the list, or give its API name, e.g. spotMeAttendance_c',
		});
	}
	// The name becomes a path segment; Marketo API names are letters, digits and underscores.
	if (!/^[A-Za-z0-9_]+$/.test(name)) {
		throw new NodeOperationError(this.getNode(), `"${name}" is not a custom object API name`, {
			itemIndex: i,
			description:
				'Use the API name (letters, digits, underscores), e.g. spotMeAttendance_c, not the display name',
		});
	}
	return name;
}

async function listTypeNames(this: MarketoContext): Promise<string[]> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/customobjects.json');
	return (response.result ?? []).map((t) => String(t.name));
}

/**
 * Describes a custom object type, or fails with a message naming the parameter and the types that do
 * exist. Marketo answers an unknown name with 1013 "Object not found" (or an empty result).
 */
export async function describeCustomObject(
	this: MarketoContext,
	name: string,
	itemIndex?: number,
): Promise<CustomObjectDescription> {
	let result: IDataObject | undefined;
	try {
		const response = await marketoApiRequest.call(
			this,
			'GET',
			`/v1/customobjects/${name}/describe.json`,
			{
				itemIndex,
			},
		);
		result = response.result?.[0];
	} catch (error) {
		const code = marketoErrorCode(error);
		if (code !== '1013' && code !== '610') throw toNodeError(this, error, itemIndex ?? 0);
	}
	if (!result) {
		const known = await listTypeNames.call(this).catch(() => [] as string[]);
		throw new NodeOperationError(this.getNode(), `Marketo has no custom object named "${name}"`, {
			itemIndex,
			description: `Check the "Custom Object" parameter (it takes the API name, e.g. car_c). Custom objects in this instance: ${
				known.join(', ') || 'none'
			}`,
		});
	}
	return {
		name: String(result.name ?? name),
		displayName: String(result.displayName ?? name),
		idField: String(result.idField ?? 'marketoGUID'),
		dedupeFields: ((result.dedupeFields as string[] | undefined) ?? []).map(String),
		searchableFields: ((result.searchableFields as string[][] | undefined) ?? []).map((s) =>
			(Array.isArray(s) ? s : [s]).map(String),
		),
		fields: ((result.fields as IDataObject[] | undefined) ?? []).map((f) => ({
			name: String(f.name),
			displayName: String(f.displayName ?? f.name),
			dataType: String(f.dataType ?? 'string'),
			length: f.length as number | undefined,
			updateable: f.updateable !== false,
		})),
		relationships: result.relationships as IDataObject[] | undefined,
	};
}

/** Describes each custom object once per execution, however many items name it. */
export function describeCache(this: IExecuteFunctions) {
	const cache = new Map<string, Promise<CustomObjectDescription>>();
	return async (name: string, i: number) => {
		let entry = cache.get(name);
		if (!entry) {
			entry = describeCustomObject.call(this, name, i);
			// A failure is kept too: 1 000 items naming a missing object cost one lookup, not 2 000 calls.
			entry.catch(() => undefined);
			cache.set(name, entry);
		}
		return await entry;
	};
}

/**
 * Key values typed in the editor arrive as text; numeric keys (a lead link such as personId) are
 * sent as numbers so they compare equal to what Marketo stored.
 */
export function typedValue(
	description: CustomObjectDescription,
	name: string,
	value: unknown,
): IDataObject[keyof IDataObject] {
	const dataType = description.fields.find((f) => f.name === name)?.dataType;
	const numeric =
		dataType === 'integer' ||
		dataType === 'link' ||
		dataType === 'float' ||
		dataType === 'currency';
	if (
		numeric &&
		typeof value === 'string' &&
		value.trim() !== '' &&
		Number.isFinite(Number(value))
	) {
		return Number(value);
	}
	return value as IDataObject[keyof IDataObject];
}

/** Reads the "Dedupe Field Values" of item `i` into `{field: value}`, checking that every dedupe field is there. */
export function dedupeKeyRecord(
	this: IExecuteFunctions,
	description: CustomObjectDescription,
	i: number,
): IDataObject {
	const keys = this.getNodeParameter('dedupeKeys.field', i, []) as Array<{
		name: string;
		value: unknown;
	}>;
	const record: IDataObject = {};
	for (const { name, value } of keys) {
		if (!name) continue;
		if (!description.dedupeFields.includes(name)) {
			throw new NodeOperationError(
				this.getNode(),
				`"${name}" in "Dedupe Field Values" is not a dedupe field of ${description.name}`,
				{
					itemIndex: i,
					description: `The dedupe fields of ${description.name} are: ${description.dedupeFields.join(', ')}`,
				},
			);
		}
		record[name] = typedValue(description, name, value);
	}
	const missing = description.dedupeFields.filter(
		(f) => record[f] === undefined || record[f] === '',
	);
	if (missing.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			`"Dedupe Field Values" lacks ${missing.join(', ')} for ${description.name}`,
			{
				itemIndex: i,
				description: `A ${description.name} record is identified by all of its dedupe fields (${description.dedupeFields.join(
					', ',
				)}); add a value for each`,
			},
		);
	}
	return record;
}
