import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

/**
 * One operation = one file under `actions/<resource>/`: its dropdown entry, its parameters
 * (already restricted to its resource/operation with `updateDisplayOptions`) and its execute.
 * `execute` gets all input items so operations can batch (SpotMe takes 5 000 documents per call);
 * it must return one output item per input item (a success or, with continueOnFail, an error
 * item) with `pairedItem`.
 */
export interface SpotMeOperation {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

/** A resource: its dropdown entry and its operations. Register it in `actions/router.ts`. */
export interface SpotMeResource {
	option: INodePropertyOptions & { value: string };
	operations: SpotMeOperation[];
	/** Operation selected when the user picks the resource. */
	defaultOperation: string;
}
