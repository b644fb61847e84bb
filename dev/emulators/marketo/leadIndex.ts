/**
 * The emulator's lead table: a Map by id that also keeps value indexes for the fields leads are
 * looked up by (filterType / lookupField), so a 300-record sync or a 300-value filter costs
 * O(records) instead of O(records × leads).
 *
 * An index for a field is built on its first lookup and then kept up to date by `set`, `delete`,
 * `clear` and `changed` (which `updateLead` calls before it writes a field). Lookups re-check every
 * candidate with the exact comparison, so an index can only narrow the scan, never change a match.
 */
/** A lead as the emulator stores it (re-exported by state.ts). */
export type Lead = { id: number; createdAt: string; updatedAt: string } & Record<string, unknown>;

/** Index key: the value as Marketo compares it (String(), lower-cased where the field is case-insensitive). */
export function indexKey(value: unknown, caseInsensitive: boolean): string | undefined {
	if (value === undefined || value === null) return undefined;
	const s = String(value);
	return caseInsensitive ? s.toLowerCase() : s;
}

interface FieldIndex {
	field: string;
	ci: boolean;
	byKey: Map<string, Set<Lead>>;
}

export class LeadStore extends Map<number, Lead> {
	/** `${field}|${ci}` -> index; built lazily */
	private indexes?: Map<string, FieldIndex>;
	/** id -> insertion position, so matches come back in the Map's order (as the old full scan did) */
	private order?: Map<number, number>;
	private nextOrder = 0;

	override set(id: number, lead: Lead): this {
		const old = super.get(id);
		if (old && this.indexes)
			for (const ix of this.indexes.values()) this.remove(ix, old, old[ix.field]);
		if (!super.has(id)) this.positions().set(id, this.nextOrder++);
		super.set(id, lead);
		if (this.indexes) for (const ix of this.indexes.values()) this.add(ix, lead, lead[ix.field]);
		return this;
	}

	override delete(id: number): boolean {
		const old = super.get(id);
		if (old === undefined) return false;
		if (this.indexes) for (const ix of this.indexes.values()) this.remove(ix, old, old[ix.field]);
		this.order?.delete(id);
		return super.delete(id);
	}

	override clear(): void {
		this.indexes = undefined;
		this.order = undefined;
		super.clear();
	}

	/** Call before `lead[field] = next` on a stored lead. */
	changed(lead: Lead, field: string, previous: unknown, next: unknown): void {
		if (!this.indexes || super.get(lead.id) !== lead) return;
		for (const ix of this.indexes.values()) {
			if (ix.field !== field) continue;
			this.remove(ix, lead, previous);
			this.add(ix, lead, next);
		}
	}

	/** Leads whose `field` may equal `value` (same key), in the Map's order; callers compare exactly. */
	candidates(field: string, value: unknown, caseInsensitive: boolean): Lead[] {
		const key = indexKey(value, caseInsensitive);
		if (key === undefined) return [];
		const set = this.index(field, caseInsensitive).byKey.get(key);
		if (!set || set.size === 0) return [];
		const out = [...set];
		if (out.length > 1) {
			const pos = this.positions();
			out.sort((a, b) => (pos.get(a.id) ?? 0) - (pos.get(b.id) ?? 0));
		}
		return out;
	}

	private positions(): Map<number, number> {
		if (!this.order) {
			this.order = new Map();
			for (const id of super.keys()) this.order.set(id, this.nextOrder++);
		}
		return this.order;
	}

	private index(field: string, ci: boolean): FieldIndex {
		this.indexes ??= new Map();
		const name = `${field}|${ci}`;
		let ix = this.indexes.get(name);
		if (!ix) {
			ix = { field, ci, byKey: new Map() };
			for (const lead of super.values()) this.add(ix, lead, lead[field]);
			this.indexes.set(name, ix);
		}
		return ix;
	}

	private add(ix: FieldIndex, lead: Lead, value: unknown): void {
		const key = indexKey(value, ix.ci);
		if (key === undefined) return;
		let set = ix.byKey.get(key);
		if (!set) ix.byKey.set(key, (set = new Set()));
		set.add(lead);
	}

	private remove(ix: FieldIndex, lead: Lead, value: unknown): void {
		const key = indexKey(value, ix.ci);
		if (key === undefined) return;
		const set = ix.byKey.get(key);
		if (!set) return;
		set.delete(lead);
		if (set.size === 0) ix.byKey.delete(key);
	}
}
