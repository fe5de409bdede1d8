// The CRI container log format, as the runtimes write it and the kubelet
// reads it (pkg/kubelet/kuberuntime/logs): one record per line,
//   <RFC3339Nano timestamp> <stdout|stderr> <F|P> <text>
// F ends a line; P is a partial line (the runtime split a long line) whose
// text continues in the next record, so its trailing newline is not part of
// the output.

import { rfc3339 } from '../../api/time.ts';

export type LogStream = 'stdout' | 'stderr';

export interface LogRecord {
  /** The timestamp as written (RFC3339Nano); it is also what --timestamps prints. */
  timestamp: string;
  /** Milliseconds since the epoch, for --since comparisons. */
  time: number;
  stream: LogStream;
  partial: boolean;
  /** The text, with its newline for full records and without for partial ones. */
  content: Buffer;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Parses one raw line (with or without its trailing newline); undefined for a line that is not CRI-formatted. */
export function parseCriLine(line: Buffer): LogRecord | undefined {
  const a = line.indexOf(SPACE);
  if (a <= 0) return undefined;
  const b = line.indexOf(SPACE, a + 1);
  if (b < 0) return undefined;
  const timestamp = line.toString('latin1', 0, a);
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return undefined;
  const stream = line.toString('latin1', a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  // The tag field may carry more than one tag (`F:x`); the first one is the line tag.
  let c = line.indexOf(SPACE, b + 1);
  if (c < 0) c = line.length;
  const tags = line.toString('latin1', b + 1, c);
  const partial = tags.split(':')[0] === 'P';
  let end = line.length;
  const hasNewline = end > 0 && line[end - 1] === NEWLINE;
  if (partial && hasNewline) end--;
  const content = Buffer.from(c + 1 <= end ? line.subarray(c + 1, end) : Buffer.alloc(0));
  return { timestamp, time, stream, partial, content: !partial && !hasNewline ? Buffer.concat([content, Buffer.from('\n')]) : content };
}

/** Formats one record (for writers and tests). */
export function formatCriLine(timestamp: Date | string, stream: LogStream, text: string, partial = false): string {
  const ts = typeof timestamp === 'string' ? timestamp : rfc3339(timestamp, 3);
  return `${ts} ${stream} ${partial ? 'P' : 'F'} ${text}\n`;
}
