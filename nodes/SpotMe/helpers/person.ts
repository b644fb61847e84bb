/** Path of a person document: `GET /workspace/{eid}/global/docs/person/{_id}`. */
export function personPath(workspaceId: string, personId: string): string {
	return `/workspace/${encodeURIComponent(workspaceId)}/global/docs/person/${encodeURIComponent(personId)}`;
}

export function personCollectionPath(workspaceId: string): string {
	return `/workspace/${encodeURIComponent(workspaceId)}/global/docs/person`;
}
