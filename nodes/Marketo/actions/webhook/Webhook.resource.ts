import type { Resource } from '../../../shared/kit';

import { answer } from './answer.operation';

/** The answer to a Marketo Call Webhook delivery (needs no Marketo API call, so no credential). */
export const webhookResource: Resource = {
	option: { name: 'Call Webhook', value: 'webhook' },
	defaultOperation: 'answer',
	operations: [answer],
};
