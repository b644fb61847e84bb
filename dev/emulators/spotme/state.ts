/**
 * In-memory state of the SpotMe emulator: organizations, workspaces and the per-workspace
 * document store (`/workspace/{eid}/global/docs/{type}`), with SpotMe's upsert-by-`_id`
 * semantics and a change feed for `changes/since`.
 *
 * What SpotMe documents is followed; what it does not document is invented here and listed in
 * docs/spotme-routes.md (response envelopes, `since` format, field names of registration state).
 */
import { randomBytes } from 'crypto';

export type Doc = Record<string, unknown> & { _id: string };

export interface Workspace {
	id: string;
	orgId: string;
	name: string;
	start?: string;
	end?: string;
	location?: string;
	is_active: boolean;
	is_live?: boolean;
	is_test: boolean;
	timezone?: string;
	format?: 'virtual' | 'hybrid' | 'in_person';
	container_app_id?: string;
	[key: string]: unknown;
}

export interface Org {
	id: string;
	name: string;
}

/** Registration state as the emulator models it (SpotMe's real field for this is unconfirmed). */
export type RegistrationState = 'invited' | 'registered' | 'cancelled';

export interface PersonSeed {
	workspaceId: string;
	_id?: string;
	fname: string;
	lname: string;
	email: string;
	/** invited / registered / cancelled; default registered. */
	registration?: RegistrationState;
	[field: string]: unknown;
}

export interface SeedData {
	orgs?: Org[];
	workspaces?: Array<Partial<Workspace> & { id: string }>;
	people?: PersonSeed[];
	/** Any documents: `{ [workspaceId]: { [type]: Doc[] } }` (attendance documents go here too). */
	docs?: Record<string, Record<string, Array<Partial<Doc>>>>;
	/** Extra seed sections handled by seeders registered with `registerSpotMeSeeder`. */
	[section: string]: unknown;
}

export type UpsertStatus = 'created' | 'updated' | 'unchanged' | 'error';

export interface UpsertResult {
	_id: string;
	status: UpsertStatus;
	login_url?: string;
	error?: string;
}

/** Fields the store maintains itself; a client cannot set them. */
const SYSTEM_FIELDS = new Set(['_created', '_modified', 'login_url', '_seq']);

export type Seeder = (state: SpotMeState, data: unknown) => void;
const seeders = new Map<string, Seeder>();

/**
 * Lets another module add a seed section (e.g. `attendance`) without editing this file:
 * `registerSpotMeSeeder('attendance', (state, data) => ...)`.
 */
export function registerSpotMeSeeder(section: string, seeder: Seeder): void {
	seeders.set(section, seeder);
}

export class SpotMeState {
	orgs = new Map<string, Org>();
	workspaces = new Map<string, Workspace>();
	/** workspaceId → type → _id → doc */
	docs = new Map<string, Map<string, Map<string, Doc>>>();
	private clock = 0;
	private idCounter = 0;
	/**
	 * The change feed of each collection: its documents in write order (`_modified` ascending, as
	 * the write clock only grows), so `changesSince` finds its page by binary search instead of
	 * sorting the whole collection on every call. An entry whose document was written again later is
	 * stale (its `ms` is no longer the document's `_modified`) and is skipped, and dropped when stale
	 * entries outnumber live ones.
	 */
	private feeds = new WeakMap<Map<string, Doc>, Array<{ ms: number; doc: Doc }>>();

	constructor(private readonly loginHost = 'spotme.test') {}

	/**
	 * A strictly increasing write clock (ms): two writes never share a timestamp, so a
	 * `changes/since` cursor equal to the last document's time neither repeats nor skips one.
	 */
	tick(): number {
		this.clock = Math.max(Date.now(), this.clock + 1);
		return this.clock;
	}

	reset(): void {
		this.orgs.clear();
		this.workspaces.clear();
		this.docs.clear();
	}

	addWorkspace(input: Partial<Workspace> & { id: string }): Workspace {
		const ws: Workspace = {
			orgId: 'org-1',
			name: input.id,
			is_active: true,
			is_test: false,
			is_live: false,
			format: 'virtual',
			timezone: 'UTC',
			...input,
		};
		if (!this.orgs.has(ws.orgId)) this.orgs.set(ws.orgId, { id: ws.orgId, name: ws.orgId });
		this.workspaces.set(ws.id, ws);
		return ws;
	}

	collection(workspaceId: string, type: string): Map<string, Doc> {
		let byType = this.docs.get(workspaceId);
		if (!byType) this.docs.set(workspaceId, (byType = new Map()));
		let col = byType.get(type);
		if (!col) byType.set(type, (col = new Map()));
		return col;
	}

	getDoc(workspaceId: string, type: string, id: string): Doc | undefined {
		return this.docs.get(workspaceId)?.get(type)?.get(id);
	}

	newLoginUrl(workspaceId: string): string {
		return `https://${workspaceId}.${this.loginHost}/login/${randomBytes(12).toString('hex')}`;
	}

	/**
	 * Upserts one document (POST semantics: fields given are merged into the stored doc).
	 * Person docs: a new person needs fname, lname and email, gets a `login_url` and
	 * registration state; the result omits `login_url` when nothing changed, as SpotMe does.
	 */
	upsert(workspaceId: string, type: string, input: Record<string, unknown>): UpsertResult {
		const col = this.collection(workspaceId, type);
		const feed = this.feedOf(col);
		const id =
			input._id === undefined || input._id === null || input._id === ''
				? undefined
				: String(input._id);
		const existing = id ? col.get(id) : undefined;
		const fields: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(input)) {
			if (k === '_id' || SYSTEM_FIELDS.has(k)) continue;
			fields[k] = v;
		}
		if (!existing) {
			if (type === 'person') {
				const missing = ['fname', 'lname', 'email'].filter(
					(f) => typeof fields[f] !== 'string' || (fields[f] as string).trim() === '',
				);
				if (missing.length) {
					return {
						_id: id ?? '',
						status: 'error',
						error: `A new person needs ${missing.join(', ')} (no person with _id "${id ?? ''}" exists)`,
					};
				}
			}
			const now = this.tick();
			const doc: Doc = {
				_id: id ?? `${type}-${++this.idCounter}-${randomBytes(4).toString('hex')}`,
				...fields,
			};
			if (type === 'person') {
				doc.registration_status ??= 'registered';
				doc.fp_status ??= doc.registration_status === 'cancelled' ? 'cancelled' : 'active';
				doc.login_url = this.newLoginUrl(workspaceId);
			}
			doc._created = new Date(now).toISOString();
			doc._modified = now;
			doc.updated_at = new Date(now).toISOString();
			col.set(doc._id, doc);
			feed.push({ ms: now, doc });
			return {
				_id: doc._id,
				status: 'created',
				...(doc.login_url ? { login_url: doc.login_url as string } : {}),
			};
		}
		const changed = Object.entries(fields).some(
			([k, v]) => JSON.stringify(existing[k]) !== JSON.stringify(v),
		);
		if (!changed) return { _id: existing._id, status: 'unchanged' };
		Object.assign(existing, fields);
		if (
			type === 'person' &&
			fields.registration_status === 'cancelled' &&
			fields.fp_status === undefined
		) {
			existing.fp_status = 'cancelled';
		}
		const now = this.tick();
		existing._modified = now;
		existing.updated_at = new Date(now).toISOString();
		feed.push({ ms: now, doc: existing });
		if (feed.length > 2 * col.size + 1000) this.feeds.set(col, this.rebuildFeed(col));
		return {
			_id: existing._id,
			status: 'updated',
			...(existing.login_url ? { login_url: existing.login_url as string } : {}),
		};
	}

	/** Documents changed strictly after `sinceMs`, oldest first (at most `limit` of them). */
	changesSince(workspaceId: string, type: string, sinceMs: number, limit = Infinity): Doc[] {
		const col = this.docs.get(workspaceId)?.get(type);
		if (!col) return [];
		const feed = this.feedOf(col);
		let lo = 0;
		let hi = feed.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (feed[mid].ms > sinceMs) hi = mid;
			else lo = mid + 1;
		}
		const out: Doc[] = [];
		for (let i = lo; i < feed.length && out.length < limit; i++) {
			const { ms, doc } = feed[i];
			if (doc._modified === ms && col.get(doc._id) === doc) out.push(doc);
		}
		return out;
	}

	private feedOf(col: Map<string, Doc>): Array<{ ms: number; doc: Doc }> {
		let feed = this.feeds.get(col);
		if (!feed) {
			feed = this.rebuildFeed(col);
			this.feeds.set(col, feed);
		}
		return feed;
	}

	private rebuildFeed(col: Map<string, Doc>): Array<{ ms: number; doc: Doc }> {
		return [...col.values()]
			.map((doc) => ({ ms: doc._modified as number, doc }))
			.sort((a, b) => a.ms - b.ms);
	}

	seed(data: SeedData): void {
		for (const org of data.orgs ?? []) this.orgs.set(org.id, org);
		for (const ws of data.workspaces ?? []) this.addWorkspace(ws);
		for (const person of data.people ?? []) {
			const { workspaceId, registration, ...fields } = person;
			if (!this.workspaces.has(workspaceId)) this.addWorkspace({ id: workspaceId });
			const result = this.upsert(workspaceId, 'person', {
				...fields,
				registration_status: registration ?? fields.registration_status ?? 'registered',
			});
			if (result.status === 'error') throw new Error(`seed person: ${result.error}`);
		}
		for (const [workspaceId, byType] of Object.entries(data.docs ?? {})) {
			if (!this.workspaces.has(workspaceId)) this.addWorkspace({ id: workspaceId });
			for (const [type, docs] of Object.entries(byType)) {
				for (const doc of docs) {
					const result = this.upsert(workspaceId, type, doc);
					if (result.status === 'error') throw new Error(`seed ${type}: ${result.error}`);
				}
			}
		}
		for (const [section, value] of Object.entries(data)) {
			if (['orgs', 'workspaces', 'people', 'docs'].includes(section)) continue;
			const seeder = seeders.get(section);
			if (!seeder)
				throw new Error(
					`Unknown seed section "${section}"; known: orgs, workspaces, people, docs, ${[...seeders.keys()].join(', ')}`,
				);
			seeder(this, value);
		}
	}

	/** A JSON snapshot: what tests assert against. */
	dump(): {
		orgs: Org[];
		workspaces: Workspace[];
		docs: Record<string, Record<string, Doc[]>>;
	} {
		const docs: Record<string, Record<string, Doc[]>> = {};
		for (const [ws, byType] of this.docs) {
			docs[ws] = {};
			for (const [type, col] of byType) docs[ws][type] = [...col.values()].map((d) => ({ ...d }));
		}
		return {
			orgs: [...this.orgs.values()],
			workspaces: [...this.workspaces.values()],
			docs: JSON.parse(JSON.stringify(docs)),
		};
	}

	people(workspaceId: string): Doc[] {
		return [...(this.docs.get(workspaceId)?.get('person')?.values() ?? [])];
	}
}
