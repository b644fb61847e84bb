import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { marketoApiRequest } from '../transport';

/** The instance's activity types, standard and custom (custom ids differ per instance). */
export async function getTriggerActivityTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/activities/types.json');
	return (response.result ?? [])
		.map((t) => ({
			name: `${String(t.name)} (${String(t.id)})`,
			value: Number(t.id),
			description: typeof t.description === 'string' ? t.description : undefined,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Lead fields by REST API name: what leadchanges.json's `fields` takes. */
export async function getTriggerLeadFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/leads/describe.json');
	return (response.result ?? [])
		.map((f) => {
			const rest = (f.rest ?? {}) as { name?: string };
			const name = String(rest.name ?? f.name ?? '');
			return { name: `${String(f.displayName ?? name)} (${name})`, value: name };
		})
		.filter((o) => o.value !== '')
		.sort((a, b) => a.name.localeCompare(b.name));
}
