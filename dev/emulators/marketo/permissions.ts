/**
 * The API-only user's role. Marketo checks each call against the role's "Access API" permissions and
 * answers 603 "Access denied" when none of the permissions an endpoint accepts is granted (Adobe's
 * OpenAPI file names them per endpoint: "Required Permissions: …").
 *
 * The emulator's user starts with every permission; tests take some away with
 * `emu.setPermissions({ deny: ['Read-Write Custom Object Type'] })` (control API:
 * `POST /__control/permissions {"deny":[…]}`).
 */

export type Permission =
	| 'Read-Only Lead'
	| 'Read-Write Lead'
	| 'Read-Only Custom Object'
	| 'Read-Write Custom Object'
	| 'Read-Only Custom Object Type'
	| 'Read-Write Custom Object Type'
	| 'Read-Write Schema Standard Field'
	| 'Read-Write Schema Custom Field'
	| 'Read-Only Assets'
	| 'Read-Write Assets'
	| 'Read-Only Activity';

export const ALL_PERMISSIONS: Permission[] = [
	'Read-Only Lead',
	'Read-Write Lead',
	'Read-Only Custom Object',
	'Read-Write Custom Object',
	'Read-Only Custom Object Type',
	'Read-Write Custom Object Type',
	'Read-Write Schema Standard Field',
	'Read-Write Schema Custom Field',
	'Read-Only Assets',
	'Read-Write Assets',
	'Read-Only Activity',
];

export interface PermissionConfig {
	/** permissions the API user's role lacks */
	deny?: Permission[];
}

interface Rule {
	method: 'GET' | 'POST';
	path: RegExp;
	/** any one of these grants the call */
	anyOf: Permission[];
}

const FIELD_SCHEMA = /^\/rest\/v1\/(leads|programs\/members)\/schema\/fields(\/[^/]+)?\.json$/;
const CO_TYPE = /^\/rest\/v1\/customobjects\/schema(\.json|\/.*)$/;

/** Schema endpoints, as Adobe's OpenAPI file lists their permissions. */
const RULES: Rule[] = [
	{
		method: 'GET',
		path: FIELD_SCHEMA,
		anyOf: ['Read-Write Schema Standard Field', 'Read-Write Schema Custom Field'],
	},
	// Create: custom fields only. Update: standard or custom.
	{
		method: 'POST',
		path: /^\/rest\/v1\/(leads|programs\/members)\/schema\/fields\.json$/,
		anyOf: ['Read-Write Schema Custom Field'],
	},
	{
		method: 'POST',
		path: FIELD_SCHEMA,
		anyOf: ['Read-Write Schema Standard Field', 'Read-Write Schema Custom Field'],
	},
	{
		method: 'GET',
		path: CO_TYPE,
		anyOf: ['Read-Only Custom Object Type', 'Read-Write Custom Object Type'],
	},
	{ method: 'POST', path: CO_TYPE, anyOf: ['Read-Write Custom Object Type'] },
	{
		method: 'GET',
		path: /^\/rest\/v1\/customobjects(\.json|\/[^/]+(\.json|\/describe\.json))$/,
		anyOf: ['Read-Only Custom Object', 'Read-Write Custom Object'],
	},
	{
		method: 'POST',
		path: /^\/rest\/v1\/customobjects\/[^/]+(\.json|\/delete\.json)$/,
		anyOf: ['Read-Write Custom Object'],
	},
];

/** The 603 message when the role lacks what `method path` needs, else undefined. */
export function deniedBy(
	config: PermissionConfig,
	method: string,
	path: string,
): string | undefined {
	const deny = new Set(config.deny ?? []);
	if (deny.size === 0) return undefined;
	const rule = RULES.find((r) => r.method === method && r.path.test(path));
	if (!rule || rule.anyOf.some((p) => !deny.has(p))) return undefined;
	return 'Access denied';
}

export function checkPermissionConfig(data: unknown): PermissionConfig {
	const deny = (data as PermissionConfig | undefined)?.deny ?? [];
	if (!Array.isArray(deny)) throw new Error('permissions: "deny" must be a list');
	for (const p of deny)
		if (!ALL_PERMISSIONS.includes(p))
			throw new Error(
				`permissions: unknown permission '${p}' (known: ${ALL_PERMISSIONS.join(', ')})`,
			);
	return { deny: [...deny] };
}
