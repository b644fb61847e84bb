import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { marketoApiRequest } from '../transport';

/** loadOptions: the activity types of the instance (standard and custom; ids are instance-specific). */
export async function getActivityTypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const response = await marketoApiRequest.call(this, 'GET', '/v1/activities/types.json');
	return (response.result ?? [])
		.map((t) => ({
			name: `${String(t.name)} (${String(t.id)})`,
			value: Number(t.id),
			description: typeof t.description === 'string' ? t.description : undefined,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
