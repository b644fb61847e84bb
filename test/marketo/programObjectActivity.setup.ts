/**
 * Shared set-up for the Custom Object, Program and Activity engine tests: a Marketo emulator with
 * time scaled ×0.01 (the 20 s rate window lasts 200 ms), a credential pointing at it, and a helper
 * that runs the Marketo node once through n8n's engine.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { startMarketoEmulator, type MarketoEmulator, type MarketoEmulatorOptions } from '../../emulators/marketo';
import { loadOptions, runNode, TestCredentialsHelper } from '../harness/engine';

export const TIME_SCALE = 0.01;

export async function startScaledMarketo(opts: MarketoEmulatorOptions = {}): Promise<MarketoEmulator> {
	return await startMarketoEmulator({ timeScale: TIME_SCALE, ...opts });
}

export function marketoCredentials(emu: MarketoEmulator) {
	const credentialsHelper = new TestCredentialsHelper();
	const ref = credentialsHelper.add('marketoApi', {
		restEndpoint: emu.restUrl,
		clientId: emu.clientId,
		clientSecret: emu.clientSecret,
		timeScale: TIME_SCALE,
	} as never);
	return { credentialsHelper, credentials: { marketoApi: ref } };
}

/** Runs the Marketo node on `items` and returns its output (or the error the run ended with). */
export async function runMarketo(
	emu: MarketoEmulator,
	parameters: INode['parameters'],
	items: IDataObject[] = [{}],
	options: { continueOnFail?: boolean } = {},
) {
	const result = await runNode({
		type: 'marketo',
		parameters,
		items,
		...marketoCredentials(emu),
		continueOnFail: options.continueOnFail,
	});
	return {
		error: result.error,
		json: result.items.map((i) => i.json),
		paired: result.items.map((i) => (i.pairedItem as { item: number }).item),
	};
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
		...marketoCredentials(emu),
	});
}
