/** Workspace fields as public third-party code reads them from `GET /orgs/{orgId}/workspaces`. */
export interface SpotMeWorkspace {
	id: string;
	name?: string;
	start?: string;
	end?: string;
	location?: string;
	is_active?: boolean;
	is_live?: boolean;
	is_test?: boolean;
	timezone?: string;
	format?: string;
	container_app_id?: string;
	[key: string]: unknown;
}
