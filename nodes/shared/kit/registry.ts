import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { routeErrorItems } from './errorOutput';
import { errorItem } from './errors';

/**
 * One operation = one file under `actions/<resource>/`: its dropdown entry, its parameters (already
 * restricted to its resource and operation with `updateDisplayOptions`) and its `execute`.
 * `execute` gets all input items, so operations can batch; every input item must end as its output
 * items or as its error item (see `errors.ts`), each with `pairedItem`.
 */
export interface Operation {
	option: INodePropertyOptions & { value: string; action: string };
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

/** A resource: its dropdown entry, its operations, and the operation picked with it. */
export interface Resource {
	option: INodePropertyOptions & { value: string };
	operations: Operation[];
	defaultOperation: string;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/**
 * A node's registry: its resources, declared once. The node's properties (Resource, one Operation
 * dropdown per resource, then each operation's fields) and its router both come from it.
 */
export class Registry {
	private readonly sorted: Resource[];

	constructor(
		resources: Resource[],
		private readonly defaultResource: string,
	) {
		this.sorted = [...resources].sort((a, b) => byName(a.option, b.option));
	}

	properties(): INodeProperties[] {
		const resource: INodeProperties = {
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: this.sorted.map((r) => r.option),
			default: '',
		};
		// The lint rule wants a literal default; the registry's own defaults are set right after.
		resource.default = this.defaultResource;
		const operations: INodeProperties[] = this.sorted.map((r) => ({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [r.option.value] } },
			options: r.operations.map((o) => o.option).sort(byName),
			default: '',
		}));
		operations.forEach(
			(property, index) => (property.default = this.sorted[index].defaultOperation),
		);
		const fields = this.sorted.flatMap((r) => r.operations.flatMap((o) => o.description));
		return [resource, ...operations, ...fields];
	}

	/**
	 * The node's canvas subtitle: the chosen operation's action in the user's words ("Get a lead"),
	 * not its internal values. An expression n8n's editor evaluates with the node's parameters.
	 */
	subtitle(): string {
		const actions: Record<string, string> = {};
		for (const r of this.sorted)
			for (const o of r.operations)
				actions[`${r.option.value}:${o.option.value}`] = o.option.action;
		return `={{ (${JSON.stringify(actions)})[$parameter["resource"] + ":" + $parameter["operation"]] || "" }}`;
	}

	find(resource: string, operationName: string): Operation | undefined {
		return this.sorted
			.find((r) => r.option.value === resource)
			?.operations.find((o) => o.option.value === operationName);
	}

	/** The node's `execute`: the chosen operation on all items, its failures shaped for n8n's outputs. */
	async route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = ctx.getInputData();
		const resource = ctx.getNodeParameter('resource', 0) as string;
		const operationName = ctx.getNodeParameter('operation', 0) as string;
		const found = this.find(resource, operationName);
		if (!found) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The operation "${operationName}" is not supported for the resource "${resource}"`,
				{ description: 'Pick the resource and the operation again in the node.' },
			);
		}
		let out: INodeExecutionData[];
		try {
			out = await found.execute.call(ctx, items);
		} catch (error) {
			// A node that throws under either Continue setting has its input items passed on unchanged
			// on the first output (n8n-core's handleNodeExecutionError): with "Continue (using error
			// output)" they would leave by the success output as if they had worked. So every item
			// becomes its error item instead; without Continue on Fail the node stops as before.
			if (!ctx.continueOnFail()) {
				const stop =
					error instanceof NodeOperationError || error instanceof NodeApiError
						? error
						: new NodeOperationError(ctx.getNode(), error as Error);
				throw stop;
			}
			out = items.map((_, i) => errorItem(error, i));
		}
		return [routeErrorItems.call(ctx, out)];
	}
}
