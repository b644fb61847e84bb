/**
 * Everything the node's dropdowns call, in one place. To add a resource's methods: create its file here
 * and spread it into the matching object below.
 */
import * as activityOptions from './activities';
import * as customObjectMethods from './customObjects';
import * as folderSearch from './folders';
import * as leadAndMemberOptions from './loadOptions';
import * as listSearchMethods from './listSearch';
import * as resourceMappingMethods from './resourceMapping';
import * as schemaMethods from './schema';

export const loadOptions = {
	...leadAndMemberOptions,
	...activityOptions,
	getCustomObjectTypes: customObjectMethods.getCustomObjectTypes,
	getCustomObjectFilterTypes: customObjectMethods.getCustomObjectFilterTypes,
	getCustomObjectDedupeFields: customObjectMethods.getCustomObjectDedupeFields,
	getCustomObjectFieldNames: customObjectMethods.getCustomObjectFieldNames,
	...schemaMethods,
};

export const listSearch = {
	...listSearchMethods,
	...folderSearch,
};

export const resourceMapping = {
	getLeadMappingColumns: resourceMappingMethods.getLeadMappingColumns,
	getCustomObjectColumns: customObjectMethods.getCustomObjectColumns,
};
