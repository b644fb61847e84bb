/**
 * What ops people see of the package in n8n's node panel, checked on the node descriptions and the
 * codex files with the rules n8n 2.40.7's editor applies (read from its bundle):
 * - the node creator merges `<name>Trigger` into the node `<name>` and gives the merged "app" entry
 *   the trigger's description (useActionsGeneration: `app.description = trigger.description`);
 * - a trigger with an "Event" / "Events" / "Trigger On" options property gets one action per option,
 *   and a node with more than one action is listed with "Trigger" cut from its name
 *   (NodeItem: `displayName.replace('Trigger', '')`);
 * - the codex `<Node>.node.json` next to the built node gives categories, search aliases and the
 *   documentation links (n8n-core DirectoryLoader.getCodex).
 * The browser suite (test/n8n/editor.test.ts) checks the same in the running editor.
 */
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { MarketoApi } from '../../credentials/MarketoApi.credentials';
import { SpotMeApi } from '../../credentials/SpotMeApi.credentials';
import { Marketo } from '../../nodes/Marketo/Marketo.node';
import { MarketoActivityTrigger } from '../../nodes/Marketo/MarketoActivityTrigger.node';
import { MarketoTrigger } from '../../nodes/Marketo/MarketoTrigger.node';
import { SpotMe } from '../../nodes/SpotMe/SpotMe.node';

const ROOT = resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	homepage: string;
	n8n: { nodes: string[] };
};
const REPO = pkg.homepage.replace(/#.*$/, '');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function readmeAnchors(): Set<string> {
	const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
	const anchors = new Set<string>();
	for (const line of readme.split('\n')) {
		const m = /^#{1,6}\s+(.*)$/.exec(line);
		if (!m) continue;
		anchors.add(
			m[1]
				.trim()
				.toLowerCase()
				.replace(/[^\p{L}\p{N}\s_-]/gu, '')
				.replace(/\s/g, '-'),
		);
	}
	return anchors;
}

function anchorOf(url: string): string | undefined {
	if (!url.startsWith(REPO)) return undefined;
	return url.split('#')[1];
}

interface Codex {
	node: string;
	categories: string[];
	alias: string[];
	resources: Record<string, Array<{ url: string }>>;
}

const nodes: Array<{ file: string; description: INodeTypeDescription }> = [
	{ file: 'nodes/Marketo/Marketo.node', description: new Marketo().description },
	{ file: 'nodes/Marketo/MarketoTrigger.node', description: new MarketoTrigger().description },
	{
		file: 'nodes/Marketo/MarketoActivityTrigger.node',
		description: new MarketoActivityTrigger().description,
	},
	{ file: 'nodes/SpotMe/SpotMe.node', description: new SpotMe().description },
];

describe('codex files (categories, search, documentation links)', () => {
	it('lists every node of package.json, and nothing else', () => {
		expect(nodes.map((n) => `dist/${n.file}.js`).sort()).toEqual([...pkg.n8n.nodes].sort());
	});

	it.each(nodes.map((n) => [n.file, n] as const))(
		'%s has a codex: categories Marketing and Sales, aliases, links to README sections that exist',
		(_file, { file, description }) => {
			const path = join(ROOT, `${file}.json`);
			expect(existsSync(path)).toBe(true);
			const codex = JSON.parse(readFileSync(path, 'utf8')) as Codex;
			expect(codex.node).toBe(`${pkg.name}.${description.name}`);
			expect(codex.categories).toEqual(expect.arrayContaining(['Marketing', 'Sales']));
			const aliases = codex.alias.map((a) => a.toLowerCase());
			expect(aliases).toContain('marketing');
			if (description.name.startsWith('marketo')) expect(aliases).toContain('adobe');
			const urls = Object.values(codex.resources).flatMap((list) => list.map((r) => r.url));
			expect(urls.length).toBeGreaterThan(0);
			const anchors = readmeAnchors();
			for (const url of urls) {
				const anchor = anchorOf(url);
				expect({ url, anchor }).toEqual({ url, anchor: expect.any(String) });
				expect({ url, exists: anchors.has(anchor!) }).toEqual({ url, exists: true });
			}
		},
	);

	it('the build copies the codex files next to the built nodes', () => {
		const gulp = readFileSync(join(ROOT, 'gulpfile.js'), 'utf8');
		expect(gulp).toMatch(/nodes\/\*\*\/\*\.node\.json/);
		for (const { file } of nodes) {
			if (existsSync(join(ROOT, 'dist', `${file}.js`)))
				expect(existsSync(join(ROOT, 'dist', `${file}.json`))).toBe(true);
		}
	});

	it.each([
		['marketoApi', new MarketoApi().documentationUrl],
		['spotMeApi', new SpotMeApi().documentationUrl],
	])("the %s credential's documentation link points to a section that exists", (_n, url) => {
		const anchor = anchorOf(url);
		if (anchor === undefined) return; // a page of the service itself (Adobe's documentation)
		expect({ url, exists: readmeAnchors().has(anchor) }).toEqual({ url, exists: true });
	});
});

/** n8n's node panel: which of a trigger's properties becomes its list of actions. */
const eventProperty = (d: INodeTypeDescription): INodeProperties | undefined =>
	d.properties.find((p) => ['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()));

describe('node panel entries', () => {
	it('the "Marketo" app entry (Marketo node + Marketo Trigger merged) shows the action node\'s description', () => {
		// The editor merges marketoTrigger into marketo and shows the trigger's description on it.
		expect(new MarketoTrigger().description.description).toBe(
			new Marketo().description.description,
		);
		expect(new Marketo().description.description).toMatch(/leads/);
	});

	it('the Marketo Activity Trigger keeps "Trigger" in its listed name (no event options turned into actions)', () => {
		const d = new MarketoActivityTrigger().description;
		expect(eventProperty(d)).toBeUndefined();
		expect(d.displayName).toBe('Marketo Activity Trigger');
	});

	it('actions read as sentences with proper nouns (API, ID)', () => {
		const actions = [new Marketo(), new SpotMe()].flatMap((n) =>
			n.description.properties
				.filter((p) => p.name === 'operation')
				.flatMap((p) => (p.options ?? []) as Array<{ action?: string }>)
				.map((o) => o.action ?? ''),
		);
		expect(actions).toContain('Get API usage of today');
		expect(actions.filter((a) => /\bapi\b|\bid\b/.test(a))).toEqual([]);
	});
});

/** Evaluates a subtitle expression the way the editor does, for plain-JS expressions. */
function subtitle(expression: string, parameters: Record<string, unknown>): string {
	const body = /^=\{\{([\s\S]*)\}\}$/.exec(expression)?.[1];
	if (!body) throw new Error(`not an expression: ${expression}`);
	return new Function('$parameter', `return (${body});`)(parameters) as string;
}

describe("canvas subtitles in the user's words", () => {
	it.each([
		[
			'SpotMe',
			{ resource: 'person', operation: 'setMarketoLeadId' },
			'Set the Marketo lead ID of a person',
			new SpotMe().description,
		],
		[
			'Marketo',
			{ resource: 'lead', operation: 'upsert' },
			'Create or update leads',
			new Marketo().description,
		],
		[
			'Marketo',
			{ resource: 'usage', operation: 'getToday' },
			'Get API usage of today',
			new Marketo().description,
		],
		[
			'Marketo Activity Trigger',
			{ event: 'newLead' },
			'On new lead',
			new MarketoActivityTrigger().description,
		],
	])('%s with %j reads "%s"', (_node, parameters, expected, description) => {
		expect(subtitle(description.subtitle!, parameters)).toBe(expected);
	});

	it('every operation of both nodes has a subtitle without internal values', () => {
		for (const node of [new Marketo(), new SpotMe()]) {
			const d = node.description;
			const resources = (d.properties.find((p) => p.name === 'resource')!.options ?? []) as Array<{
				value: string;
			}>;
			for (const r of resources) {
				const ops = d.properties.find(
					(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r.value),
				)!.options as Array<{ value: string; action: string }>;
				for (const o of ops) {
					const text = subtitle(d.subtitle!, { resource: r.value, operation: o.value });
					expect({ r: r.value, o: o.value, text }).toEqual({
						r: r.value,
						o: o.value,
						text: o.action,
					});
				}
			}
		}
	});
});

describe("the Marketo Trigger's set-up in Marketo", () => {
	const props = new MarketoTrigger().description.properties;
	const steps = props.filter((p) => p.type === 'callout' || p.type === 'notice');
	const setup = steps.filter((p) => /^<b>\d+\./.test(p.displayName));

	it('is separate steps, each its own callout, numbered in order, at the top of the node', () => {
		expect(setup.length).toBeGreaterThanOrEqual(5);
		expect(setup.map((p) => Number(/^<b>(\d+)\./.exec(p.displayName)![1]))).toEqual(
			setup.map((_p, i) => i + 1),
		);
		expect(props.slice(0, setup.length)).toEqual(setup);
		// n8n's notice keeps only links and lists; a callout keeps bold text and code blocks.
		for (const p of setup)
			expect({ name: p.name, type: p.type }).toEqual({ name: p.name, type: 'callout' });
		for (const p of setup) expect(p.displayName).not.toMatch(/<br\s*\/?>/);
	});

	it('has the JSON template alone in a code block, valid JSON once Marketo fills its tokens', () => {
		const blocks = setup.flatMap((p) =>
			[...p.displayName.matchAll(/<pre><code>([\s\S]*?)<\/code><\/pre>/g)].map((m) => m[1]),
		);
		expect(blocks).toHaveLength(1);
		const filled = blocks[0].replace(/\{\{[^}]+\}\}/g, '"value"');
		expect(Object.keys(JSON.parse(filled))).toEqual(
			expect.arrayContaining(['email', 'leadId', 'programId']),
		);
	});
});

describe('labels fit the node panel (n8n cuts a longer one with "…")', () => {
	// Measured in the browser suite (test/n8n/editor.test.ts checks every label it opens for an
	// ellipsis) at 1440×900: beside its Fixed/Expression switch a parameter's label keeps about 255 px
	// (40 characters were cut, 35 fitted) and a collection option's about 180 px (27 characters
	// were cut). The limits keep a margin for wide letters.
	const LIMITS = { parameter: 34, option: 25 };
	const tooLong: string[] = [];
	const walk = (node: string, props: INodeProperties[], nested: boolean) => {
		for (const p of props) {
			if (['notice', 'callout', 'hidden'].includes(p.type)) continue;
			if (p.displayName.length > (nested ? LIMITS.option : LIMITS.parameter))
				tooLong.push(`${node} › ${p.name}: "${p.displayName}" (${p.displayName.length})`);
			if (p.type === 'collection') walk(node, (p.options ?? []) as INodeProperties[], true);
			if (p.type === 'fixedCollection')
				for (const o of (p.options ?? []) as Array<{ values?: INodeProperties[] }>)
					walk(node, o.values ?? [], true);
		}
	};
	for (const { description } of nodes) walk(description.name, description.properties, false);

	it('every parameter label of the four nodes is within the limits', () => {
		expect([...new Set(tooLong)]).toEqual([]);
	});
});

describe('what npm pack ships', () => {
	it('no source maps, no TypeScript declarations, the codex files; the build has source maps off', () => {
		const { spawnSync } = require('child_process') as typeof import('child_process');
		const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: ROOT,
			encoding: 'utf8',
		});
		expect(r.status).toBe(0);
		const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map(
			(f) => f.path,
		);
		expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
		// n8n's scanner (@n8n/scan-community-package) lints every *.ts of the tarball with the
		// source-file rules, and a credentials/X.credentials.d.ts breaks its file-name rule.
		expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
		if (files.some((f) => f.endsWith('Marketo.node.js')))
			expect(files).toContain('dist/nodes/Marketo/Marketo.node.json');
		const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));
		expect(tsconfig.compilerOptions.sourceMap).toBe(false);
	});
});

describe('Marketo node panels', () => {
	const props = new Marketo().description.properties;

	it('the custom object field mapper waits for a custom object (no red "No fields found" before)', () => {
		const mapper = props.find(
			(p) => p.name === 'columns' && p.displayOptions?.show?.resource?.includes('customObject'),
		)!;
		expect(mapper.type).toBe('resourceMapper');
		expect(mapper.displayOptions?.hide?.customObjectName).toEqual(['']);
	});
});

describe('GitHub Actions, ready for the day the repository is public', () => {
	const read = (f: string) => readFileSync(join(ROOT, '.github', 'workflows', f), 'utf8');

	it('CI runs .ci/run (which installs chromium for the browser tests)', () => {
		expect(read('ci.yml')).toMatch(/run: bash \.ci\/run/);
		expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/apt-get install[^\n]*chromium/);
	});

	it('publish runs on a release tag, with id-token: write and npm publish --provenance', () => {
		const publish = read('publish.yml');
		expect(publish).toMatch(/tags: \['v\*'\]/);
		expect(publish).toMatch(/id-token: write/);
		expect(publish).toMatch(/npm publish --provenance/);
		expect(publish).toMatch(/run: bash \.ci\/run/);
		// n8n's scanner legs (scripts/scan-package.sh) pass before anything is published.
		expect(publish.indexOf('run: npm run scan')).toBeGreaterThan(-1);
		expect(publish.indexOf('run: npm run scan')).toBeLessThan(publish.indexOf('npm publish'));
	});
});

describe('SpotMe node panels', () => {
	it('Apply Attendance Criteria hides "Now" from marketers (tests and replays still set it)', () => {
		const now = new SpotMe().description.properties.find(
			(p) => p.name === 'now' && p.displayOptions?.show?.operation?.includes('computeStatus'),
		)!;
		expect(now.type).toBe('hidden');
	});

	it('Apply Attendance Criteria asks for its workspace with the Workspace picker', () => {
		const options = new SpotMe().description.properties.find(
			(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('computeStatus'),
		)!;
		const workspace = (
			options.options as Array<{
				name: string;
				type?: string;
				modes?: Array<{ typeOptions?: { searchListMethod?: string } }>;
			}>
		).find((o) => o.name === 'workspaceId')!;
		expect(workspace.type).toBe('resourceLocator');
		expect(workspace.modes?.[0].typeOptions?.searchListMethod).toBe('searchWorkspaces');
	});
});
