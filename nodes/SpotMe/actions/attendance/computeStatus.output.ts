/**
 * Apply Attendance Criteria, step 4: each judged person as an output item, paired with every input
 * item of that person.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
} from 'n8n-workflow';
import { failItem } from '../../../shared/kit';
import {
	EVENT_ATTENDANCE_FIELDS,
	pickCustomObjectFields,
	type AttendanceResult,
	type PersonAttendance,
} from '../../attendance';
import type { ComputeStatusParameters } from './computeStatus.parameters';

function paired(itemIndexes: number[]): IPairedItemData | IPairedItemData[] {
	return itemIndexes.length === 1
		? { item: itemIndexes[0] }
		: itemIndexes.map((item) => ({ item }));
}

/** The output item of a judged person: all of the result, or spotMeEventAttendance_c's fields. */
export function resultItem(
	result: AttendanceResult,
	person: PersonAttendance,
	outputFields: ComputeStatusParameters['outputFields'],
): INodeExecutionData {
	const all = { ...result } as IDataObject;
	const json =
		outputFields === 'customObject'
			? (pickCustomObjectFields(all, EVENT_ATTENDANCE_FIELDS) as IDataObject)
			: all;
	return { json, pairedItem: paired(person.itemIndexes) };
}

/**
 * A person who could not be judged (their event end could not be read): the error item of their
 * first input item, paired with all of them (Continue on Fail); otherwise the node stops.
 */
export function personFailed(
	this: IExecuteFunctions,
	error: unknown,
	person: PersonAttendance,
): INodeExecutionData {
	const item = failItem.call(this, error, person.itemIndexes[0], {
		spotMeUserId: person.spotMeUserId,
	});
	return { ...item, pairedItem: paired(person.itemIndexes) };
}
