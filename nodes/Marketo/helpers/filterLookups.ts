import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { MAX_FILTER_VALUES, marketoFilterRequestAllItems } from '../transport';
import { failItem, forEachItem, runCombinedLookups, type LookupEntry } from '../../shared/kit';

/** One item's "records whose `filterType` is one of `values`" query (lead or program member Get Many). */
export interface FilterLookup {
	/** the endpoint, e.g. `/v1/leads.json` or `/v1/programs/1002/members.json` */
	path: string;
	filterType: string;
	values: string[];
	/** fields to ask for; empty means Marketo's defaults */
	fields: string[];
	limit: number;
	/** whether this lookup may share calls with others of the same path, filter field and fields */
	combinable: boolean;
}

interface ValueEntry extends LookupEntry {
	value: string;
	key: string;
}

/** Marketo compares filter values case-insensitively (email, statusName "registered" finds "Registered"). */
const matchKey = (value: unknown) =>
	String(value ?? '')
		.trim()
		.toLowerCase();

function omitField(record: IDataObject, field: string): IDataObject {
	const rest = { ...record };
	delete rest[field];
	return rest;
}

/**
 * Runs every item's lookup. One query per item would cost one Marketo call per item (100 calls per 20 s
 * for the whole instance), so combinable lookups (same path, filter field and fields) share calls of up
 * to 300 values; each record found is then given to every item whose values it matches, up to that
 * item's limit. The filter field is asked for so records can be matched, and dropped again where the
 * item did not ask for it (`defaultFields`: what Marketo returns when no fields are named). The others
 * run per item. Each item ends as its records or, with Continue on Fail, as an error item; the output is
 * in input order.
 */
export async function runFilterLookups(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	readLookup: (i: number) => Promise<FilterLookup> | FilterLookup,
	defaultFields: string[],
): Promise<INodeExecutionData[]> {
	const lookups: Array<FilterLookup | undefined> = [];
	const perItem: INodeExecutionData[][] = items.map(() => []);
	const groups = new Map<string, number[]>();
	const single: number[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const lookup = await readLookup(i);
			lookups[i] = lookup;
			if (lookup.combinable) {
				const key = JSON.stringify([lookup.path, lookup.filterType, [...lookup.fields].sort()]);
				// Appended in place: copying the list per item made 50 000 items quadratic.
				const members = groups.get(key);
				if (members) members.push(i);
				else groups.set(key, [i]);
			} else {
				single.push(i);
			}
		} catch (error) {
			perItem[i] = [failItem.call(this, error, i)];
		}
	}

	for (const members of groups.values()) {
		const { path, filterType, fields } = lookups[members[0]] as FilterLookup;
		const asked = (fields.length ? fields : defaultFields).includes(filterType);
		const returned = asked ? fields : [...(fields.length ? fields : defaultFields), filterType];
		const entries: ValueEntry[] = [];
		for (const i of members) {
			const { values, limit } = lookups[i] as FilterLookup;
			const keys = new Set<string>();
			for (const value of values) {
				const key = matchKey(value);
				if (keys.has(key)) continue;
				keys.add(key);
				entries.push({ itemIndex: i, limit, value, key });
			}
		}
		// The entries of a chunk by key, so matching a record costs one look-up, not a scan of the chunk.
		const byKey = new WeakMap<ValueEntry[], Map<string, ValueEntry[]>>();
		const ownersIn = (chunk: ValueEntry[]) => {
			let map = byKey.get(chunk);
			if (!map) {
				map = new Map();
				for (const e of chunk) {
					const list = map.get(e.key);
					if (list) list.push(e);
					else map.set(e.key, [e]);
				}
				byKey.set(chunk, map);
			}
			return map;
		};
		await runCombinedLookups(this, entries, perItem, {
			chunkSize: MAX_FILTER_VALUES,
			keyOf: (e) => e.key,
			fetch: async (chunk, accept) => {
				accept(
					await marketoFilterRequestAllItems.call(
						this,
						path,
						{
							filterType,
							values: chunk.map((e) => e.value),
							qs: returned.length ? { fields: returned } : {},
						},
						Infinity,
						chunk[0].itemIndex,
					),
				);
			},
			owners: (record, chunk) => {
				return ownersIn(chunk).get(matchKey(record[filterType])) ?? [];
			},
			shape: (record) => (asked ? { ...record } : omitField(record, filterType)),
		});
	}

	if (single.length) {
		const singles = await forEachItem.call(
			this,
			single.map((i) => items[i]),
			async (k) => {
				const { path, filterType, values, fields, limit } = lookups[single[k]] as FilterLookup;
				return await marketoFilterRequestAllItems.call(
					this,
					path,
					{ filterType, values, qs: fields.length ? { fields } : {} },
					limit,
					single[k],
				);
			},
		);
		for (const item of singles) {
			const i = single[(item.pairedItem as { item: number }).item];
			perItem[i].push({ ...item, pairedItem: { item: i } });
		}
	}
	return perItem.flat();
}
