/**
 * The one event configuration (issue 12), checked in the files themselves: every bundled workflow
 * that works on an event reads it from one n8n data table, addressed by name (so an imported file
 * needs no re-linking); the event set-up and the program clone write that same table, keyed on the
 * workspace, with every column the readers read; no workflow asks for a typed ID any more (pickers
 * "From list"); and the frequency gate lets a 15-minute schedule through every 15 / 30 / 60 / 180
 * minutes as configured. test/n8n/eventConfiguration.test.ts runs the same files in a real n8n.
 */
import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';

import { PACKAGE_NAME } from '../../dev/harness/engine';

const DIR = resolve(__dirname, '..', '..', 'workflows');
const FILES = readdirSync(DIR)
	.filter((f) => f.endsWith('.json'))
	.sort();
const TABLE = 'SpotMe event configuration';

interface WfNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	alwaysOutputData?: boolean;
	onError?: string;
}
interface Wf {
	nodes: WfNode[];
	connections: Record<string, { main?: Array<Array<{ node: string }> | null> }>;
}
const load = (file: string): Wf => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Wf;
const node = (wf: Wf, name: string) => wf.nodes.find((n) => n.name === name);
/** An n8n expression (`={{ … }}`) as a function of `$`, evaluated as n8n would. */
const expressionFn = <T>(expr: string) =>
	new Function('$', `return (${/^=\{\{([\s\S]*)\}\}$/.exec(expr)![1]});`) as ($: unknown) => T;
/** The first condition of an If or Filter node, as a function of `$`. */
const conditionOf = (wf: Wf, name: string) =>
	expressionFn<boolean>(
		String(
			(node(wf, name)!.parameters.conditions as { conditions: Array<{ leftValue: string }> })
				.conditions[0].leftValue,
		),
	);
/** A Stop and Error node's message, as a function of `$`. */
const errorMessageOf = (wf: Wf, name: string) =>
	expressionFn<string>(String(node(wf, name)!.parameters.errorMessage));
const assignment = (wf: Wf, name: string) =>
	(
		node(wf, 'Settings')!.parameters.assignments as {
			assignments: Array<{ name: string; value: unknown }>;
		}
	).assignments.find((a) => a.name === name);

/** The workflows that work on an event (all but the two set-ups and the clone, which write it). */
const READERS = [
	'attendance-to-marketo-custom-objects.json',
	'attendance-to-program-member-status.json',
	'marketo-to-spotme-lead-push.json',
	'spotme-to-marketo-lead-push.json',
];
const WRITERS: Record<string, string> = {
	'set-up-event.json': 'Save Event Configuration',
	'clone-marketo-program.json': 'Record Event Program',
};

describe('one event configuration (static)', () => {
	it('every workflow but the Marketo schema set-up either reads or writes it', () => {
		expect(
			FILES.filter((f) => f !== 'set-up-marketo-for-spotme.json' && !(f in WRITERS)).sort(),
		).toEqual([...READERS].sort());
	});

	describe.each(READERS)('%s reads it', (file) => {
		const wf = load(file);

		it('from the data table by name, the active row updated last, right after its triggers', () => {
			const read = node(wf, 'Event Configuration')!;
			expect(read.type).toBe('n8n-nodes-base.dataTable');
			expect(read.parameters).toMatchObject({
				resource: 'row',
				operation: 'get',
				dataTableId: { __rl: true, mode: 'name', value: TABLE },
				filters: { conditions: [{ keyName: 'active', condition: 'isTrue' }] },
				limit: 1,
				orderBy: true,
				orderByColumn: 'updatedAt',
				orderByDirection: 'DESC',
			});
			// No row or no table still reaches the check that names the set-up workflow.
			expect(read.alwaysOutputData).toBe(true);
			expect(read.onError).toBe('continueRegularOutput');
			for (const t of wf.nodes.filter((n) => /trigger/i.test(n.type)))
				expect(wf.connections[t.name].main![0]!.map((c) => c.node)).toEqual([
					'Event Configuration',
				]);
		});

		it("its Settings take the event's values from it; nothing else is typed", () => {
			expect(assignment(wf, 'spotMeWorkspaceId')?.value).toBe('={{ $json.spotMeWorkspaceId }}');
			const program = assignment(wf, 'marketoProgramId');
			if (program) expect(program.value).toBe('={{ $json.marketoProgramId }}');
			const text = JSON.stringify(wf);
			expect(text).not.toContain('REPLACE_WITH');
		});

		it('stops with a message naming the set-up workflow when no event is set up', () => {
			const check = node(wf, 'Event Set Up?')!;
			expect(wf.connections.Settings.main![0]!.map((c) => c.node)).toEqual(['Event Set Up?']);
			expect(wf.connections['Event Set Up?'].main![1]!.map((c) => c.node)).toEqual([
				'No Event Set Up',
			]);
			expect(JSON.stringify(check.parameters)).toContain(
				"$('Settings').first().json.spotMeWorkspaceId",
			);
			if (assignment(wf, 'marketoProgramId'))
				expect(JSON.stringify(check.parameters)).toContain(
					"$('Settings').first().json.marketoProgramId",
				);
			expect(String(node(wf, 'No Event Set Up')!.parameters.errorMessage)).toContain(
				'set-up-event.json',
			);
		});
	});

	it('the writers create the table with every column a reader reads, and upsert the row of the workspace', () => {
		const read = new Set<string>();
		for (const file of READERS)
			for (const a of (
				node(load(file), 'Settings')!.parameters.assignments as {
					assignments: Array<{ value: unknown }>;
				}
			).assignments)
				for (const m of String(a.value).matchAll(/\$json\.([A-Za-z0-9_]+)/g)) read.add(m[1]);
		expect([...read].sort()).toEqual(
			['marketoProgramId', 'spotMeWorkspaceId', 'statusMapping', 'syncEveryMinutes'].sort(),
		);
		for (const [file, saveName] of Object.entries(WRITERS)) {
			const wf = load(file);
			const table = node(wf, 'Event Configuration Table')!;
			expect(table.parameters).toMatchObject({
				resource: 'table',
				operation: 'create',
				tableName: TABLE,
				options: { createIfNotExists: true },
			});
			const columns = (table.parameters.columns as { column: Array<{ name: string }> }).column.map(
				(c) => c.name,
			);
			for (const c of [...read, 'active'])
				expect({ file, column: c, created: columns.includes(c) }).toEqual({
					file,
					column: c,
					created: true,
				});
			const save = node(wf, saveName)!;
			expect(save.parameters).toMatchObject({
				resource: 'row',
				operation: 'upsert',
				dataTableId: { __rl: true, mode: 'name', value: TABLE },
				filters: { conditions: [{ keyName: 'spotMeWorkspaceId' }] },
			});
			const values = (save.parameters.columns as { value: Record<string, unknown> }).value;
			expect(values.active).toBe(true);
			expect(String(values.spotMeWorkspaceId)).toMatch(/^=\{\{ \$\('SpotMe: /);
			expect(String(values.marketoProgramId)).toMatch(/^=\{\{ String\(\$\('Marketo: /);
			expect(wf.connections['Event Configuration Table'].main![0]!.map((c) => c.node)).toEqual([
				saveName,
			]);
		}
		// The clone records the program it made, not the template.
		const clone = node(load('clone-marketo-program.json'), 'Record Event Program')!;
		expect(
			(clone.parameters.columns as { value: Record<string, unknown> }).value.marketoProgramId,
		).toBe("={{ String($('Marketo: Clone Program').first().json.id) }}");
	});

	it.each(FILES)(
		'%s asks for no typed ID: every workspace, program and folder of our nodes is a picker (From list) or comes from an earlier node',
		(file) => {
			const wf = load(file);
			for (const n of wf.nodes.filter((x) => x.type.startsWith(`${PACKAGE_NAME}.`))) {
				const locators: Array<[string, { mode: string; value: unknown }]> = [];
				const walk = (v: unknown, path: string) => {
					if (v && typeof v === 'object' && (v as { __rl?: boolean }).__rl === true)
						locators.push([path, v as { mode: string; value: unknown }]);
					else if (v && typeof v === 'object')
						for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
				};
				walk(n.parameters, n.name);
				for (const [where, rl] of locators) {
					const fromEarlierNode = typeof rl.value === 'string' && rl.value.startsWith('=');
					expect({ where, ok: rl.mode === 'list' || fromEarlierNode }).toEqual({ where, ok: true });
				}
			}
			expect(readFileSync(join(DIR, file), 'utf8')).not.toContain('REPLACE_WITH');
		},
	);

	it('the event set-up takes the status mapping from pickers: Marketo › Program › Map Attendance to Statuses, preset to the shipped default table', () => {
		const wf = load('set-up-event.json');
		const program = node(wf, 'Marketo: Event Program')!;
		expect(program.type).toBe(`${PACKAGE_NAME}.marketo`);
		const { resource, operation, programId, ...picked } = program.parameters;
		expect({ resource, operation, programId }).toEqual({
			resource: 'program',
			operation: 'mapAttendanceStatuses',
			programId: { __rl: true, mode: 'list', value: '' },
		});
		// One picker per SpotMe outcome the status workflow maps, preset to its default table.
		const shipped = JSON.parse(
			/'(\{.*\})'/.exec(
				String(
					assignment(load('attendance-to-program-member-status.json'), 'statusMapping')!.value,
				),
			)![1],
		) as Record<string, string>;
		const param: Record<string, string> = {
			Invited: 'invited',
			Registered: 'registered',
			Attended: 'attended',
			'No show': 'noShow',
			Cancelled: 'cancelled',
		};
		expect(Object.keys(shipped).sort()).toEqual(Object.keys(param).sort());
		expect(picked).toEqual(
			Object.fromEntries(Object.entries(shipped).map(([k, v]) => [param[k], v])),
		);
		// Nothing typed any more: Settings hold the frequency only; the statuses are not read twice.
		expect(
			(
				node(wf, 'Settings')!.parameters.assignments as { assignments: Array<{ name: string }> }
			).assignments.map((a) => a.name),
		).toEqual(['syncEveryMinutes']);
		expect(node(wf, 'Marketo: Program Statuses')).toBeUndefined();
		expect(JSON.stringify(wf)).not.toContain('getStatuses');
		// The saved row keeps the format the readers parse: statusMapping as JSON text.
		const values = (
			node(wf, 'Save Event Configuration')!.parameters.columns as {
				value: Record<string, unknown>;
			}
		).value;
		expect(values).toMatchObject({
			marketoProgramId: "={{ String($('Marketo: Event Program').first().json.programId) }}",
			marketoProgramName: "={{ $('Marketo: Event Program').first().json.programName }}",
			statusMapping:
				"={{ JSON.stringify($('Marketo: Event Program').first().json.statusMapping) }}",
			syncEveryMinutes: "={{ $('Settings').first().json.syncEveryMinutes }}",
		});
	});

	it('the event set-up saves nothing unless the frequency is 15, 30, 60 or 180 (the statuses are checked by the Marketo node)', () => {
		const wf = load('set-up-event.json');
		expect(wf.connections['Marketo: Event Program'].main![0]!.map((c) => c.node)).toEqual([
			'Settings Valid?',
		]);
		expect(wf.connections['Settings Valid?'].main!.map((l) => l!.map((c) => c.node))).toEqual([
			['Event Configuration Table'],
			['Fix Settings'],
		]);
		const check = conditionOf(wf, 'Settings Valid?');
		const message = errorMessageOf(wf, 'Fix Settings');
		const $ = (syncEveryMinutes: unknown) => (name: string) => {
			if (name === 'Settings') return { first: () => ({ json: { syncEveryMinutes } }) };
			throw new Error(`unexpected node ${name}`);
		};
		for (const every of [15, 30, 60, 180, '60']) expect(check($(every))).toBe(true);
		for (const every of [20, 0, undefined, 'hourly']) expect(check($(every))).toBe(false);
		expect(message($(20))).toBe(
			'Nothing saved: in Settings, syncEveryMinutes is 20, not 15, 30, 60 or 180.',
		);
	});

	describe('the frequency gate (Sync Due?)', () => {
		/** Evaluates the gate's expression as n8n would, with the trigger that ran and the configured interval. */
		function gate(file: string) {
			const fn = conditionOf(load(file), 'Sync Due?');
			return (every: unknown, at: Record<string, unknown> | undefined) =>
				fn((name: string) => {
					if (name === 'Auto-Sync Schedule')
						return { isExecuted: at !== undefined, first: () => ({ json: at }) };
					if (name === 'Settings') return { first: () => ({ json: { syncEveryMinutes: every } }) };
					throw new Error(`unexpected node ${name}`);
				});
		}
		/** The 96 quarter-hour ticks of a day as the Schedule Trigger emits them (its Hour and Minute, in the workflow's time zone). */
		const p = (x: number) => String(x).padStart(2, '0');
		const ticks = Array.from({ length: 96 }, (_, i) => ({
			timestamp: `2026-11-30T${p(Math.floor(i / 4))}:${p((i % 4) * 15)}:07.000+01:00`,
			Hour: p(Math.floor(i / 4)),
			Minute: p((i % 4) * 15),
			Second: '07',
		}));

		it.each(READERS.filter((f) => f !== 'marketo-to-spotme-lead-push.json'))(
			'%s: the 15-minute schedule runs 96 / 48 / 24 / 8 times a day for 15 / 30 / 60 / 180 minutes, Run Now always',
			(file) => {
				expect(node(load(file), 'Auto-Sync Schedule')!.parameters).toEqual({
					rule: { interval: [{ field: 'minutes', minutesInterval: 15 }] },
				});
				const due = gate(file);
				const runs = (every: unknown) => ticks.filter((t) => due(every, t));
				expect([15, 30, 60, 180].map((m) => runs(m).length)).toEqual([96, 48, 24, 8]);
				expect(runs(60).every((t) => t.Minute === '00')).toBe(true);
				expect(runs(180).map((t) => `${t.Hour}:${t.Minute}`)).toEqual([
					'00:00',
					'03:00',
					'06:00',
					'09:00',
					'12:00',
					'15:00',
					'18:00',
					'21:00',
				]);
				// Not set (an older row): every 15 minutes, as before.
				expect(runs(undefined)).toHaveLength(96);
				// Run Now, and a schedule run whose time cannot be read (e.g. the trigger run by hand
				// through `n8n execute`, which starts at the schedule trigger): due.
				for (const every of [15, 180]) expect(due(every, undefined)).toBe(true);
				expect(due(15, { timestamp: 'x' })).toBe(true);
				expect(due(180, {})).toBe(true);
				expect(due(180, { Hour: '01', Minute: '00' })).toBe(false);
				// The gate sits between the event check (and the status mapping check) and what the
				// workflow does.
				const wf = load(file);
				const before = node(wf, 'Status Mapping Valid?')
					? 'Status Mapping Valid?'
					: 'Event Set Up?';
				expect(wf.connections[before].main![0]!.map((c) => c.node)).toEqual(['Sync Due?']);
			},
		);
	});

	describe('the status workflow reads the status mapping from Settings only, and stops on one it cannot use', () => {
		const wf = load('attendance-to-program-member-status.json');
		const $ = (statusMapping: unknown) => (name: string) => {
			if (name === 'Settings') return { first: () => ({ json: { statusMapping } }) };
			throw new Error(`unexpected node ${name}`);
		};
		const valid = conditionOf(wf, 'Status Mapping Valid?');
		const message = errorMessageOf(wf, 'Fix Status Mapping');

		it('no second copy of the default table: Map to Program Status uses what Settings holds', () => {
			const map = JSON.stringify(node(wf, 'Map to Program Status')!.parameters);
			expect(map).toContain("$('Settings').first().json.statusMapping");
			expect(map).not.toMatch(/No Show/);
			// The default table is Settings' fallback when the configuration has none.
			expect(String(assignment(wf, 'statusMapping')!.value)).toMatch(
				/^=\{\{ \$json\.statusMapping \|\| '\{.*"No show":"No Show".*\}' \}\}$/,
			);
			expect(wf.connections['Event Set Up?'].main![0]!.map((c) => c.node)).toEqual([
				'Status Mapping Valid?',
			]);
			expect(wf.connections['Status Mapping Valid?'].main![1]!.map((c) => c.node)).toEqual([
				'Fix Status Mapping',
			]);
		});

		it('lets a mapping through as an object or as JSON text; names what is wrong otherwise', () => {
			const good = { Attended: 'Attended', 'No show': 'No Show', Cancelled: '' };
			expect(valid($(good))).toBe(true);
			expect(valid($(JSON.stringify(good)))).toBe(true);
			for (const bad of [null, undefined, '', '{}', '[]', '{"Attended":', { Attended: 5 }])
				expect({ bad, valid: valid($(bad)) }).toEqual({ bad, valid: false });
			expect(message($(null))).toMatch(
				/^The status mapping cannot be used, nothing was read or written: statusMapping is empty, not a JSON object of SpotMe status to program status\. Fix it in the event configuration/,
			);
			expect(message($({ ...good, Invited: 5, Registered: null }))).toMatch(
				/: statusMapping "Invited": 5, "Registered": null are not a program status name \(or "" to leave the status unchanged\)\./,
			);
			expect(message($('{"Attended":'))).toMatch(/: statusMapping is not JSON \(/);
		});
	});
});
