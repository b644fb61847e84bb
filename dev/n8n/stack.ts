/**
 * The stack the real-n8n workflow suites run the bundled workflows on: both emulators seeded with the
 * shared demo data, the real n8n with this package, and the three credentials a user creates
 * (Marketo, SpotMe, the Marketo webhook secret), each secret random per suite so a test can look
 * for it in everything a run put out. Also what a user does after importing a bundled workflow
 * (pick credentials, type Settings values) and the check that a run succeeded without leaking.
 */
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { resolve } from 'path';

import {
	startMarketoEmulator,
	type MarketoEmulator,
	type MarketoEmulatorOptions,
} from '../emulators/marketo';
import { startSpotMeEmulator, type SpotMeEmulator } from '../emulators/spotme';
import { eventDayAttendance, marketoSeed, spotMeSeed } from '../lib/seed';
import { newId, ROOT, startN8n, type N8nInstance, type N8nRun, type WorkflowJson } from './harness';

export interface CredentialIds {
	marketoApi: string;
	spotMeApi: string;
	marketoWebhookApi: string;
	[type: string]: string;
}

export interface WorkflowStack {
	n8n: N8nInstance;
	marketo: MarketoEmulator;
	spotme: SpotMeEmulator;
	credentialIds: CredentialIds;
	/** The SpotMe API token, the Marketo client secret and the webhook secret. */
	secrets: { spotMeToken: string; marketoSecret: string; webhookSecret: string };
	stop(): Promise<void>;
}

/**
 * Starts Marketo at real time (its 30 s webhook timeout is what an answer must beat) seeded with
 * `marketoSeed` (the demo's seed by default), SpotMe ×0.01 (its 3 requests/s window lasts 10 ms,
 * the credential's throttle scaled to match) with the demo's people and the event day's
 * attendance, and the real n8n; imports the three credentials. `tag` names the suite in its secrets.
 */
export async function startWorkflowStack(
	tag: string,
	options: { marketoSeed?: MarketoEmulatorOptions['seed'] } = {},
): Promise<WorkflowStack> {
	const random = () => randomBytes(12).toString('hex');
	const secrets = {
		spotMeToken: `sm-${tag}-${random()}`,
		marketoSecret: `mk-${tag}-${random()}`,
		webhookSecret: `${tag}-${random()}`,
	};
	const marketo = await startMarketoEmulator({
		clientSecret: secrets.marketoSecret,
		seed: options.marketoSeed ?? marketoSeed(),
	});
	const spotme = await startSpotMeEmulator({
		timeScale: 0.01,
		tokens: [secrets.spotMeToken],
		seed: { ...spotMeSeed(), docs: eventDayAttendance() },
	});
	const n8n = await startN8n();
	const [marketoApi, spotMeApi, marketoWebhookApi] = await n8n.importCredentials([
		{
			name: 'Marketo (emulator)',
			type: 'marketoApi',
			data: {
				restEndpoint: marketo.restUrl,
				clientId: marketo.clientId,
				clientSecret: secrets.marketoSecret,
			},
		},
		{
			name: 'SpotMe (emulator)',
			type: 'spotMeApi',
			data: {
				apiToken: secrets.spotMeToken,
				baseUrl: spotme.apiUrl,
				organizationId: 'org-demo',
				requestsPerSecond: 300,
				burst: 5,
			},
		},
		{
			name: 'Marketo Webhook',
			type: 'marketoWebhookApi',
			data: { headerName: 'Authorization', secret: secrets.webhookSecret },
		},
	]);
	return {
		n8n,
		marketo,
		spotme,
		credentialIds: { marketoApi, spotMeApi, marketoWebhookApi },
		secrets,
		async stop() {
			await n8n.stop();
			await marketo.stop();
			await spotme.stop();
		},
	};
}

/** A node of a bundled workflow file, as far as the suites touch it. */
export type BundledNode = {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
	webhookId?: string;
};

export function readBundled(file: string): WorkflowJson {
	return JSON.parse(readFileSync(resolve(ROOT, 'workflows', file), 'utf8')) as WorkflowJson;
}

/**
 * A bundled workflow as a user has it after importing: the credentials picked on every node, the
 * Settings node's values typed (`settings`, each must exist), then `edit` on every node. A fresh id.
 */
export function configureBundled(
	file: string,
	credentialIds: Record<string, string>,
	options: { settings?: Record<string, unknown>; edit?: (node: BundledNode) => void } = {},
): WorkflowJson {
	const wf = readBundled(file);
	const nodes = wf.nodes as unknown as BundledNode[];
	if (options.settings && Object.keys(options.settings).length) {
		const settingsNode = nodes.find((n) => n.name === 'Settings');
		if (!settingsNode) throw new Error(`${file} has no Settings node`);
		const assignments = (
			settingsNode.parameters.assignments as {
				assignments: Array<{ name: string; value: unknown }>;
			}
		).assignments;
		for (const [name, value] of Object.entries(options.settings)) {
			const a = assignments.find((x) => x.name === name);
			if (!a)
				throw new Error(
					`${file}: Settings has no field "${name}" (has ${assignments.map((x) => x.name).join(', ')})`,
				);
			a.value = value;
		}
	}
	for (const node of nodes) {
		for (const type of Object.keys(node.credentials ?? {}))
			node.credentials![type] = { id: credentialIds[type], name: type };
		options.edit?.(node);
	}
	return { ...wf, id: newId(), name: `${wf.name} (${file})` };
}

/**
 * Throws unless the run ended successfully (the message names the node it stopped at) and none of
 * `secrets` appears in anything a node put out.
 */
export function assertRunSucceeded(run: N8nRun, secrets: string[]): void {
	const error = run.data.resultData.error;
	if (error)
		throw new Error(
			`the workflow stopped at ${run.data.resultData.lastNodeExecuted}: ${error.message} ${error.description ?? ''}`,
		);
	if ((run.status ?? 'success') !== 'success')
		throw new Error(`the run ended with status "${run.status}", not "success"`);
	const dump = JSON.stringify(run.data.resultData);
	for (const secret of secrets)
		if (dump.includes(secret)) throw new Error('a secret appears in the run data');
}
