import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The shared secret a Marketo "Call Webhook" sends in a custom header, kept where n8n keeps
 * secrets ("Marketo Webhook API" in the credential list): encrypted, masked in the editor, and never part of an exported workflow. There is no
 * service to call with it (Marketo sends it to n8n, not the other way round), so the Marketo
 * Trigger tests it locally (testedBy: a long enough value, a valid header name).
 */
export class MarketoWebhookApi implements ICredentialType {
	name = 'marketoWebhookApi';

	displayName = 'Marketo Webhook API';

	icon: Icon = { light: 'file:marketo.svg', dark: 'file:marketo.dark.svg' };

	documentationUrl =
		'https://experienceleague.adobe.com/en/docs/marketo/using/product-docs/administration/additional-integrations/create-a-webhook';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'Authorization',
			required: true,
			description:
				'The custom header Marketo sends (Webhook Actions > Set Custom Header). For Authorization Marketo must send "Bearer &lt;secret&gt;", for any other header the secret itself.',
		},
		{
			displayName: 'Shared Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random value (at least 16 characters), also entered in Marketo as the custom header value',
		},
	];
}
