/** Tests run the real nodes through n8n's engine against the emulators (see test/README.md). */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test', '<rootDir>/dev'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }],
	},
	testTimeout: 60000,
	// The real-n8n tests need a cached n8n install; they are a project of their own so `npm test` runs them too.
	setupFiles: ['<rootDir>/test/setup-env.ts'],
};
