import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { nodeParameter, type Operation } from '../../../shared/kit';

/** The Marketo Trigger's Respond option under which this node's answer is the one Marketo gets. */
export const ANSWER_NODE_MODE = 'responseNode';

const properties: INodeProperties[] = [
	{
		displayName:
			'Answers the Marketo Trigger\'s delivery as soon as this node runs, before the rest of the workflow and before n8n saves the execution. Set the trigger\'s Respond to "Using an Answer Node". Marketo waits at most 30 seconds and its Response Mappings read only a 2xx JSON answer.',
		name: 'answerNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Answer Fields',
		name: 'answerFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description:
			'The JSON object Marketo gets. Each name is what a Response Mapping of the Marketo webhook reads (e.g. login_url mapped to the lead field spotme_magic_url).',
		options: [
			{
				name: 'field',
				displayName: 'Field',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'login_url',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Response Code',
				name: 'responseCode',
				type: 'number',
				typeOptions: { minValue: 200, maxValue: 599 },
				default: 200,
				description: 'Marketo maps the answer only for a 2xx code',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['webhook'], operation: ['answer'] } },
	properties,
);

/** The Marketo Trigger this node answers for, and the fix when its Respond option would not send this answer. */
function triggerProblem(ctx: IExecuteFunctions): string | undefined {
	const parents = ctx.getParentNodes(ctx.getNode().name, { includeNodeParameters: true }) as Array<{
		name: string;
		type: string;
		parameters?: IDataObject;
	}>;
	const trigger = parents.find((p) => p.type.endsWith('.marketoTrigger'));
	if (!trigger)
		return 'No Marketo Trigger runs before this node: it answers the Call Webhook delivery that a Marketo Trigger received. Connect it after one.';
	const mode = String(trigger.parameters?.responseMode ?? 'onReceived');
	if (mode === ANSWER_NODE_MODE) return undefined;
	const now =
		mode === 'lastNode'
			? 'answers with the last node\'s JSON ("When Last Node Finishes")'
			: 'has already answered {"received": true} ("Immediately")';
	return `The Marketo Trigger "${trigger.name}" ${now}, so this answer would never reach Marketo. Set its Respond option to "Using an Answer Node".`;
}

/** `{ error }` of an item a previous node continued with after failing (n8n's or the kit's error item). */
function failureOf(json: IDataObject): string | undefined {
	const error = json.error;
	if (error === undefined || error === null || error === '') return undefined;
	if (typeof error === 'string') return error;
	const message = (error as IDataObject).message;
	return typeof message === 'string' ? message : JSON.stringify(error);
}

/**
 * Sends the execution's answer to Marketo (n8n's `sendResponse`, as Respond to Webhook does) from the
 * first item: one delivery is one execution of one item. The items go on unchanged. An item that a
 * previous node failed (continued on error) is answered 502 with the reason, and the node fails, so
 * Marketo maps nothing and n8n lists the execution as failed.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const problem = triggerProblem(this);
	if (problem) throw new NodeOperationError(this.getNode(), problem);
	const first = items[0]?.json ?? {};
	const failure = failureOf(first);
	if (failure !== undefined) {
		await this.sendResponse({
			body: { error: failure },
			headers: { 'content-type': 'application/json; charset=utf-8' },
			statusCode: 502,
		});
		throw new NodeOperationError(
			this.getNode(),
			`Answered Marketo 502 (nothing is mapped): the delivery failed before this node: ${failure}`,
			{ itemIndex: 0 },
		);
	}
	const fields =
		(nodeParameter(this, 'answerFields', 0, {}) as { field?: IDataObject[] }).field ?? [];
	if (fields.length === 0)
		throw new NodeOperationError(
			this.getNode(),
			'Answer Fields is empty, so Marketo would get {} and map nothing. Add the field a Response Mapping reads, e.g. login_url.',
			{ itemIndex: 0 },
		);
	const body: IDataObject = {};
	for (const [k, f] of fields.entries()) {
		const name = String(f.name ?? '').trim();
		if (!name)
			throw new NodeOperationError(
				this.getNode(),
				`Answer Fields: field ${k + 1} has no Name. Enter the attribute a Response Mapping reads, e.g. login_url.`,
				{ itemIndex: 0 },
			);
		body[name] = f.value as IDataObject[string];
	}
	const options = nodeParameter(this, 'options', 0, {}) as { responseCode?: number };
	await this.sendResponse({
		body,
		headers: { 'content-type': 'application/json; charset=utf-8' },
		statusCode: options.responseCode ?? 200,
	});
	return items.map((item, i) => ({ json: item.json, pairedItem: { item: i } }));
}

export const answer: Operation = {
	option: {
		name: 'Answer',
		value: 'answer',
		description:
			"Send the Marketo Trigger's answer now, with the fields Marketo's Response Mappings read",
		action: "Answer Marketo's Call Webhook",
	},
	description,
	execute,
};
