// n8n's community-node rules (`@n8n/node-cli/eslint`) for what ships: nodes/, credentials/ and
// package.json, unchanged. Everything else in the repository is development code (emulators,
// harnesses, tests, scripts) that runs on Node and never inside n8n, so the rules that only make
// sense inside n8n's sandbox (no `process`, no timers, no Node built-ins, no `any`) are off there.
// `npx n8n-node lint` and `npm run lint` both run `eslint .` with this file, so they agree.
import { config } from '@n8n/node-cli/eslint';

const devCode = ['dev/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', '*.ts'];

export default [
	...config,
	{ ignores: ['dist/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
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
