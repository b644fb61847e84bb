/**
 * The kit both nodes (and any future node of this package) are built on:
 * - `registry.ts`: resources and operations declared once; the node's properties and router follow;
 * - `errors.ts`: the one error item, and the error that stops the node for an item;
 * - `runner.ts`: the per-item runner and the helpers that keep every item accounted for;
 * - `batch.ts`: the one batch rule for writes;
 * - `coalesce.ts`: concurrent executions' writes (a webhook burst) sharing one call;
 * - `lookups.ts`: lookups of many items combined into few calls, each record paired back;
 * - `errorOutput.ts`: error items shaped for "Continue (using error output)";
 * - `returnAll.ts`: n8n's Return All + Limit pair;
 * - `parameters.ts`: per-item parameter reads without the expression engine where none is needed.
 */
export * from './batch';
export * from './coalesce';
export * from './errorOutput';
export * from './errors';
export * from './lookups';
export * from './parameters';
export * from './registry';
export * from './returnAll';
export * from './runner';
