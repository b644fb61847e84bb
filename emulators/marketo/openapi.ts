/** OpenAPI request validation (filled in later). */
export interface OpenApiValidator {
	ops: unknown[];
}
export interface RequestShape {
	method: string;
	path: string;
	params: Record<string, string[]>;
	body: unknown;
	contentType: string;
	hasBody: boolean;
}
export function loadValidator(): OpenApiValidator | undefined {
	return undefined;
}
export function validateRequest(_v: OpenApiValidator, _r: RequestShape): string | undefined {
	return undefined;
}
