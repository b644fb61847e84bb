import { Registry } from '../../shared/kit';
import { activityResource } from './activity/Activity.resource';
import { customObjectResource } from './customObject/CustomObject.resource';
import { customObjectTypeResource } from './customObjectType/CustomObjectType.resource';
import { leadResource } from './lead/Lead.resource';
import { leadFieldResource } from './leadField/LeadField.resource';
import { programResource } from './program/Program.resource';
import { programMemberResource } from './programMember/ProgramMember.resource';
import { programMemberFieldResource } from './programMemberField/ProgramMemberField.resource';
import { spotMeSchemaResource } from './spotMeSchema/SpotMeSchema.resource';
import { usageResource } from './usage/Usage.resource';
import { webhookResource } from './webhook/Webhook.resource';

/**
 * Every resource of the Marketo node. Adding one is two lines: import its `*.resource.ts` and list it
 * here; the node's parameters and routing follow from this registry.
 */
export const registry = new Registry(
	[
		activityResource,
		customObjectResource,
		customObjectTypeResource,
		leadResource,
		leadFieldResource,
		programResource,
		programMemberResource,
		programMemberFieldResource,
		spotMeSchemaResource,
		usageResource,
		webhookResource,
	],
	'lead',
);
