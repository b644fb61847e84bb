import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
} from 'n8n-workflow';
import { getSpotMeSettings, spotMeApiRequest } from '../transport';
import type { SpotMeWorkspace } from '../helpers/workspace';

/** "From list" for the Workspace picker: the active workspaces of the credential's organization. */
export async function searchWorkspaces(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { organizationId } = await getSpotMeSettings.call(this);
	if (!organizationId) {
		throw new NodeOperationError(
			this.getNode(),
			'Set the Organization ID in the SpotMe credential to pick workspaces from a list',
			{
				description:
					'Or switch the Workspace field to "ID" and paste the workspace ID from the Backstage URL.',
			},
		);
	}
	const workspaces = (await spotMeApiRequest.call(
		this,
		'GET',
		`/orgs/${encodeURIComponent(organizationId)}/workspaces`,
	)) as SpotMeWorkspace[];
	const needle = (filter ?? '').toLowerCase();
	const results = (Array.isArray(workspaces) ? workspaces : [])
		.filter((w) => !needle || `${w.name ?? ''} ${w.id}`.toLowerCase().includes(needle))
		.sort((a, b) => String(b.start ?? '').localeCompare(String(a.start ?? '')))
		.map((w) => ({
			name: `${w.name ?? w.id}${w.is_test ? ' (test)' : ''}${w.is_active === false ? ' (inactive)' : ''}`,
			value: String(w.id),
		}));
	return { results };
}
