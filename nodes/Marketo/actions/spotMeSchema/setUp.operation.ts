import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { errorItem, failAllItems, type Operation } from '../../../shared/kit';
import { applySchemaPlan } from '../../helpers/schemaApply';
import { planSchema, WRITES, type PlanStep } from '../../helpers/schemaPlan';
import { SPOTME_SCHEMA, withExtraFields, type ExtraField } from '../../helpers/spotmeSchema';

const EXTRA_TYPES = [
	'string',
	'boolean',
	'integer',
	'float',
	'currency',
	'date',
	'datetime',
	'email',
	'phone',
	'url',
];

const properties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'plan',
		options: [
			{
				name: 'Plan Only',
				value: 'plan',
				description: 'Compare and list what would be created; change nothing',
			},
			{
				name: 'Apply',
				value: 'apply',
				description: 'Create what is missing and approve the custom objects',
			},
		],
	},
	{
		displayName: 'Extra Fields',
		name: 'extraFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Extra Field',
		default: {},
		description: 'Your own fields, set up with the SpotMe ones (never dedupe or link fields)',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'API Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. spotme_badge_id',
					},
					{ displayName: 'Description', name: 'description', type: 'string', default: '' },
					{ displayName: 'Display Name', name: 'displayName', type: 'string', default: '' },
					{
						displayName: 'On',
						name: 'on',
						type: 'options',
						default: 'lead',
						options: [
							{ name: 'Person', value: 'lead' },
							{ name: 'Program Member', value: 'programMember' },
							{ name: 'SpotMe Attendance (spotMeAttendance_c)', value: 'spotMeAttendance_c' },
							{
								name: 'SpotMe Event Attendance (spotMeEventAttendance_c)',
								value: 'spotMeEventAttendance_c',
							},
						],
					},
					{
						displayName: 'Type',
						name: 'dataType',
						type: 'options',
						default: 'string',
						options: EXTRA_TYPES.map((t) => ({ name: t, value: t })),
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['spotMeSchema'], operation: ['setUp'] } },
	properties,
);

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function extraFields(this: IExecuteFunctions): ExtraField[] {
	const raw = this.getNodeParameter('extraFields.field', 0, []) as IDataObject[];
	return raw.map((f) => {
		const name = String(f.name ?? '').trim();
		if (!API_NAME.test(name))
			throw new NodeOperationError(this.getNode(), `Extra field "${name}" is not an API name`, {
				description:
					'In "Extra Fields", give each field an API name: a letter, then letters, digits or underscores',
			});
		return {
			on: String(f.on ?? 'lead'),
			name,
			displayName: String(f.displayName ?? '').trim() || name,
			dataType: String(f.dataType ?? 'string'),
			...(f.description ? { description: String(f.description) } : {}),
		};
	});
}

function withoutDefinition(step: PlanStep): IDataObject {
	const copy: IDataObject = { ...step };
	delete copy.definition;
	return copy;
}

const count = (steps: PlanStep[], action: string) =>
	steps.filter((s) => s.action === action).length;

function summary(steps: PlanStep[], mode: string): string {
	const writes = steps.filter((s) => WRITES.includes(s.action)).length;
	const differs = count(steps, 'differs');
	const note = differs ? `; ${differs} differ and need a human (see steps)` : '';
	if (writes === 0) return `Nothing to do: everything SpotMe needs is there${note}`;
	const what = `${count(steps, 'create')} to create, ${count(steps, 'add')} fields to add, ${count(steps, 'approve')} to approve, ${count(steps, 'alreadyThere')} already there`;
	if (mode === 'plan') return `Plan: ${what}${note}. Run with Mode "Apply" to make these changes`;
	const failed = steps.filter((s) => s.result === 'failed' || s.result === 'notRun').length;
	return `Applied: ${what}${failed ? `; ${failed} did not succeed` : ''}${note}`;
}

/**
 * Runs once for all input items (a plan is about the instance, not an item): reads the instance,
 * plans, and with Mode "Apply" writes the missing parts. One output item with the plan, paired with
 * every input item.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const pairedItem = items.map((_, i) => ({ item: i }));
	let steps: PlanStep[] = [];
	let mode = 'plan';
	try {
		mode = this.getNodeParameter('mode', 0, 'plan') as string;
		steps = await planSchema.call(this, withExtraFields(SPOTME_SCHEMA, extraFields.call(this)));
		if (mode === 'apply') await applySchemaPlan.call(this, steps);
	} catch (error) {
		if (steps.length === 0 || !this.continueOnFail()) return failAllItems.call(this, error, items);
		return [{ ...errorItem(error, 0, { steps }), pairedItem }];
	}
	const writes = steps.filter((s) => WRITES.includes(s.action)).length;
	const problems = steps.filter(
		(s) => s.action === 'differs' || s.result === 'failed' || s.result === 'notRun',
	);
	const json: IDataObject = {
		mode,
		nothingToDo: writes === 0,
		summary: summary(steps, mode),
		toCreate: count(steps, 'create'),
		toAdd: count(steps, 'add'),
		toApprove: count(steps, 'approve'),
		alreadyThere: count(steps, 'alreadyThere'),
		differs: count(steps, 'differs'),
		steps: steps.map(withoutDefinition),
	};
	if (mode === 'apply' && problems.length) {
		const list = problems.map((s) => `${s.name}: ${s.error ?? s.detail}`).join('; ');
		const error = new NodeOperationError(
			this.getNode(),
			`Set-up finished, but ${problems.length} ${problems.length === 1 ? 'thing needs' : 'things need'} a human: ${list}`,
			{
				description:
					'Everything else was created and approved. Fix these in Marketo (the steps say where), then run again: it only does what is still missing',
			},
		);
		if (!this.continueOnFail()) throw error;
		return [{ ...errorItem(error, 0, json), pairedItem }];
	}
	return [{ json, pairedItem }];
}

export const setUp: Operation = {
	option: {
		name: 'Set Up',
		value: 'setUp',
		description:
			'Compare the instance with what the SpotMe integration needs and create what is missing',
		action: 'Set up the SpotMe schema',
	},
	description,
	execute,
};
