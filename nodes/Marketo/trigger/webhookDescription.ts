import type { INodeProperties } from 'n8n-workflow';

/** Path under the workflow's webhook id: `<n8n>/webhook/<webhookId>/marketo`. */
export const WEBHOOK_PATH = 'marketo';

/**
 * The key n8n (2.40 and later) reads a webhook description's native resolvers from
 * (`WEBHOOK_RESOLVERS` in n8n-workflow, a registered symbol, so older n8n simply ignores it).
 */
const WEBHOOK_RESOLVERS = Symbol.for('n8n.webhookDescriptionResolvers');

/**
 * Webhook description fields that read a node parameter, as n8n-workflow's
 * `webhookDescriptionFields({ f: fromParameter('f') })` builds them: the expression template
 * the editor needs plus a resolver n8n uses instead of its expression engine while the node's
 * parameters hold no expression. With n8n's default engine (`N8N_EXPRESSION_ENGINE=vm`) each
 * template otherwise costs an evaluation in a fresh V8 isolate on every delivery (measured: about
 * 6% of n8n's CPU in a 50-delivery burst). Written here rather than imported so that an n8n
 * without these helpers still loads the node.
 */
export function parameterFields<K extends string>(names: K[]): Record<K, string> {
	const templates = {} as Record<K, string>;
	const resolvers: Record<string, { template: string; resolve: (p: unknown) => unknown }> = {};
	for (const name of names) {
		const template = `={{$parameter["${name}"]}}`;
		templates[name] = template;
		resolvers[name] = {
			template,
			resolve: (parameters) =>
				parameters === null || parameters === undefined
					? undefined
					: (parameters as Record<string, unknown>)[name],
		};
	}
	return { ...templates, [WEBHOOK_RESOLVERS]: resolvers };
}

/** Default body size limit. A Marketo payload is a few lead and program tokens: a few KB. */
export const DEFAULT_MAX_BODY_KB = 256;

/** Marketo's tokens for the JSON template, one line each (Marketo adds the quotes around string tokens). */
export const PAYLOAD_TEMPLATE_LINES = [
	'"email": {{lead.Email Address}}',
	'"firstName": {{lead.First Name}}',
	'"lastName": {{lead.Last Name}}',
	'"company": {{company.Company Name}}',
	'"leadId": {{lead.Id}}',
	'"programId": {{program.Id}}',
	'"programName": {{program.Name}}',
	'"memberStatus": {{member.Status}}',
	'"sentAt": {{system.dateTime}}',
];

const payloadTemplate = `{\n  ${PAYLOAD_TEMPLATE_LINES.join(',\n  ')}\n}`;

/** One set-up step: n8n's callout renders simple HTML (bold, code blocks), a notice only links and lists. */
const step = (name: string, html: string): INodeProperties => ({
	displayName: html,
	name,
	type: 'callout',
	default: '',
});

/**
 * What to enter on Marketo's webhook screen, one callout per step so each reads (and copies) on its
 * own. Marketo has no API to create webhooks, so this is the whole set-up. The texts are static on
 * purpose: n8n's editor renders a callout's displayName as is (no expression evaluation), so
 * Marketo's own {{lead.…}} tokens show literally. The URL itself is the one n8n shows above the
 * parameters (Webhook URLs), which ends in /webhook/<id>/marketo.
 */
export const setupSteps: INodeProperties[] = [
	step(
		'setupStepWebhook',
		'<b>1. In Marketo</b>: Admin &gt; Integration &gt; Webhooks &gt; New Webhook. ' +
			'<b>URL</b>: the Production URL shown above under "Webhook URLs" (…/webhook/&lt;id&gt;/' +
			WEBHOOK_PATH +
			'). <b>Request Type</b>: the HTTP Method chosen below.',
	),
	step(
		'setupStepTemplate',
		'<b>2. Template</b> (POST and PUT), to copy as it is:<pre><code>' +
			payloadTemplate +
			'</code></pre>For GET, put the tokens in the URL instead: <code>…/' +
			WEBHOOK_PATH +
			'?email={{lead.Email Address}}&amp;leadId={{lead.Id}}</code>',
	),
	step(
		'setupStepEncoding',
		'<b>3. Request Token Encoding</b>: JSON (Form/Url for GET). <b>Response type</b>: JSON. ' +
			'Marketo then sets Content-Type itself. <b>Do not add a Content-Type custom header</b> (SpotMe\'s own guide adds "Content-Type: application/json" with encoding None: then a token value holding a quote makes n8n itself answer 422 before this node can repair the body).',
	),
	step(
		'setupStepHeader',
		'<b>4. Webhook Actions &gt; Set Custom Header</b>: the Header Name of the Marketo Webhook API credential (default Authorization) with the value ' +
			'<code>Bearer &lt;shared secret&gt;</code> for Authorization, the bare secret for any other header.',
	),
	step(
		'setupStepResponse',
		'<b>5. Response Mappings</b> (only with a workflow that answers, e.g. {"login_url": "…"}): Response Attribute <code>login_url</code> → the Marketo field\'s SOAP API name, for SpotMe\'s magic link <code>spotme_magic_url</code> (SpotMe Magic URL). ' +
			'Marketo waits 30 seconds at most and maps only 2xx answers: keep the answering part of the workflow short.',
	),
	step(
		'setupStepCampaign',
		'<b>6. Smart Campaign</b>: a flow step <b>Call Webhook</b> with this webhook, then <b>Change Member Data</b>: Attribute SpotMe Login URL, New Value <code>{{lead.SpotMe Magic URL}}</code> (no Marketo API call needed); then publish this workflow.',
	),
];

export const webhookTriggerProperties: INodeProperties[] = [
	...setupSteps,
	{
		displayName: 'HTTP Method',
		name: 'httpMethod',
		type: 'options',
		// The "Request Type" chosen on the Marketo webhook
		options: [
			{ name: 'POST', value: 'POST' },
			{ name: 'GET', value: 'GET' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'POST',
		description: 'The Request Type set on the Marketo webhook',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Marketo Webhook Credential',
				value: 'credential',
				description:
					'The header and shared secret live in a Marketo Webhook credential (encrypted, never exported); other requests get 401',
			},
			{
				name: 'Shared Secret in a Header (Legacy)',
				value: 'headerSecret',
				description:
					'The secret is typed into this node, so it is stored in the workflow and every export of it. Move it into a Marketo Webhook credential.',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Anyone who knows the URL can start the workflow',
			},
		],
		default: 'credential',
		displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Marketo Webhook Credential',
				value: 'credential',
				description:
					'The header and shared secret live in a Marketo Webhook credential (encrypted, never exported); other requests get 401',
			},
			{
				name: 'Shared Secret in a Header (Legacy)',
				value: 'headerSecret',
				description:
					'The secret is typed into this node, so it is stored in the workflow and every export of it. Move it into a Marketo Webhook credential.',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Anyone who knows the URL can start the workflow',
			},
		],
		// Version 1 nodes saved without a value meant the secret typed in the node.
		default: 'headerSecret',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName:
			'This secret is stored in the workflow and in every export of it. Choose Authentication "Marketo Webhook Credential" and enter the same header and secret there; Marketo\'s webhook needs no change.',
		name: 'legacySecretNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['headerSecret'] } },
	},
	{
		displayName: 'Header Name',
		name: 'headerName',
		type: 'string',
		default: 'Authorization',
		required: true,
		description:
			'The custom header Marketo sends (Webhook Actions > Set Custom Header). For Authorization the value must be "Bearer &lt;secret&gt;", for any other header the secret itself.',
		displayOptions: { show: { authentication: ['headerSecret'] } },
	},
	{
		// Kept so workflows made before the Marketo Webhook credential still run (n8n drops
		// parameters a node no longer describes); new workflows use the credential.
		displayName: 'Shared Secret (Legacy)',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Stored in the workflow: prefer a Marketo Webhook credential',
		displayOptions: { show: { authentication: ['headerSecret'] } },
	},
	{
		displayName:
			'Without authentication anyone who finds this URL can start the workflow and write people into SpotMe. The workflow starts only once you confirm below.',
		name: 'noAuthenticationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['none'] } },
	},
	{
		displayName: 'Accept Calls From Anyone',
		name: 'confirmNoAuthentication',
		type: 'boolean',
		default: false,
		description:
			'Whether to accept deliveries without any secret. Off: the workflow cannot be published and every delivery gets 401.',
		displayOptions: { show: { authentication: ['none'] } },
	},
	{
		displayName: 'Respond',
		name: 'responseMode',
		type: 'options',
		options: [
			{
				name: 'Immediately',
				value: 'onReceived',
				description: 'Answer 200 {"received": true} as soon as the delivery is accepted',
			},
			{
				name: 'When Last Node Finishes',
				value: 'lastNode',
				description: "Answer with the first item's JSON of the last node that runs",
			},
			{
				name: 'Using an Answer Node',
				value: 'responseNode',
				description:
					'A Marketo node (Call Webhook › Answer) sends the answer as soon as it runs, before the rest of the workflow and before n8n saves the execution: the fastest answers in a burst',
			},
		],
		default: 'onReceived',
		description:
			'Marketo waits at most 30 seconds and writes Response Mappings only from 2xx JSON answers. To answer e.g. {"login_url": "…"}, choose "Using an Answer Node" and add a Marketo › Call Webhook › Answer node.',
	},
	{
		displayName:
			'Answer with a Marketo node (Call Webhook › Answer). n8n\'s Respond to Webhook node works here only in version 1: later versions stop with "No Webhook node found in the workflow", because n8n lets them run only after its own Webhook node.',
		name: 'respondNodeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { responseMode: ['responseNode'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_BODY_KB,
				description: 'Larger deliveries get 413 and start no execution',
			},
			{
				displayName: 'Repair Broken JSON',
				name: 'repairJson',
				type: 'boolean',
				default: true,
				description:
					'Whether to recover bodies broken by token values sent without JSON encoding (unescaped quotes, line breaks, backslashes, empty tokens). Repaired items say so in "repaired" and "repairs"; bodies that cannot be repaired safely get 400.',
			},
		],
	},
];
