export { startSpotMeEmulator } from './server';
export type {
	SpotMeEmulator,
	SpotMeEmulatorOptions,
	SpotMeFault,
	SpotMeLogEntry,
	SpotMeCallCounts,
} from './server';
export { SpotMeState, registerSpotMeSeeder } from './state';
export { spotMeDemoSeed } from './presets';
export type {
	Doc,
	SeedData,
	PersonSeed,
	Workspace,
	Org,
	RegistrationState,
	UpsertResult,
} from './state';
