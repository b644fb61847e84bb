/**
 * The attendance core of the SpotMe node: pure functions, no I/O and no n8n execute context.
 * - `model.ts`: the normalised record, in the shape of Marketo's two attendance custom objects;
 * - `values.ts`: cell values (durations, counts, yes/no, text);
 * - `fields.ts` / `columns.ts`: which field a record holds under which name;
 * - `normalise.ts`: one record of either source (document, report row) → the normalised record;
 * - `person.ts`: one person's attendance from several records;
 * - `criteria.ts`: the rules that decide a person's attendance status;
 * - `judge.ts`: the people of an input and their judgement, as the Apply Attendance Criteria
 *   operation outputs it;
 * - `guard.ts`: the guard against judging after the event with an empty attendance source.
 */
export * from './model';
export * from './values';
export * from './fields';
export * from './columns';
export * from './normalise';
export * from './criteria';
export * from './person';
export * from './judge';
export * from './guard';
