/**
 * The package's layers, checked by `npm run lint` (dependency-cruiser). From the bottom:
 * nodes/shared (the kit) → <service>/transport → <service>/helpers (and the SpotMe attendance core)
 * → <service>/actions, methods, trigger → the *.node.ts files. A layer imports only layers below it;
 * nothing imports in a cycle; nothing imports test/; shipped code never imports development code.
 */
const service = '^nodes/(Marketo|SpotMe)/';
module.exports = {
	forbidden: [
		{ name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
		{
			name: 'nothing-imports-test',
			comment: 'Code that tests and scripts share lives in dev/.',
			severity: 'error',
			from: { pathNot: '^test/' },
			to: { path: '^test/' },
		},
		{
			name: 'shipped-code-stays-shipped',
			comment: 'nodes/ and credentials/ run inside n8n: no emulator, harness or script code.',
			severity: 'error',
			from: { path: '^(nodes|credentials)/' },
			to: { path: '^(dev|test|scripts)/' },
		},
		{
			name: 'kit-is-the-bottom',
			comment: 'nodes/shared is the kit both nodes build on: it knows neither node.',
			severity: 'error',
			from: { path: '^nodes/shared/' },
			to: { path: '^nodes/(Marketo|SpotMe)/' },
		},
		{
			name: 'services-apart',
			comment: 'Marketo and SpotMe share only the kit.',
			severity: 'error',
			from: { path: '^nodes/Marketo/' },
			to: { path: '^nodes/SpotMe/' },
		},
		{
			name: 'services-apart-2',
			severity: 'error',
			from: { path: '^nodes/SpotMe/' },
			to: { path: '^nodes/Marketo/' },
		},
		{
			name: 'transport-is-low',
			comment: 'The transport talks HTTP for everything above it and imports none of it.',
			severity: 'error',
			from: { path: `${service}transport/` },
			to: { path: `${service}(helpers|actions|methods|trigger|attendance)/|\\.node\\.ts$` },
		},
		{
			name: 'helpers-below-actions',
			severity: 'error',
			from: { path: `${service}(helpers|attendance)/` },
			to: { path: `${service}(actions|methods|trigger)/|\\.node\\.ts$` },
		},
		{
			name: 'attendance-core-is-pure',
			comment: 'Judging attendance needs no I/O: the core imports no transport.',
			severity: 'error',
			from: { path: '^nodes/SpotMe/attendance/' },
			to: { path: `${service}transport/` },
		},
		{
			name: 'operations-do-not-reach-node-files',
			severity: 'error',
			from: { path: `${service}(actions|methods|trigger)/` },
			to: { path: '\\.node\\.ts$' },
		},
		{
			name: 'credentials-only-use-the-kit',
			comment:
				'A credential authenticates and tests: it may use the kit and its service transport (settings, wording), nothing above.',
			severity: 'error',
			from: { path: '^credentials/' },
			to: { path: `${service}(helpers|actions|methods|trigger|attendance)/|\\.node\\.ts$` },
		},
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '(^|/)node_modules/|^dist/' },
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.test.json' },
	},
};
