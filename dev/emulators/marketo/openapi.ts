/**
 * Request validation against Adobe's Marketo OpenAPI (Swagger 2.0) files in dev/emulators/openapi/.
 * A request that does not match (unknown path or method, missing required parameter, wrong type,
 * value outside an enum, JSON body without a required property, form field that is not the expected
 * JSON) is answered with HTTP 400 naming the mismatch, so client bugs surface in tests.
 *
 * Deliberately lenient where real Marketo is lenient:
 * - arrays declared `collectionFormat: multi` are accepted comma-separated too (what Marketo documents);
 * - `POST ...?_method=GET` is validated as the GET operation, its form body counting as query parameters;
 *   a JSON body there (custom-object compound keys) is validated against the operation's body schema;
 * - parameter names match case-insensitively (the files spell channel/byName's parameter `Name`);
 * - unknown extra parameters are ignored, as Marketo ignores them.
 */
import fs from 'fs';
import path from 'path';
import { templateToRegex } from './router';

type Schema = {
	type?: string;
	required?: string[];
	properties?: Record<string, Schema>;
	items?: Schema;
	enum?: unknown[];
	$ref?: string;
	format?: string;
};

interface Param {
	name: string;
	in: 'path' | 'query' | 'body' | 'formData' | 'header';
	required?: boolean;
	type?: string;
	items?: Schema;
	enum?: unknown[];
	collectionFormat?: string;
	schema?: Schema;
	minimum?: number;
	maximum?: number;
}

interface Op {
	method: string;
	template: string;
	regex: RegExp;
	names: string[];
	params: Param[];
	consumes: string[];
	file: string;
}

export interface OpenApiValidator {
	ops: Op[];
	definitions: Record<string, Schema>;
}

export interface RequestShape {
	method: string;
	path: string;
	params: Record<string, string[]>;
	body: unknown;
	contentType: string;
	hasBody: boolean;
}

const SPEC_DIR = path.join(__dirname, '..', 'openapi');
const FILES = ['swagger-mapi.json', 'swagger-asset.json'];

/**
 * Known defects of the published files, corrected so valid Marketo calls are not rejected.
 * key: "METHOD template" → parameter names that are not really required.
 */
const NOT_REALLY_REQUIRED: Record<string, string[]> = {
	// filterType=updatedAt uses startAt/endAt instead of filterValues
	'GET /rest/v1/programs/{programId}/members.json': ['filterValues'],
};

/**
 * Item schemas whose `required` lists are trustworthy (many others in the files are response schemas
 * reused for requests, e.g. CustomObject requiring `seq`/`marketoGUID`): array items are checked only
 * against these.
 */
const TRUSTED_ITEM_SCHEMAS = new Set([
	'LeadInputData',
	'ProgramMemberStatus',
	'ProgramMemberData',
	'ProgramMemberDelete',
	'CreateLeadField',
	'AddCustomObjectTypeField',
	'DeleteCustomObjectTypeField',
]);

let cached: OpenApiValidator | undefined;

export function loadValidator(): OpenApiValidator {
	if (cached) return cached;
	const ops: Op[] = [];
	const definitions: Record<string, Schema> = {};
	for (const file of FILES) {
		const spec = JSON.parse(fs.readFileSync(path.join(SPEC_DIR, file), 'utf8'));
		Object.assign(definitions, spec.definitions ?? {});
		for (const [template, item] of Object.entries<any>(spec.paths)) {
			const shared: Param[] = item.parameters ?? [];
			for (const [method, op] of Object.entries<any>(item)) {
				if (method === 'parameters') continue;
				const { regex, names } = templateToRegex(template);
				ops.push({
					method: method.toUpperCase(),
					template,
					regex,
					names,
					params: [...shared, ...(op.parameters ?? [])],
					consumes: op.consumes ?? spec.consumes ?? ['application/json'],
					file,
				});
			}
		}
	}
	cached = { ops, definitions };
	return cached;
}

function resolve(v: OpenApiValidator, s: Schema | undefined): Schema | undefined {
	let cur = s;
	for (let i = 0; cur?.$ref && i < 10; i++)
		cur = v.definitions[cur.$ref.replace('#/definitions/', '')];
	return cur;
}

function lookup(params: Record<string, string[]>, name: string): string[] | undefined {
	if (params[name]) return params[name];
	const lower = name.toLowerCase();
	const key = Object.keys(params).find((k) => k.toLowerCase() === lower);
	return key ? params[key] : undefined;
}

function checkScalar(
	value: string,
	type: string | undefined,
	en: unknown[] | undefined,
	what: string,
): string | undefined {
	if (type === 'integer' && !/^-?\d+$/.test(value.trim()))
		return `${what} must be an integer (got '${value}')`;
	if (type === 'number' && (value.trim() === '' || Number.isNaN(Number(value))))
		return `${what} must be a number (got '${value}')`;
	if (type === 'boolean' && !/^(true|false)$/i.test(value.trim()))
		return `${what} must be true or false (got '${value}')`;
	if (en && !en.some((e) => String(e).toLowerCase() === value.toLowerCase())) {
		return `${what} must be one of ${en.map((e) => `'${e}'`).join(', ')} (got '${value}')`;
	}
	return undefined;
}

function checkJsonValue(
	value: unknown,
	schema: Schema | undefined,
	what: string,
	v: OpenApiValidator,
): string | undefined {
	const s = resolve(v, schema);
	if (!s || value === undefined || value === null) return undefined;
	const t = s.type ?? (s.properties ? 'object' : undefined);
	if (t === 'array' && !Array.isArray(value)) return `${what} must be an array`;
	if (t === 'object' && (typeof value !== 'object' || Array.isArray(value)))
		return `${what} must be an object`;
	if (t === 'string' && typeof value !== 'string') return `${what} must be a string`;
	if (
		t === 'integer' &&
		!(typeof value === 'number' && Number.isInteger(value)) &&
		!(typeof value === 'string' && /^-?\d+$/.test(value))
	) {
		return `${what} must be an integer`;
	}
	if (t === 'boolean' && typeof value !== 'boolean' && value !== 'true' && value !== 'false')
		return `${what} must be a boolean`;
	if (s.enum && typeof value === 'string' && !s.enum.includes(value))
		return `${what} must be one of ${s.enum.map((e) => `'${e}'`).join(', ')} (got '${value}')`;
	return undefined;
}

function findOp(v: OpenApiValidator, method: string, p: string): Op | string {
	const matches = v.ops.filter((o) => o.regex.test(p));
	if (!matches.length) return `path '${p}' does not exist in Marketo's API (Adobe OpenAPI files)`;
	const byMethod = matches
		.filter((o) => o.method === method)
		.sort((a, b) => a.names.length - b.names.length);
	if (!byMethod.length) {
		const allowed = [...new Set(matches.map((o) => o.method))].join(', ');
		return `method ${method} is not defined for path '${matches[0].template}' (defined: ${allowed})`;
	}
	return byMethod[0];
}

export function validateRequest(v: OpenApiValidator, r: RequestShape): string | undefined {
	const found = findOp(v, r.method, r.path);
	if (typeof found === 'string') return found;
	const op = found;
	const where = `${op.method} ${op.template}`;
	const m = op.regex.exec(r.path)!;
	const skipRequired = new Set(NOT_REALLY_REQUIRED[where] ?? []);
	const bodyParam = op.params.find((p) => p.in === 'body');
	const jsonBody = r.body !== undefined;
	// A JSON body on a read (POST ?_method=GET for compound keys) replaces the query parameters.
	const bodyReplacesQuery = jsonBody && op.method === 'GET' && !!bodyParam;

	for (const p of op.params) {
		if (p.in === 'path') {
			const i = op.names.indexOf(p.name);
			const value = i >= 0 ? decodeURIComponent(m[i + 1]) : undefined;
			if (value !== undefined) {
				const err = checkScalar(value, p.type, p.enum, `path parameter '${p.name}'`);
				if (err) return `${where}: ${err}`;
			}
			continue;
		}
		if (p.in === 'query' || p.in === 'formData') {
			const values = lookup(r.params, p.name);
			if (!values || values.length === 0 || values.every((x) => x === '')) {
				if (p.required && !skipRequired.has(p.name) && !bodyReplacesQuery) {
					return `${where}: missing required ${p.in === 'query' ? 'query' : 'form'} parameter '${p.name}'`;
				}
				continue;
			}
			if (p.type === 'array') {
				// Marketo takes comma-separated lists (the files say `multi`): accept both.
				const items =
					p.collectionFormat === 'multi' ||
					p.collectionFormat === undefined ||
					p.collectionFormat === 'csv'
						? values.flatMap((x) => x.split(','))
						: values;
				for (const item of items) {
					if (item.trim() === '') continue;
					const err = checkScalar(
						item.trim(),
						p.items?.type,
						p.items?.enum,
						`query parameter '${p.name}' item`,
					);
					if (err) return `${where}: ${err}`;
				}
			} else {
				const err = checkScalar(values[0], p.type, p.enum, `query parameter '${p.name}'`);
				if (err) return `${where}: ${err}`;
				if (p.maximum !== undefined && Number(values[0]) > p.maximum)
					return `${where}: query parameter '${p.name}' must be ≤ ${p.maximum}`;
				if (p.minimum !== undefined && Number(values[0]) < p.minimum)
					return `${where}: query parameter '${p.name}' must be ≥ ${p.minimum}`;
			}
			continue;
		}
	}

	if (bodyParam) {
		const schema = resolve(v, bodyParam.schema);
		const schemaName = bodyParam.schema?.$ref?.replace('#/definitions/', '') ?? bodyParam.name;
		const formOnly = op.consumes.every((c) => c !== 'application/json');
		if (formOnly && op.method !== 'GET') {
			// Asset writes: the body schema describes form fields.
			if (jsonBody) {
				return `${where}: this operation consumes application/x-www-form-urlencoded; the request sent ${r.contentType || 'a JSON body'}`;
			}
			for (const req of schema?.required ?? []) {
				const values = lookup(r.params, req);
				if (!values || values.every((x) => x === '')) {
					if (bodyParam.required)
						return `${where}: missing required form field '${req}' (${schemaName})`;
				}
			}
			for (const [prop, ps] of Object.entries(schema?.properties ?? {})) {
				const values = lookup(r.params, prop);
				if (!values || values[0] === '') continue;
				const target = resolve(v, ps);
				if (ps.$ref && target && (target.type === 'object' || target.properties)) {
					// e.g. folder={"id":123,"type":"Folder"}
					let parsed: unknown;
					try {
						parsed = JSON.parse(values[0]);
					} catch {
						parsed = undefined;
					}
					if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
						return `${where}: form field '${prop}' must be JSON like {"id":123,"type":"Folder"} (${ps.$ref.replace('#/definitions/', '')}), got '${values[0]}'`;
					}
					for (const req of target.required ?? []) {
						if ((parsed as Record<string, unknown>)[req] === undefined)
							return `${where}: form field '${prop}' is missing property '${req}'`;
					}
					for (const [sub, ss] of Object.entries(target.properties ?? {})) {
						const err = checkJsonValue(
							(parsed as Record<string, unknown>)[sub],
							ss,
							`form field '${prop}.${sub}'`,
							v,
						);
						if (err) return `${where}: ${err}`;
					}
				} else if (target && target.type !== 'array' && target.type !== 'object') {
					const err = checkScalar(values[0], target.type, target.enum, `form field '${prop}'`);
					if (err) return `${where}: ${err}`;
				}
			}
			return undefined;
		}
		if (!jsonBody) {
			// A non-JSON body on a JSON operation is Marketo's own 612 "Invalid Content Type" (left to the handler).
			if (r.hasBody) return undefined;
			// Lead-database writes need their JSON body (the query `id` alternative of delete is optional).
			if (bodyParam.required && op.method !== 'GET')
				return `${where}: missing JSON request body (${schemaName})`;
			return undefined;
		}
		const body = r.body as Record<string, unknown>;
		if (schema && (schema.type === 'object' || schema.properties)) {
			if (!body || typeof body !== 'object' || Array.isArray(body))
				return `${where}: request body must be a JSON object (${schemaName})`;
			for (const req of schema.required ?? []) {
				if (body[req] === undefined)
					return `${where}: request body is missing required property '${req}' (${schemaName})`;
			}
			for (const [prop, ps] of Object.entries(schema.properties ?? {})) {
				const err = checkJsonValue(body[prop], ps, `request body property '${prop}'`, v);
				if (err) return `${where}: ${err} (${schemaName})`;
				const itemName = ps.items?.$ref?.replace('#/definitions/', '');
				const value = body[prop];
				if (itemName && TRUSTED_ITEM_SCHEMAS.has(itemName) && Array.isArray(value)) {
					const itemSchema = resolve(v, ps.items);
					for (let i = 0; i < value.length; i++) {
						const item = value[i];
						if (!item || typeof item !== 'object' || Array.isArray(item))
							return `${where}: '${prop}[${i}]' must be an object (${itemName})`;
						for (const req of itemSchema?.required ?? []) {
							if (req.includes('{')) continue;
							if ((item as Record<string, unknown>)[req] === undefined) {
								return `${where}: '${prop}[${i}]' is missing required property '${req}' (${itemName})`;
							}
						}
					}
				}
			}
		}
	}
	return undefined;
}
