/** One record of a batched write, and its result (batch.ts; exactlyOnce.ts builds results too). */
import type { IDataObject } from 'n8n-workflow';

import type { MarketoErrorDetail } from './errors';

export interface BatchInputRecord {
	/** The n8n input item this record came from. */
	itemIndex: number;
	/** The record as Marketo expects it in `input[]`. */
	record: IDataObject;
	/**
	 * The value the write is keyed on (e.g. the lookup field's value). Two calls with the same key never run
	 * at the same time in this process: Adobe warns that concurrent upserts on one key create duplicates.
	 */
	lockKey?: string;
}

export interface BatchItemResult {
	itemIndex: number;
	input: IDataObject;
	/** The record's key (its `lockKey`: lookup field value, dedupe values), to name it in messages. */
	key?: string;
	success: boolean;
	/** Marketo's per-record status: created, updated, deleted, skipped... */
	status?: string;
	/** Marketo's per-record result (id, seq, status, marketoGUID...). */
	result?: IDataObject;
	code?: string;
	message?: string;
	reasons?: MarketoErrorDetail[];
	/** The record's key is held by several records in Marketo: the key and their ids (exactlyOnce.ts). */
	duplicates?: { key: string; ids: string[] };
}
