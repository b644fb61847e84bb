/**
 * Compares what a Marketo instance has with what a needed schema asks for, and says per field and
 * per object what a set-up would do: create it, leave it (already there), or report a difference it
 * will not touch (another type, a dedupe or link field an approved object can no longer take).
 * Reading costs: the lead fields (1 call per 300), the program member fields, one list of the
 * objects, and one describe per existing version.
 */
import type { MarketoContext } from '../transport';
import {
	describeTypeVersion,
	listSchemaFields,
	SYSTEM_FIELDS,
	typeStates,
	type FieldKind,
	type SchemaField,
	type TypeField,
	type TypeState,
	type TypeVersion,
} from './schemaApi';
import type { NeededField, NeededObject, NeededSchema } from './spotmeSchema';

export type StepTarget = 'leadField' | 'programMemberField' | 'customObject' | 'customObjectField';
/** create: a new field or object; add: a field for an object's draft; approve: publish the draft. */
export type StepAction = 'create' | 'add' | 'approve' | 'alreadyThere' | 'differs';

export interface PlanStep {
	target: StepTarget;
	/** The custom object a field or approval belongs to. */
	object?: string;
	name: string;
	action: StepAction;
	detail: string;
	/** What the step writes (a field or object definition). */
	definition?: NeededField | Omit<NeededObject, 'fields'>;
	/** After Apply: done, failed (with `error`), or not run. */
	result?: 'done' | 'failed' | 'notRun';
	error?: string;
}

export const WRITES: StepAction[] = ['create', 'add', 'approve'];

const lower = (s: string) => s.toLowerCase();

const typeLabel = (f: Pick<NeededField, 'dataType' | 'relatedTo'>) =>
	f.relatedTo ? `link → ${f.relatedTo.name}.${f.relatedTo.field}` : f.dataType;

/** Lead or program member fields: create the missing ones; a clash of type or display name is reported. */
function planFields(kind: FieldKind, needed: NeededField[], have: SchemaField[]): PlanStep[] {
	const target: StepTarget = kind === 'lead' ? 'leadField' : 'programMemberField';
	const where = kind === 'lead' ? 'person' : 'program member';
	const screen =
		'Admin > Field Management (Marketo cannot change the type of an existing field: hide it and use another name, or change the workflows to this type)';
	return needed.map((n): PlanStep => {
		const found = have.find((f) => lower(f.name) === lower(n.name));
		const base = { target, name: n.name, definition: n };
		if (found && found.dataType !== n.dataType) {
			return {
				...base,
				action: 'differs',
				detail: `The ${where} field ${found.name} is of type ${found.dataType}; SpotMe needs ${n.dataType}. Left as it is: ${screen}`,
			};
		}
		if (found) {
			const label = found.displayName === n.displayName ? '' : ` (shown as "${found.displayName}")`;
			return {
				...base,
				action: 'alreadyThere',
				detail: `The ${where} field ${found.name}${label} is there, type ${found.dataType}`,
			};
		}
		const clash = have.find((f) => lower(f.displayName) === lower(n.displayName));
		if (clash) {
			return {
				...base,
				action: 'differs',
				detail: `Cannot create ${n.name}: the ${where} field ${clash.name} already uses the display name "${n.displayName}". Rename that field in Admin > Field Management, then run again`,
			};
		}
		return {
			...base,
			action: 'create',
			detail: `Create the ${where} field ${n.name} ("${n.displayName}", ${n.dataType})`,
		};
	});
}

function sameField(n: NeededField, f: TypeField): string | undefined {
	if (n.relatedTo || f.dataType === 'link') {
		const to = f.relatedTo;
		if (
			!n.relatedTo ||
			!to ||
			lower(to.name) !== lower(n.relatedTo.name) ||
			lower(to.field) !== lower(n.relatedTo.field)
		)
			return `is ${to ? `link → ${to.name}.${to.field}` : f.dataType}; SpotMe needs ${typeLabel(n)}`;
	} else if (f.dataType !== n.dataType) {
		return `is of type ${f.dataType}; SpotMe needs ${n.dataType}`;
	}
	if (!!n.isDedupeField !== f.isDedupeField)
		return n.isDedupeField
			? 'is not a dedupe field; SpotMe needs it in the key that identifies a record'
			: 'is a dedupe field; SpotMe does not send it in every record';
	return undefined;
}

/** One custom object: the type, each field, and whether its draft must be approved. */
function planObject(
	n: NeededObject,
	state: TypeState | undefined,
	draft: TypeVersion | undefined,
	approved: TypeVersion | undefined,
): PlanStep[] {
	const { fields, ...definition } = n;
	const steps: PlanStep[] = [];
	const object = n.apiName;
	if (!state) {
		steps.push({
			target: 'customObject',
			name: object,
			action: 'create',
			detail: `Create the custom object ${object} ("${n.displayName}") as a draft`,
			definition,
		});
	} else {
		steps.push({
			target: 'customObject',
			name: object,
			action: 'alreadyThere',
			detail: `The custom object ${object} is there (${state})`,
		});
	}
	// The version the next approval would publish: the draft if there is one, else the approved one.
	const working = draft ?? approved;
	let added = 0;
	for (const f of fields) {
		const base = { target: 'customObjectField' as const, object, name: f.name, definition: f };
		if (SYSTEM_FIELDS.has(f.name)) continue;
		const found = working?.fields.find((x) => lower(x.name) === lower(f.name));
		if (found) {
			const problem = sameField(f, found);
			steps.push(
				problem
					? {
							...base,
							action: 'differs',
							detail: `${object}.${found.name} ${problem}. Left as it is: change it in Admin > Marketo Custom Objects > ${object} > Fields (a dedupe or link field can only change before the object is approved; an approved object without records can be deleted and set up again)`,
						}
					: {
							...base,
							action: 'alreadyThere',
							detail: `${object}.${found.name} is there (${typeLabel(found)}${found.isDedupeField ? ', dedupe' : ''})`,
						},
			);
			continue;
		}
		if (approved && (f.isDedupeField || f.relatedTo)) {
			steps.push({
				...base,
				action: 'differs',
				detail: `${object} lacks the ${f.relatedTo ? 'link' : 'dedupe'} field ${f.name}, which Marketo only takes before the first approval. Delete the object in Admin > Marketo Custom Objects (it must have no records) and run again`,
			});
			continue;
		}
		added++;
		steps.push({
			...base,
			action: 'add',
			detail: `Add ${object}.${f.name} ("${f.displayName}", ${typeLabel(f)}${f.isDedupeField ? ', dedupe' : ''}) to the draft`,
		});
	}
	// Approve when the object was never approved, when fields are added, or when the approved version
	// still lacks what the draft already has.
	const approvedLacks =
		!!approved &&
		!!draft &&
		fields.some((f) => !approved.fields.some((x) => lower(x.name) === lower(f.name)));
	// A difference in a field that is not live yet blocks the approval that would make it live.
	const live = (name: string) => !!approved?.fields.some((x) => lower(x.name) === lower(name));
	const blocked = steps.some(
		(s) =>
			s.action === 'differs' &&
			s.target === 'customObjectField' &&
			!live(s.name) &&
			!!working?.fields.some((x) => lower(x.name) === lower(s.name)),
	);
	if (!blocked && (!approved || added > 0 || approvedLacks)) {
		const extra =
			draft && approved ? ' (this also publishes any other change waiting in its draft)' : '';
		steps.push({
			target: 'customObject',
			object,
			name: object,
			action: 'approve',
			detail: `Approve ${object} so it can take records${extra}`,
		});
	} else if (blocked) {
		steps.push({
			target: 'customObject',
			object,
			name: object,
			action: 'differs',
			detail: `${object} is not approved: approving would make the differences above live. Fix them in Admin > Marketo Custom Objects > ${object}, then run again`,
		});
	} else if (draft && approved) {
		steps.push({
			target: 'customObject',
			object,
			name: object,
			action: 'alreadyThere',
			detail: `${object} is approved with everything SpotMe needs; its draft (other changes) is left alone`,
		});
	}
	return steps;
}

/** Reads the instance and returns the plan, in the order Apply would run it. */
export async function planSchema(this: MarketoContext, needed: NeededSchema): Promise<PlanStep[]> {
	const steps: PlanStep[] = [];
	if (needed.leadFields.length)
		steps.push(...planFields('lead', needed.leadFields, await listSchemaFields.call(this, 'lead')));
	if (needed.programMemberFields.length)
		steps.push(
			...planFields(
				'programMember',
				needed.programMemberFields,
				await listSchemaFields.call(this, 'programMember'),
			),
		);
	const names = needed.customObjects.map((o) => o.apiName);
	const states = names.length ? await typeStates.call(this, names) : new Map<string, TypeState>();
	for (const o of needed.customObjects) {
		const state = states.get(o.apiName);
		const draft =
			state === 'draft' || state === 'approvedWithDraft'
				? await describeTypeVersion.call(this, o.apiName, 'draft')
				: undefined;
		const approved =
			state === 'approved' || state === 'approvedWithDraft'
				? await describeTypeVersion.call(this, o.apiName, 'approved')
				: undefined;
		steps.push(...planObject(o, state, draft, approved));
	}
	return steps;
}
