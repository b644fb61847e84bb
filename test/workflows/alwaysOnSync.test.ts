/**
 * Static checks of the always-on sync set-up of the scheduled bundled workflows (issue 13): one
 * place for the frequency, positions and "changes only" records committed by a Commit Position step
 * that n8n's v1 execution order runs after every write (test/n8n/alwaysOnSync.test.ts runs them).
 */
import { readFileSync } from 'fs';
import { join, resolve } from 'path';

const DIR = resolve(__dirname, '..', '..', 'workflows');
const SCHEDULED = [
	'spotme-to-marketo-lead-push.json',
	'attendance-to-marketo-custom-objects.json',
	'attendance-to-program-member-status.json',
];

interface WfNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: Record<string, any>;
	notes?: string;
}
interface Wf {
	nodes: WfNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
	settings?: { executionOrder?: string };
}
const load = (file: string): Wf => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Wf;

describe.each(SCHEDULED)('%s: always-on sync', (file) => {
	const wf = load(file);
	const byName = new Map(wf.nodes.map((n) => [n.name, n]));

	it('the frequency is chosen in one place: the one "Auto-Sync Schedule" trigger, 15 / 30 / 60 / 180 minutes', () => {
		const schedules = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
		expect(schedules.map((n) => n.name)).toEqual(['Auto-Sync Schedule']);
		const [rule] = schedules[0].parameters.rule.interval;
		expect(rule.field).toBe('minutes');
		expect([15, 30, 60, 180]).toContain(rule.minutesInterval);
		expect(schedules[0].notes).toMatch(/15 \(default\), 30, 60 \(1 h\) or 180 \(3 h\)/);
		const sticky = wf.nodes.find((n) => n.name === 'Set-up')!.parameters.content as string;
		expect(sticky).toMatch(/Auto-Sync Schedule/);
		expect(wf.nodes.map((n) => n.name).join('|')).not.toMatch(/\d+ Minutes/);
	});

	it('every remembered position and "changes only" record is committed by a Commit Position step that runs after every other branch (v1 order: the lowest child of its parent)', () => {
		expect(wf.settings?.executionOrder).toBe('v1');
		const spotMe = wf.nodes.filter((n) => n.type === 'n8n-nodes-marketo-spotme.spotMe');
		for (const n of spotMe.filter((x) => x.parameters.options?.keepCursor))
			expect({ node: n.name, advance: n.parameters.options.advancePosition }).toEqual({
				node: n.name,
				advance: 'onCommit',
			});
		const commits = spotMe.filter((n) => n.parameters.operation === 'commitPosition');
		expect(commits).toHaveLength(1);
		const commit = commits[0];
		const parent = Object.entries(wf.connections).find(([, c]) =>
			c.main.some((out) => out.some((t) => t.node === commit.name)),
		);
		expect(parent).toBeDefined();
		const siblings = parent![1].main.flat().map((t) => byName.get(t.node)!);
		for (const s of siblings.filter((x) => x.name !== commit.name))
			expect(commit.position[1]).toBeGreaterThan(s.position[1]);
		expect(
			spotMe.some(
				(n) => n.parameters.options?.keepCursor || n.parameters.options?.onlyChanged !== undefined,
			),
		).toBe(true);
	});
});

it('attendance workflows pass on only changed records unless Settings fullReconcile is on', () => {
	for (const file of SCHEDULED.slice(1)) {
		const wf = load(file);
		const settings = wf.nodes.find((n) => n.name === 'Settings')!;
		const full = settings.parameters.assignments.assignments.find(
			(a: { name: string }) => a.name === 'fullReconcile',
		);
		expect({ file, value: full?.value, type: full?.type }).toEqual({
			file,
			value: false,
			type: 'boolean',
		});
		const reads = wf.nodes.filter(
			(n) =>
				n.type === 'n8n-nodes-marketo-spotme.spotMe' &&
				['getAll', 'computeStatus'].includes(n.parameters.operation),
		);
		expect(reads.length).toBeGreaterThan(0);
		for (const n of reads)
			expect(n.parameters.options.onlyChanged).toBe(
				"={{ !$('Settings').first().json.fullReconcile }}",
			);
	}
});
