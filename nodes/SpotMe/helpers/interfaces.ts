// Operations and resources are the kit's (`nodes/shared/kit/registry.ts`); this name stays only
// until every operation file imports `Operation` from the kit.
export type { Operation as SpotMeOperation } from '../../shared/kit';
