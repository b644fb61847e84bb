import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { getSpotMeSettings, spotMeApiRequest } from '../transport';
import type { SpotMeWorkspace } from '../helpers/workspace';

/** Workspaces of the credential's organization, for options fields (empty when no Organization ID is set). */
export async function getWorkspaces(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { organizationId } = await getSpotMeSettings.call(this);
	if (!organizationId) return [];
	const workspaces = (await spotMeApiRequest.call(
		this,
		'GET',
		`/orgs/${encodeURIComponent(organizationId)}/workspaces`,
	)) as SpotMeWorkspace[];
	return (Array.isArray(workspaces) ? workspaces : [])
		.map((w) => ({ name: String(w.name ?? w.id), value: String(w.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
