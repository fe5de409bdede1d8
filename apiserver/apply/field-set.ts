// A set of field paths (structured-merge-diff's fieldpath.Set): a trie whose
// nodes hold "members" (paths that end here) and "children" (deeper paths).
// A path can be both, e.g. a list item owned as a whole that also has owned
// fields. Serialized as FieldsV1, the JSON of managedFields[].fieldsV1:
//   {"f:spec":{"f:replicas":{},"f:template":{...}}, "k:{\"name\":\"c\"}":{".":{},"f:image":{}}}
// where "." marks a node that is itself a member.
//
// Sets are values: the operations return new sets (sharing unchanged
// subtrees, or the operand itself when the result equals it), and only the
// builders (insert, addMember, descend) modify a set, on sets they have just
// created. That makes two memos safe, which spare every write re-parsing and
// re-emitting the FieldsV1 of managers it does not change: the parsed set of
// a FieldsV1 text (fromFieldsV1, shared between callers) and the FieldsV1 of
// a set (toFieldsV1, frozen, since it is handed out again).

import { compareElements, parseElement, serializeElement } from './path-element.ts';
import type { Path, PathElement } from './path-element.ts';

interface Child {
  pe: PathElement;
  set: FieldSet;
}

export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();
  /** toFieldsV1's result, once asked for (a set is not built further after that). */
  private fieldsV1: Readonly<Record<string, unknown>> | undefined;

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (its parents are not members unless inserted too). The empty path, the whole object, is never tracked. */
  insert(path: Path): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (const pe of path.slice(0, -1)) node = node.descend(pe);
    node.addMember(path[path.length - 1]!);
  }

  addMember(pe: PathElement): void {
    this.fieldsV1 = undefined;
    this.members.set(serializeElement(pe), pe);
  }

  /** The child node for pe, created if missing. */
  descend(pe: PathElement): FieldSet {
    this.fieldsV1 = undefined;
    const key = serializeElement(pe);
    let c = this.children.get(key);
    if (!c) this.children.set(key, (c = { pe, set: new FieldSet() }));
    return c.set;
  }

  /** Builder: adds every path of other. */
  addAll(other: FieldSet): void {
    for (const pe of other.memberElements()) this.addMember(pe);
    for (const c of other.childEntries()) this.descend(c.pe).addAll(c.set);
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(serializeElement(pe));
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (const pe of path.slice(0, -1)) {
      node = node.children.get(serializeElement(pe))?.set;
      if (!node) return false;
    }
    return node.hasMember(path[path.length - 1]!);
  }

  /** The paths below pe, without the pe prefix. */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializeElement(pe))?.set ?? EMPTY;
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.isEmpty()) return false;
    return true;
  }

  memberElements(): PathElement[] {
    return [...this.members.values()];
  }

  childEntries(): Child[] {
    return [...this.children.values()];
  }

  union(other: FieldSet): FieldSet {
    if (other === this || other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, pe] of other.members) out.members.set(k, pe);
    for (const [k, c] of this.children) out.children.set(k, c);
    for (const [k, c] of other.children) {
      const mine = this.children.get(k);
      out.children.set(k, mine ? { pe: c.pe, set: mine.set.union(c.set) } : c);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      if (!theirs) continue;
      const both = c.set.intersection(theirs.set);
      if (!both.isEmpty()) out.children.set(k, { pe: c.pe, set: both });
    }
    return out;
  }

  /** Members not in other, level by level: removing a parent does not remove its children. */
  difference(other: FieldSet): FieldSet {
    if (other.members.size === 0 && other.children.size === 0) return this;
    const out = new FieldSet();
    let same = true;
    for (const [k, pe] of this.members) {
      if (!other.members.has(k)) out.members.set(k, pe);
      else same = false;
    }
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      if (!theirs) {
        out.children.set(k, c);
        continue;
      }
      const rest = c.set.difference(theirs.set);
      if (rest === c.set && !rest.isEmpty()) out.children.set(k, c);
      else {
        same = false;
        if (!rest.isEmpty()) out.children.set(k, { pe: c.pe, set: rest });
      }
    }
    return same ? this : out;
  }

  /** Like difference, but a member of other also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (other.members.has(k)) continue;
      const theirs = other.children.get(k);
      if (!theirs) {
        out.children.set(k, c);
        continue;
      }
      const rest = c.set.recursiveDifference(theirs.set);
      if (!rest.isEmpty()) out.children.set(k, { pe: c.pe, set: rest });
    }
    return out;
  }

  /** Only the paths at or below prefix (a non-empty path). */
  onlyUnder(prefix: Path): FieldSet {
    const [head, ...rest] = prefix;
    const out = new FieldSet();
    if (!head) return out;
    const k = serializeElement(head);
    if (rest.length === 0 && this.members.has(k)) out.members.set(k, head);
    const c = this.children.get(k);
    if (c) {
      const below = rest.length === 0 ? c.set : c.set.onlyUnder(rest);
      if (!below.isEmpty()) out.children.set(k, { pe: head, set: below });
    }
    return out;
  }

  /** Every member path, depth first: a node's members, then its children, each in path element order. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (set: FieldSet, prefix: PathElement[]) => {
      for (const pe of sorted(set.memberElements())) out.push([...prefix, pe]);
      for (const c of sortedChildren(set)) walk(c.set, [...prefix, c.pe]);
    };
    walk(this, []);
    return out;
  }

  /** The FieldsV1 JSON of the set (frozen: the same object is returned for the same set). */
  toFieldsV1(): Readonly<Record<string, unknown>> {
    return (this.fieldsV1 ??= emit(this, false));
  }

  /**
   * Parses FieldsV1; throws on malformed input (not an object, a bad path
   * element). The set may be shared with other callers given the same
   * FieldsV1: it must not be built further (no builder is called on it).
   */
  static fromFieldsV1(json: unknown): FieldSet {
    if (typeof json !== 'object' || json === null) return read(json).set ?? new FieldSet();
    const text = JSON.stringify(json);
    const hit = PARSED.get(text);
    if (hit) {
      // Most recently used last: the oldest goes first when the memo is full.
      PARSED.delete(text);
      PARSED.set(text, hit);
      return hit;
    }
    const set = read(json).set ?? new FieldSet();
    PARSED.set(text, set);
    if (PARSED.size > PARSED_MAX) PARSED.delete(PARSED.keys().next().value!);
    return set;
  }
}

/**
 * Parsed FieldsV1 by their JSON text. Objects made from one template carry the
 * same field sets (every pod of a ReplicaSet, every status its agent writes),
 * so a few hundred cover a busy cluster; each is a small trie.
 */
const PARSED = new Map<string, FieldSet>();
const PARSED_MAX = 256;

const EMPTY = new FieldSet();
/** The FieldsV1 of a leaf. */
const EMPTY_NODE: Readonly<Record<string, unknown>> = Object.freeze({});

function sorted(pes: PathElement[]): PathElement[] {
  return pes.sort(compareElements);
}

function sortedChildren(set: FieldSet): Child[] {
  return set.childEntries().sort((a, b) => compareElements(a.pe, b.pe));
}

function emit(set: FieldSet, includeSelf: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (includeSelf) out['.'] = {};
  const entries: { pe: PathElement; member: boolean; child?: FieldSet }[] = set.memberElements().map((pe) => ({ pe, member: true }));
  for (const c of set.childEntries()) {
    if (c.set.isEmpty()) continue;
    const same = entries.find((e) => e.member && compareElements(e.pe, c.pe) === 0);
    if (same) same.child = c.set;
    else entries.push({ pe: c.pe, member: false, child: c.set });
  }
  entries.sort((a, b) => compareElements(a.pe, b.pe));
  for (const e of entries) out[serializeElement(e.pe)] = e.child ? emit(e.child, e.member) : EMPTY_NODE;
  return Object.freeze(out);
}

/** upstream's readIterV1: an object with no children is a member; one with children is a member only with ".". */
function read(json: unknown): { set: FieldSet | undefined; member: boolean } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('a FieldsV1 node must be a JSON object');
  let set: FieldSet | undefined;
  let member = false;
  for (const [key, value] of Object.entries(json)) {
    if (key === '.') {
      member = true;
      continue;
    }
    const pe = parseElement(key);
    if (!pe) continue;
    const child = read(value);
    set ??= new FieldSet();
    if (child.member) set.addMember(pe);
    if (child.set) set.descend(pe).addAll(child.set);
  }
  return { set, member: member || set === undefined };
}
