import type { INodeProperties } from 'n8n-workflow';
import {
	attendedMinutesOption,
	columnsParameter,
	outputFieldsOption,
	separatorOption,
	watchTimeUnitOption,
} from './common';
import { leadIdOptions } from './leadIds';

/** Field mapping + options of the two document-store operations. */
export function documentMappingAndOptions(extraOptions: INodeProperties[] = []): INodeProperties[] {
	return [
		columnsParameter(
			'Field Names',
			"Which document field holds what. Defaults are assumptions (SpotMe does not publish its attendance documents); the seed's names (liveWatchTime...), snake_case (live_watch_time...) and SpotMe's fp_owner / parent_doc_id are recognised too.",
		),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: (
				[
					attendedMinutesOption,
					{
						displayName: 'Include Raw Document',
						name: 'includeDocument',
						type: 'boolean',
						default: false,
						description: 'Whether to add the SpotMe document as it was read, under "document"',
					},
					outputFieldsOption,
					{
						displayName: 'Since Format',
						name: 'sinceFormat',
						type: 'options',
						options: [
							{ name: 'ISO 8601', value: 'iso' },
							{ name: 'Epoch Milliseconds', value: 'epochMs' },
						],
						default: 'iso',
						description:
							'How "since" is sent to changes/since. SpotMe does not publish the format (assumption: ISO 8601).',
					},
					{
						displayName: 'Try Known Field Variants',
						name: 'tryVariants',
						type: 'boolean',
						default: true,
						description:
							'Whether to also look for the usual other names of each field when the mapped name is absent',
					},
					watchTimeUnitOption,
					separatorOption,
					...leadIdOptions,
					...extraOptions,
				] as INodeProperties[]
			).sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
	];
}
