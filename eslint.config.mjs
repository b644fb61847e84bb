// n8n's community-node rules (`@n8n/node-cli/eslint`) for what ships: nodes/, credentials/ and
// package.json, unchanged. Everything else in the repository is development code (emulators,
// harnesses, tests, scripts) that runs on Node and never inside n8n, so the rules that only make
// sense inside n8n's sandbox (no `process`, no timers, no Node built-ins, no `any`) are off there.
// `npx n8n-node lint` and `npm run lint` both run `eslint .` with this file, so they agree.
import { readFileSync } from 'node:fs';

import { config } from '@n8n/node-cli/eslint';

// What git ignores (scratch folders, build output, test artifacts) is not the repository's code:
// eslint skips it too, so `npm run lint` judges the same files in a clone and in a working tree.
const gitIgnored = readFileSync(new URL('./.gitignore', import.meta.url), 'utf8')
	.split('\n')
	.map((line) => line.trim())
	.filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
	.map((line) => {
		const anchored = line.startsWith('/');
		const path = line.replace(/^\//, '').replace(/\/$/, '');
		const glob = line.endsWith('/') ? `${path}/**` : path;
		return anchored || path.includes('/') ? glob : `**/${glob}`;
	});

const devCode = ['dev/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', '*.ts'];

export default [
	...config,
	{ ignores: [...gitIgnored, '**/*.js', '**/*.mjs'] },
	{
		files: devCode,
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'@n8n/community-nodes/node-connection-type-literal': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
			'@n8n/community-nodes/node-usable-as-tool': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
			],
		},
	},
];
