/**
 * Runs a plan's writes, the fewest calls it can: all missing person fields in one call, all program
 * member fields in one, and per custom object one create, one addField with all its missing fields,
 * one approve. A write Marketo answers "already exists" (1017: the field or object came meanwhile, or
 * a lost answer was re-sent) counts as done. A step whose object could not be created is not run.
 */
import type { IDataObject } from 'n8n-workflow';

import { toNodeError } from '../../shared/kit';
import { marketoApiRequest, marketoErrorCode, type MarketoContext } from '../transport';
import { FIELD_SCHEMA_PATH, recordOutcome, typeStates, type FieldKind } from './schemaApi';
import type { PlanStep } from './schemaPlan';
import type { NeededField } from './spotmeSchema';

const ALREADY = '1017';

function fieldBody(f: NeededField): IDataObject {
	const body: IDataObject = { name: f.name, displayName: f.displayName, dataType: f.dataType };
	if (f.description) body.description = f.description;
	if (f.isDedupeField) body.isDedupeField = true;
	if (f.relatedTo) body.relatedTo = { ...f.relatedTo };
	return body;
}

function settle(step: PlanStep, result: IDataObject | undefined): void {
	const outcome = recordOutcome(result);
	if (outcome.ok || outcome.code === ALREADY) {
		step.result = 'done';
	} else {
		step.result = 'failed';
		step.error = `Marketo refused it (${outcome.code ?? outcome.status}): ${outcome.message}`;
	}
}

function failAll(steps: PlanStep[], error: unknown): void {
	for (const step of steps) {
		step.result = 'failed';
		step.error = (error as Error).message;
	}
}

/** A failure of the whole call that no later call can avoid (permission, quota, credential). */
function isFatal(error: unknown): boolean {
	const code = marketoErrorCode(error);
	return code === undefined || ['603', '607', '1029'].includes(code);
}

async function createFields(this: MarketoContext, kind: FieldKind, steps: PlanStep[]) {
	if (steps.length === 0) return;
	try {
		const response = await marketoApiRequest.call(this, 'POST', FIELD_SCHEMA_PATH[kind], {
			body: { input: steps.map((s) => fieldBody(s.definition as NeededField)) },
		});
		const results = response.result ?? [];
		steps.forEach((step, i) => settle(step, results[i]));
	} catch (error) {
		failAll(steps, error);
		if (isFatal(error)) throw toNodeError(this, error, 0);
	}
}

async function applyObject(this: MarketoContext, object: string, steps: PlanStep[]) {
	const path = (action: string) =>
		`/v1/customobjects/schema/${encodeURIComponent(object)}/${action}.json`;
	const create = steps.find((s) => s.target === 'customObject' && s.action === 'create');
	const adds = steps.filter((s) => s.action === 'add');
	const approve = steps.find((s) => s.action === 'approve');
	if (create) {
		try {
			const d = create.definition as IDataObject;
			const response = await marketoApiRequest.call(this, 'POST', '/v1/customobjects/schema.json', {
				body: {
					action: 'createOnly',
					apiName: object,
					displayName: d.displayName,
					pluralName: d.pluralName,
					description: d.description,
				},
			});
			settle(create, response.result?.[0]);
		} catch (error) {
			failAll([create], error);
			if (isFatal(error)) throw toNodeError(this, error, 0);
		}
		if (create.result === 'failed') {
			for (const s of [...adds, ...(approve ? [approve] : [])]) {
				s.result = 'notRun';
				s.error = `Not run: ${object} could not be created`;
			}
			return;
		}
	}
	if (adds.length) {
		try {
			const response = await marketoApiRequest.call(this, 'POST', path('addField'), {
				body: { input: adds.map((s) => fieldBody(s.definition as NeededField)) },
			});
			const results = response.result ?? [];
			adds.forEach((step, i) => settle(step, results.find((r) => r.seq === i) ?? results[i]));
		} catch (error) {
			failAll(adds, error);
			if (isFatal(error)) throw toNodeError(this, error, 0);
		}
	}
	if (!approve) return;
	if (adds.some((s) => s.result === 'failed')) {
		approve.result = 'notRun';
		approve.error = `Not run: ${object} lacks fields Marketo refused above`;
		return;
	}
	try {
		const response = await marketoApiRequest.call(this, 'POST', path('approve'), {});
		settle(approve, response.result?.[0]);
	} catch (error) {
		// 709 "no draft": an approval whose answer was lost and was sent again already went through.
		if (marketoErrorCode(error) === '709' && (await approvedWithoutDraft.call(this, object))) {
			approve.result = 'done';
			return;
		}
		failAll([approve], error);
		if (isFatal(error)) throw toNodeError(this, error, 0);
	}
}

async function approvedWithoutDraft(this: MarketoContext, object: string): Promise<boolean> {
	const states = await typeStates.call(this, [object]).catch(() => undefined);
	return states?.get(object) === 'approved';
}

/**
 * Applies the plan's create/add/approve steps in place (each gets `result`). A fatal failure (603
 * permission, 607 quota, the credential) marks the steps not reached as not run, then is thrown.
 */
export async function applySchemaPlan(this: MarketoContext, steps: PlanStep[]): Promise<void> {
	const writes = (target: PlanStep['target']) =>
		steps.filter((s) => s.target === target && s.action === 'create');
	try {
		await createFields.call(this, 'lead', writes('leadField'));
		await createFields.call(this, 'programMember', writes('programMemberField'));
		const objects = [
			...new Set(
				steps
					.filter((s) => s.target === 'customObject' || s.target === 'customObjectField')
					.map((s) => s.object ?? s.name),
			),
		];
		for (const object of objects) {
			const own = steps.filter(
				(s) =>
					(s.object ?? s.name) === object &&
					(s.target === 'customObject' || s.target === 'customObjectField') &&
					['create', 'add', 'approve'].includes(s.action),
			);
			if (own.length) await applyObject.call(this, object, own);
		}
	} catch (error) {
		for (const s of steps)
			if (['create', 'add', 'approve'].includes(s.action) && !s.result) {
				s.result = 'notRun';
				s.error = `Not run: ${(error as Error).message}`;
			}
		throw toNodeError(this, error, 0);
	}
}
