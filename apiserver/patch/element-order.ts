// The order of a merged list, as upstream strategicpatch computes it
// (normalizeElementOrder, normalizeSliceOrder, mergeSortedSlice).
//
// A merged list is split into the items the patch (or its $setElementOrder
// list) mentions and the server-only items. The patch items are sorted by the
// patch's order, the server-only items keep the live list's order, and the two
// runs are interleaved: a server-only item goes first only when the live list
// had it before the patch item being compared; otherwise the patch item goes
// first. Worked example, live [a b c], patch [c a] (b is server-only):
//   compare b (live index 1) with c (live index 2): b first  -> [b]
//   the server-only run is used up, append the patch run      -> [b c a]
// An item that is new to the list has no live index, so it wins every
// comparison: without $setElementOrder, a new item lands ahead of the
// server-only items (live [a b] + patch [n] gives [n a b]), which is what
// Kubernetes does too.

/** What identifies a list item: its merge key value, or the item itself for primitives. */
export type KeyOf = (item: unknown) => unknown;

function indexer(list: readonly unknown[], keyOf: KeyOf): (item: unknown) => number | undefined {
  const index = new Map<unknown, number>();
  list.forEach((item, i) => {
    const key = keyOf(item);
    if (!index.has(key)) index.set(key, i);
  });
  return (item) => index.get(keyOf(item));
}

/** The items of `list` whose key occurs in `by`, and the others; both keep their order in `list`. */
export function partitionByPresence(list: readonly unknown[], by: readonly unknown[], keyOf: KeyOf): [unknown[], unknown[]] {
  const keys = new Set(by.map(keyOf));
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of list) (keys.has(keyOf(item)) ? present : absent).push(item);
  return [present, absent];
}

/** A stable sort by position in `order`; items not in it go last, in their current order. */
function sortByOrder(items: readonly unknown[], order: readonly unknown[], keyOf: KeyOf): unknown[] {
  const indexOf = indexer(order, keyOf);
  const rank = (item: unknown) => indexOf(item) ?? order.length;
  return [...items].sort((a, b) => rank(a) - rank(b));
}

/**
 * Orders patch items by `patchOrder` and server-only items by `serverOrder`,
 * then interleaves them as described at the top of this file.
 */
export function normalizeElementOrder(
  patchItems: readonly unknown[],
  serverOnly: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  keyOf: KeyOf,
): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, keyOf);
  const left = sortByOrder(serverOnly, serverOrder, keyOf);
  const liveIndex = indexer(serverOrder, keyOf);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const l = liveIndex(left[i]);
      const r = liveIndex(right[j]);
      out.push(l !== undefined && r !== undefined && l < r ? left[i++] : right[j++]);
    }
  }
  return out;
}
