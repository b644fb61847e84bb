import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * SpotMe API token (personal token from Backstage > profile > API tokens; valid 5 years for every
 * workspace its owner can access). SpotMe authenticates with `Authorization: Bearer <token>`.
 */
export class SpotMeApi implements ICredentialType {
	name = 'spotMeApi';

	displayName = 'SpotMe API';

	icon: Icon = { light: 'file:spotme.svg', dark: 'file:spotme.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-marketo-spotme/n8n-nodes-marketo-spotme#spotme-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Personal API token from SpotMe Backstage: your initials (bottom left) > your name > API tokens > Create a token. It needs API Developer access, granted by your organization administrator.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.spotme.com/api/v2',
			description:
				'Change only for a regional or private SpotMe host. Routes such as /me and /workspace/{ID} are appended to it. If the test answers ENOTFOUND, ECONNREFUSED or ETIMEDOUT, n8n cannot reach this address: check it and your network.',
		},
		{
			displayName: 'Organization ID',
			name: 'organizationId',
			type: 'string',
			default: '',
			description:
				'Optional. Your SpotMe organization ID, used to list workspaces in dropdowns and as the default for Workspace > Get Many.',
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1 },
			default: 3,
			description:
				'SpotMe allows 3 requests per second per token and answers 429 above that. Lower it if other tools share this token.',
		},
		{
			displayName: 'Burst',
			name: 'burst',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 5,
			description: 'How many requests may be sent at once before the per-second pace applies (SpotMe allows bursts of 5)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/me',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'SpotMe rejected the API token. Create a new token in Backstage (profile > API tokens) and paste it without the word "Bearer".',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The token is valid but has no API access. Ask your SpotMe organization administrator for API Developer access.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No SpotMe API at this address. Check the API Base URL (default https://api.spotme.com/api/v2).',
				},
			},
		],
	};
}
