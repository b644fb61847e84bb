import type { IDataObject } from 'n8n-workflow';

/** A lead field as `describe2` returns it. */
export interface LeadField extends IDataObject {
	name: string;
	displayName?: string;
	dataType?: string;
	length?: number;
	updateable?: boolean;
	crmManaged?: boolean;
}

/** A program member field as `/v1/programs/members/describe.json` returns it. */
export interface ProgramMemberField extends IDataObject {
	name: string;
	displayName?: string;
	dataType?: string;
	length?: number;
	updateable?: boolean;
}

/** A channel's progression status (Asset API `channels`). */
export interface ProgressionStatus extends IDataObject {
	name: string;
	step: number;
	description?: string;
	hidden?: boolean;
	success?: boolean;
}
