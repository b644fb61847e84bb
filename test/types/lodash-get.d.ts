// lodash ships no types and @types/lodash is not a dependency; the credential test only needs `get`.
declare module 'lodash/get' {
	export default function get(object: unknown, path: string): unknown;
}
