export { startSpotMeEmulator } from './server';
export type {
	SpotMeEmulator,
	SpotMeEmulatorOptions,
	SpotMeFault,
	SpotMeLogEntry,
	SpotMeCallCounts,
} from './server';
export { SpotMeState, registerSpotMeSeeder } from './state';
export type { Doc, SeedData, PersonSeed, Workspace, Org, RegistrationState, UpsertResult } from './state';
