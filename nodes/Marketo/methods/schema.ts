import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { customObjectFieldTypes, linkableObjects } from '../helpers/schemaApi';
import { marketoApiRequest } from '../transport';

/** loadOptions: every custom object type, drafts included (their state in the description). */
export async function getCustomObjectTypesAnyState(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/customobjects/schema.json');
	return (response.result ?? [])
		.map((t) => ({
			name: String(t.displayName ?? t.apiName ?? t.name),
			value: String(t.apiName ?? t.name),
			description: `${String(t.apiName ?? t.name)} (${String(t.state ?? 'approved')})`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** loadOptions: Marketo's data types for custom object fields (`fieldDataTypes.json`). */
export async function getCustomObjectFieldDataTypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return (await customObjectFieldTypes.call(this)).map((t) => ({ name: t, value: t }));
}

/** loadOptions: what a link field can point at, as "object.field" (`linkableObjects.json`). */
export async function getCustomObjectLinkTargets(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const out: INodePropertyOptions[] = [{ name: '(Not a Link)', value: '' }];
	for (const o of await linkableObjects.call(this))
		for (const f of o.fields)
			out.push({
				name: `${o.displayName} → ${f.displayName}`,
				value: `${o.name}.${f.name}`,
				description: `${o.name}.${f.name} (${f.dataType})`,
			});
	return out;
}
