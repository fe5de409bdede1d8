// The finalizers through which the registry hands a deletion to the garbage
// collector (DeleteOptions.propagationPolicy Foreground and Orphan). The GC
// removes each when its part is done; the registry then removes the object.

/** The owner goes once its dependents with blockOwnerDeletion are gone. */
export const FOREGROUND = 'foregroundDeletion';
/** The owner goes once no dependent refers to it any more. */
export const ORPHAN = 'orphan';
