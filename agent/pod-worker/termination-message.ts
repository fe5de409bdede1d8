// terminationMessagePolicy FallbackToLogsOnError: a container that failed
// without a termination message reports the tail of its log instead, as the
// kubelet does (the last 80 lines, at most 2048 bytes), read from the CRI
// log file (`<time> <stream> <P|F> <content>` per line).

import { open } from 'node:fs/promises';

export const MAX_LOG_LINES = 80;
export const MAX_MESSAGE_BYTES = 2048;
/** Read at most this much of the file's end: enough for 80 lines of CRI framing. */
const READ_BYTES = 64 * 1024;

/** The log's content (framing removed, partial lines joined), last `lines` lines, first `maxBytes` bytes of those. */
export async function logTail(path: string, lines = MAX_LOG_LINES, maxBytes = MAX_MESSAGE_BYTES): Promise<string> {
  let text: string;
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return '';
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - READ_BYTES);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    text = buf.toString('utf8');
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
  } finally {
    await fh.close();
  }
  const out: string[] = [];
  let partial = '';
  for (const line of text.split('\n')) {
    const m = /^\S+ (?:stdout|stderr) ([PF]) ?(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'P') partial += m[2];
    else {
      out.push(partial + m[2]);
      partial = '';
    }
  }
  const tail = out.slice(-lines).map((l) => `${l}\n`).join('');
  return Buffer.from(tail).subarray(0, maxBytes).toString('utf8');
}
