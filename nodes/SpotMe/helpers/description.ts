import type { INodeProperties } from 'n8n-workflow';
import type { SpotMeResource } from './interfaces';

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/** The node's parameters: Resource, one Operation dropdown per resource, then every operation's fields. */
export function buildProperties(resources: SpotMeResource[]): INodeProperties[] {
	const sorted = [...resources].sort((a, b) => byName(a.option, b.option));
	const resource: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: sorted.map((r) => r.option),
		default: 'person',
	};
	const operations: INodeProperties[] = sorted.map((r) => ({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [r.option.value] } },
		options: r.operations.map((o) => o.option).sort(byName),
		default: '',
	}));
	// Each resource names its own default operation.
	operations.forEach((property, index) => (property.default = sorted[index].defaultOperation));
	return [
		resource,
		...operations,
		...sorted.flatMap((r) => r.operations.flatMap((o) => o.description)),
	];
}
