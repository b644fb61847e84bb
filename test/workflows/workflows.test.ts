/**
 * Static checks of the bundled workflows (workflows/*.json), without n8n: each file parses, names
 * only node types that exist (this package's at a version it has, n8n core nodes at versions n8n
 * 2.40.7 has), gives this package's nodes only parameters their description shows for the chosen
 * resource/operation (with valid option values), connects existing nodes, references existing nodes
 * and Settings fields in its expressions, and holds no secret. test/n8n/workflows.test.ts runs them.
 */
import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { nodeTypes, PACKAGE_NAME } from '../../dev/harness/engine';

const DIR = resolve(__dirname, '..', '..', 'workflows');
const FILES = readdirSync(DIR)
	.filter((f) => f.endsWith('.json'))
	.sort();

/** n8n core node types the workflows may use, with the versions n8n 2.40.7's n8n-nodes-base has. */
const CORE_NODES: Record<string, number[]> = {
	'n8n-nodes-base.manualTrigger': [1],
	'n8n-nodes-base.scheduleTrigger': [1, 1.1, 1.2, 1.3],
	'n8n-nodes-base.set': [3, 3.1, 3.2, 3.3, 3.4],
	'n8n-nodes-base.filter': [1, 2, 2.1, 2.2],
	'n8n-nodes-base.if': [1, 2, 2.1, 2.2],
	'n8n-nodes-base.stickyNote': [1],
	'n8n-nodes-base.stopAndError': [1],
	'n8n-nodes-base.formTrigger': [2, 2.1, 2.2],
	'n8n-nodes-base.dataTable': [1, 1.1],
};

interface WfNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	disabled?: boolean;
}
interface Wf {
	name: string;
	nodes: WfNode[];
	connections: Record<
		string,
		Record<string, Array<Array<{ node: string; type: string; index: number }> | null>>
	>;
	settings?: Record<string, unknown>;
}

const load = (file: string): Wf => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Wf;
const ours = (n: WfNode) => n.type.startsWith(`${PACKAGE_NAME}.`);
const isExpression = (v: unknown) => typeof v === 'string' && v.startsWith('=');

function description(type: string, version: number): INodeTypeDescription {
	return nodeTypes().getByNameAndVersion(type, version).description;
}

/** n8n's displayOptions, enough for this package's descriptions: show/hide by sibling values. */
function visible(
	p: INodeProperties,
	values: Record<string, unknown>,
	all: INodeProperties[],
): boolean {
	const valueOf = (key: string) => {
		if (key in values) return values[key];
		return all.find((q) => q.name === key && visible(q, values, all))?.default;
	};
	for (const [key, allowed] of Object.entries(p.displayOptions?.show ?? {})) {
		if (key.startsWith('@') || key.startsWith('/')) continue;
		if (!(allowed as unknown[]).includes(valueOf(key))) return false;
	}
	for (const [key, denied] of Object.entries(p.displayOptions?.hide ?? {})) {
		if (key.startsWith('@') || key.startsWith('/')) continue;
		if ((denied as unknown[]).includes(valueOf(key))) return false;
	}
	return true;
}

/** Problems with one value against its property (options values, collection keys, locator modes). */
function checkValue(p: INodeProperties, value: unknown, where: string): string[] {
	if (isExpression(value)) return [];
	const problems: string[] = [];
	if (p.type === 'options' && !p.typeOptions?.loadOptionsMethod) {
		const allowed = (p.options ?? []).map((o) => (o as { value: unknown }).value);
		if (!allowed.includes(value))
			problems.push(`${where}: "${String(value)}" is not one of ${allowed.join(', ')}`);
	}
	if (p.type === 'collection' && value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) {
			const sub = (p.options as INodeProperties[] | undefined)?.find((o) => o.name === k);
			if (!sub) problems.push(`${where}.${k}: not an option of ${p.name}`);
			else problems.push(...checkValue(sub, v, `${where}.${k}`));
		}
	}
	if (p.type === 'fixedCollection' && value && typeof value === 'object') {
		for (const [k, rows] of Object.entries(value)) {
			const group = (
				p.options as Array<{ name: string; values: INodeProperties[] }> | undefined
			)?.find((o) => o.name === k);
			if (!group) {
				problems.push(`${where}.${k}: not a group of ${p.name}`);
				continue;
			}
			for (const row of (Array.isArray(rows) ? rows : [rows]) as Array<Record<string, unknown>>) {
				for (const [rk, rv] of Object.entries(row)) {
					const sub = group.values.find((o) => o.name === rk);
					if (!sub) problems.push(`${where}.${k}.${rk}: unknown field`);
					else problems.push(...checkValue(sub, rv, `${where}.${k}.${rk}`));
				}
			}
		}
	}
	if (p.type === 'resourceLocator') {
		const rl = value as { __rl?: boolean; mode?: string };
		const modes = (p.modes ?? []).map((m) => m.name);
		if (!rl || rl.__rl !== true || !modes.includes(String(rl.mode)))
			problems.push(`${where}: a resource locator needs __rl and a mode of ${modes.join(', ')}`);
	}
	if (p.type === 'resourceMapper') {
		const rm = value as { mappingMode?: string; value?: unknown };
		if (!rm || !['defineBelow', 'autoMapInputData'].includes(String(rm.mappingMode)))
			problems.push(`${where}: resource mapper needs a mappingMode`);
	}
	return problems;
}

/** Every parameter of one of this package's nodes must be a property the node shows for these values. */
function parameterProblems(node: WfNode): string[] {
	const desc = description(node.type, node.typeVersion);
	const problems: string[] = [];
	for (const [key, value] of Object.entries(node.parameters)) {
		const candidates = desc.properties.filter(
			(p) => p.name === key && visible(p, node.parameters, desc.properties),
		);
		if (candidates.length === 0) {
			problems.push(
				`${node.name}: parameter "${key}" is not shown by ${node.type} for these settings`,
			);
			continue;
		}
		// Several properties may share a name (one per operation): one of them must accept the value.
		const each = candidates.map((p) => checkValue(p, value, `${node.name}.${key}`));
		if (each.every((list) => list.length > 0)) problems.push(...each[0]);
	}
	for (const p of desc.properties) {
		if (
			p.required &&
			p.type !== 'notice' &&
			visible(p, node.parameters, desc.properties) &&
			!(p.name in node.parameters) &&
			(p.default === '' || p.default === undefined)
		) {
			problems.push(`${node.name}: required parameter "${p.name}" is missing`);
		}
	}
	return problems;
}

function allStrings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) value.forEach((v) => allStrings(v, out));
	else if (value && typeof value === 'object')
		Object.values(value).forEach((v) => allStrings(v, out));
	return out;
}

describe('bundled workflows (static)', () => {
	it('there are the six workflows', () => {
		expect(FILES).toEqual([
			'attendance-to-marketo-custom-objects.json',
			'attendance-to-program-member-status.json',
			'clone-marketo-program.json',
			'marketo-to-spotme-lead-push.json',
			'set-up-event.json',
			'set-up-marketo-for-spotme.json',
			'spotme-to-marketo-lead-push.json',
		]);
	});

	describe.each(FILES)('%s', (file) => {
		const wf = load(file);
		const byName = new Map(wf.nodes.map((n) => [n.name, n]));

		it('parses, with unique node names and ids, and v1 execution order', () => {
			expect(typeof wf.name).toBe('string');
			expect(byName.size).toBe(wf.nodes.length);
			expect(new Set(wf.nodes.map((n) => n.id)).size).toBe(wf.nodes.length);
			expect(wf.settings?.executionOrder).toBe('v1');
			for (const n of wf.nodes)
				expect(Array.isArray(n.position) && n.position.length === 2).toBe(true);
		});

		it('uses only node types that exist, at versions that exist', () => {
			for (const n of wf.nodes) {
				if (ours(n)) {
					const desc = description(n.type, n.typeVersion);
					const versions = ([] as number[]).concat(desc.version);
					expect({ node: n.name, version: versions.includes(n.typeVersion) }).toEqual({
						node: n.name,
						version: true,
					});
				} else {
					expect({
						node: n.name,
						type: n.type,
						known: (CORE_NODES[n.type] ?? []).includes(n.typeVersion),
					}).toEqual({ node: n.name, type: n.type, known: true });
				}
			}
		});

		it("gives this package's nodes only parameters and option values their description knows", () => {
			const problems = wf.nodes.filter(ours).flatMap(parameterProblems);
			expect(problems).toEqual([]);
		});

		it('connects only existing nodes, from every node but the last to a next one', () => {
			for (const [from, outputs] of Object.entries(wf.connections)) {
				expect(byName.has(from)).toBe(true);
				for (const list of outputs.main ?? [])
					for (const c of list ?? [])
						expect({ from, to: c.node, exists: byName.has(c.node) }).toEqual({
							from,
							to: c.node,
							exists: true,
						});
			}
			const targets = new Set(
				Object.values(wf.connections).flatMap((o) => (o.main ?? []).flat().map((c) => c?.node)),
			);
			for (const n of wf.nodes) {
				if (n.type === 'n8n-nodes-base.stickyNote') continue;
				const isTrigger = /trigger/i.test(n.type);
				// Every node except the triggers is reached from somewhere.
				if (!isTrigger)
					expect({ node: n.name, reached: targets.has(n.name) }).toEqual({
						node: n.name,
						reached: true,
					});
			}
		});

		it("routes failures by n8n's error output: every node that continues on error sends its error output to a named collecting node, and no If or Filter node sorts items by their error field", () => {
			const errorOutputs: Array<{ node: string; to: string[] }> = [];
			for (const n of wf.nodes as Array<WfNode & { onError?: string }>) {
				if (n.onError === 'continueErrorOutput') {
					const to = (wf.connections[n.name]?.main?.[1] ?? []).map((c) => c.node);
					errorOutputs.push({ node: n.name, to });
					// A node whose error output leads nowhere would drop its failed items.
					expect({ node: n.name, errorOutputConnected: to.length > 0 }).toEqual({
						node: n.name,
						errorOutputConnected: true,
					});
					for (const target of to)
						expect({ node: n.name, to: target }).toEqual({
							node: n.name,
							to: expect.stringMatching(/^(Failed|Refused) /),
						});
				}
				// "Continue (regular output)" only where a failure is an expected answer: the event
				// configuration's Data table (no table yet, no data-table module under `n8n execute`).
				if (n.onError === 'continueRegularOutput')
					expect({ node: n.name, type: n.type }).toEqual({
						node: n.name,
						type: 'n8n-nodes-base.dataTable',
					});
				if (n.type === 'n8n-nodes-base.if' || n.type === 'n8n-nodes-base.filter')
					expect({
						node: n.name,
						readsError: /\$json\.error\b/.test(JSON.stringify(n.parameters)),
					}).toEqual({
						node: n.name,
						readsError: false,
					});
			}
			if (/spotme-to-marketo|program-member-status|custom-objects/.test(file))
				expect(errorOutputs.length).toBeGreaterThan(0);
		});

		it('starts with a Settings node right after every trigger (after reading the event configuration), and explains itself in sticky notes', () => {
			const settings = byName.get('Settings');
			expect(settings?.type).toBe('n8n-nodes-base.set');
			const triggers = wf.nodes.filter((n) => /trigger/i.test(n.type));
			expect(triggers.length).toBeGreaterThan(0);
			const first = byName.has('Event Configuration') ? 'Event Configuration' : 'Settings';
			for (const t of triggers)
				expect(wf.connections[t.name]?.main?.[0]?.map((c) => c.node)).toEqual([first]);
			if (first !== 'Settings')
				expect(wf.connections[first]?.main?.[0]?.map((c) => c.node)).toEqual(['Settings']);
			const notes = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote');
			expect(notes.length).toBeGreaterThan(0);
			expect(notes.some((n) => /credential/i.test(String(n.parameters.content)))).toBe(true);
		});

		it('can be run by `n8n execute`: a scheduled workflow also has a manual trigger', () => {
			const hasSchedule = wf.nodes.some((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
			const hasManual = wf.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger');
			const hasWebhook = wf.nodes.some((n) => n.type === `${PACKAGE_NAME}.marketoTrigger`);
			expect(hasManual || hasWebhook).toBe(true);
			if (hasSchedule) expect(hasManual).toBe(true);
		});

		it('references only existing nodes and Settings fields in its expressions', () => {
			const settings = byName.get('Settings')!;
			const fields = new Set(
				(
					(settings.parameters.assignments as { assignments: Array<{ name: string }> })
						.assignments ?? []
				).map((a) => a.name),
			);
			for (const n of wf.nodes) {
				for (const s of allStrings(n.parameters)) {
					for (const m of s.matchAll(/\$\(\s*'([^']+)'\s*\)/g))
						expect({ in: n.name, node: m[1], exists: byName.has(m[1]) }).toEqual({
							in: n.name,
							node: m[1],
							exists: true,
						});
					for (const m of s.matchAll(
						/\$\('Settings'\)\.(?:first\(\)|item)\.json\.([A-Za-z0-9_]+)/g,
					)) {
						expect({ in: n.name, field: m[1], exists: fields.has(m[1]) }).toEqual({
							in: n.name,
							field: m[1],
							exists: true,
						});
					}
				}
			}
		});

		it('holds no secret: credentials by type with an empty id, no secret values, no tokens', () => {
			for (const n of wf.nodes) {
				for (const [type, ref] of Object.entries(n.credentials ?? {})) {
					expect(['marketoApi', 'marketoWebhookApi', 'spotMeApi']).toContain(type);
					expect(ref.id).toBe('');
					expect(ref.name.length).toBeGreaterThan(0);
				}
				if (n.type === `${PACKAGE_NAME}.marketoTrigger`) expect(n.parameters.secret ?? '').toBe('');
			}
			const text = readFileSync(join(DIR, file), 'utf8');
			expect(text).not.toMatch(
				/"(clientSecret|apiToken|accessToken|password|client_secret|access_token)"\s*:/i,
			);
			expect(text).not.toMatch(/Bearer [A-Za-z0-9._-]{12,}/);
			expect(text).not.toMatch(/emulator-client-secret|spotme-test-token/);
			expect((wf as unknown as Record<string, unknown>).staticData ?? null).toBeNull();
		});

		it('credentials are set on every node of this package that needs them', () => {
			for (const n of wf.nodes.filter(ours)) {
				// A credential hidden for the node's resource (Marketo › Call Webhook › Answer calls no API) is not needed.
				const shown = (values?: Record<string, unknown>) =>
					Object.entries(values ?? {}).every(([name, list]) =>
						(list as unknown[]).includes(n.parameters?.[name]),
					);
				const needed = (description(n.type, n.typeVersion).credentials ?? [])
					.filter(
						(c) =>
							c.required &&
							shown(c.displayOptions?.show as Record<string, unknown>) &&
							(!c.displayOptions?.hide ||
								!Object.entries(c.displayOptions.hide).some(([name, list]) =>
									(list as unknown[]).includes(n.parameters?.[name]),
								)),
					)
					.map((c) => c.name);
				for (const c of needed)
					expect({ node: n.name, credential: c, set: !!n.credentials?.[c] }).toEqual({
						node: n.name,
						credential: c,
						set: true,
					});
			}
		});
	});
});
