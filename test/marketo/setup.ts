/**
 * Shared set-up for every Marketo node test: a Marketo emulator with time scaled ×0.01 (the 20 s window
 * lasts 200 ms, back-offs shrink with it), a credential pointing at it, and helpers that run the Marketo
 * node once through n8n's engine or call its dropdowns as the editor would.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import {
	startMarketoEmulator,
	type MarketoEmulator,
	type MarketoEmulatorOptions,
	type SeedData,
} from '../../dev/emulators/marketo';
import { loadOptions, runNode, TestCredentialsHelper } from '../../dev/harness/engine';

export const TIME_SCALE = 0.01;

/** The program member field the member-field tests write the SpotMe login URL into. */
export const LOGIN_URL_MEMBER_FIELD: NonNullable<SeedData['programMemberFields']>[number] = {
	name: 'spotmeLoginUrl',
	displayName: 'SpotMe Login URL',
	dataType: 'url',
	updateable: true,
	searchable: true,
};

export async function startEmulator(opts: MarketoEmulatorOptions = {}): Promise<MarketoEmulator> {
	return await startMarketoEmulator({ timeScale: TIME_SCALE, ...opts });
}

export function credentialData(emu: MarketoEmulator, extra: ICredentialDataDecryptedObject = {}) {
	return {
		restEndpoint: emu.restUrl,
		clientId: emu.clientId,
		clientSecret: emu.clientSecret,
		timeScale: TIME_SCALE,
		...extra,
	} as ICredentialDataDecryptedObject;
}

export function credentialsFor(emu: MarketoEmulator, extra: ICredentialDataDecryptedObject = {}) {
	const credentialsHelper = new TestCredentialsHelper();
	const ref = credentialsHelper.add('marketoApi', credentialData(emu, extra));
	return { credentialsHelper, credentials: { marketoApi: ref } };
}

export interface NodeRun {
	error?: Error & { description?: string | null; context?: IDataObject };
	items: INodeExecutionData[];
	json: IDataObject[];
	paired: number[];
}

/** Runs the Marketo node on `items` through the engine and returns its output (or the run's error). */
export async function runMarketo(
	emu: MarketoEmulator,
	parameters: INode['parameters'],
	items: IDataObject[] = [{}],
	options: { continueOnFail?: boolean; creds?: ReturnType<typeof credentialsFor> } = {},
): Promise<NodeRun> {
	const creds = options.creds ?? credentialsFor(emu);
	const result = await runNode({
		type: 'marketo',
		parameters,
		items,
		...creds,
		continueOnFail: options.continueOnFail,
	});
	return {
		error: result.error as NodeRun['error'],
		items: result.items,
		json: result.items.map((i) => i.json),
		paired: result.items.map((i) => (i.pairedItem as { item: number }).item),
	};
}

/** The REST calls the emulator saw for a path (token calls excluded unless asked for). */
export function callsTo(emu: MarketoEmulator, path: string): number {
	return emu.requestLog().filter((e) => e.path === path).length;
}

export function restCalls(emu: MarketoEmulator) {
	return emu.requestLog().filter((e) => e.path.startsWith('/rest'));
}

export function tokenCalls(emu: MarketoEmulator) {
	return emu.requestLog().filter((e) => e.path.startsWith('/identity'));
}

/** Everything an output or error may contain, as one string (to prove no secret leaks). */
export function everything(run: NodeRun): string {
	return JSON.stringify({
		items: run.json,
		error: run.error
			? {
					message: run.error.message,
					description: run.error.description,
					context: run.error.context,
					stack: run.error.stack,
				}
			: null,
	});
}

export function leadsByEmail(emu: MarketoEmulator): Map<string, IDataObject[]> {
	const map = new Map<string, IDataObject[]>();
	for (const lead of emu.state.leads.values()) {
		const key = String(lead.email ?? '').toLowerCase();
		map.set(key, [...(map.get(key) ?? []), lead as IDataObject]);
	}
	return map;
}

/** Calls a dropdown method of the Marketo node as n8n's editor would. */
export async function marketoDropdown(
	emu: MarketoEmulator,
	kind: 'loadOptions' | 'listSearch' | 'resourceMapping',
	method: string,
	parameters: INode['parameters'],
	filter?: string,
) {
	return await loadOptions({
		type: 'marketo',
		kind: kind as 'loadOptions',
		method,
		parameters,
		filter,
		...credentialsFor(emu),
	});
}
