// Structural checks of request bodies against the models: wrong JSON types,
// unknown and duplicate fields (fieldValidation), and pruning unknown fields.

export { checkStructure, type CheckOptions, type StructureResult } from './check.ts';
export { pruneUnknown } from './prune.ts';
export { duplicateFields } from './duplicates.ts';
export { normalize } from './normalize.ts';
