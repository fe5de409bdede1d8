// The meta.k8s.io/v1 Table pieces that kube-apiserver's printers produce.

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  /** "name" marks the column kubectl treats as the object's name; otherwise "". */
  format: string;
  description: string;
  /** 0: always shown; 1: shown by `kubectl get -o wide`. */
  priority: number;
}

/** A row condition; Kubernetes sets only Completed=True, on finished pods. */
export interface TableRowCondition {
  type: 'Completed';
  status: 'True';
  reason: string;
  message: string;
}

export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  /** The full object, or a PartialObjectMetadata, or absent (includeObject=None). */
  object?: unknown;
}

/** What one kind's printer makes of one object: the cells for every column, wide ones included. */
export interface PrintedRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
}

export interface Printer {
  columns: readonly ColumnDefinition[];
  // Objects are stored JSON; each printer types the one it reads.
  print(obj: never, now: Date): PrintedRow;
}
