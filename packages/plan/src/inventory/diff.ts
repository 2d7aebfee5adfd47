/**
 * The diff of two plans (base -> head), per stack: resources created, updated (with the input
 * paths that changed), deleted, and replaced — because an input changed that the provider
 * cannot update in place (`replacements.ts`: a bucket's name, a schema's storage root…), or
 * because their logical name changed (a deleted and a created resource of the same environment
 * with the same physical identity, see `identity.ts`). Resources match by URN, which holds the stack, the parent chain's types and
 * the logical name.
 */
import type { InventoryResource, StackInventory } from "./inventory";
import { isStateful, physicalIdentity } from "./identity";
import { replacingPaths } from "./replacements";
import type { StackResult } from "../run/schedule";

/** A resource named in a diff. */
export interface ResourceRef {
  readonly stack: string;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Deleting it loses data or access (buckets, keys, catalogs, schemas…, or protected). */
  readonly stateful: boolean;
  /** Logical names of the components it is part of, nearest first (its parent's, …). */
  readonly within: readonly string[];
}

export interface ResourceUpdate extends ResourceRef {
  /** Changed input paths (`tags.owner`, `rules[0].…`, `policy{Statement[1].Resource}` inside JSON text, `options.protect`). */
  readonly paths: readonly string[];
}

/**
 * A resource deleted and created again: because its logical name (URN) changed while its
 * physical identity stayed (`rename`), or because an input the provider cannot update in place
 * changed (`inputs`, see `replacements.ts`: a bucket's name, a schema's storage root…).
 */
export interface Replacement {
  readonly type: string;
  readonly cause: "rename" | "inputs";
  /**
   * `rename`: the shared physical identity, e.g. `aws:s3/bucket:Bucket bucket=shs-dev-…`;
   * `inputs`: the identity after the change (or the type when the inputs do not name it).
   */
  readonly identity: string;
  /**
   * The changed input paths that would force a replacement on their own (always some for
   * `inputs`; a `rename` may carry some too, e.g. a schema moved to another shard with a new
   * storage root).
   */
  readonly forcedBy: readonly string[];
  /** Every changed input path (as an update lists them). */
  readonly paths: readonly string[];
  /**
   * The forcing inputs before and after, as JSON text (what the guard matches config changes
   * against); empty strings when nothing forces.
   */
  readonly values: { readonly before: string; readonly after: string };
  readonly from: ResourceRef;
  readonly to: ResourceRef;
}

/** Changes per type (for summary tables). */
export interface TypeCounts {
  create: number;
  update: number;
  delete: number;
  replace: number;
  same: number;
}

export interface StackDiff {
  readonly stack: string;
  readonly created: readonly ResourceRef[];
  readonly updated: readonly ResourceUpdate[];
  readonly deleted: readonly ResourceRef[];
  /** Replacements whose new resource is in this stack. */
  readonly replaced: readonly Replacement[];
  readonly unchanged: number;
  readonly byType: Readonly<Record<string, TypeCounts>>;
}

export interface PlanDiff {
  /** Stacks planned on either side (and successfully on both), sorted by name. */
  readonly stacks: readonly StackDiff[];
  readonly totals: TypeCounts;
}

const parse = (r: StackResult): StackInventory | undefined =>
  r.ok ? (JSON.parse(r.json()) as StackInventory) : undefined;

const ref = (
  stack: string,
  r: InventoryResource,
  byUrn: ReadonlyMap<string, InventoryResource>,
): ResourceRef => {
  const within: string[] = [];
  for (let p = r.parent; p !== null && within.length < 64;) {
    const parent = byUrn.get(p);
    if (parent === undefined) break;
    within.push(parent.name);
    p = parent.parent;
  }
  return { stack, urn: r.urn, type: r.type, name: r.name, stateful: isStateful(r), within };
};

const zero = (): TypeCounts => ({ create: 0, update: 0, delete: 0, replace: 0, same: 0 });

/** Diffs the stacks of two plans; stacks that failed on a side are left out (they are problems). */
export function diffPlans(base: readonly StackResult[], head: readonly StackResult[]): PlanDiff {
  const failed = new Set([...base, ...head].filter((r) => !r.ok).map((r) => r.stack));
  const before = new Map<string, StackInventory>();
  const after = new Map<string, StackInventory>();
  for (const r of base) if (!failed.has(r.stack)) before.set(r.stack, parse(r) as StackInventory);
  for (const r of head) if (!failed.has(r.stack)) after.set(r.stack, parse(r) as StackInventory);
  return diffInventories(before, after);
}

/** Diffs stack inventories by name (a stack on one side only is all created or all deleted). */
export function diffInventories(
  before: ReadonlyMap<string, StackInventory>,
  after: ReadonlyMap<string, StackInventory>,
): PlanDiff {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const work = names.map((stack) => {
    const a = new Map((before.get(stack)?.resources ?? []).map((r) => [r.urn, r]));
    const b = new Map((after.get(stack)?.resources ?? []).map((r) => [r.urn, r]));
    const created: InventoryResource[] = [];
    const deleted: InventoryResource[] = [];
    const updated: ResourceUpdate[] = [];
    const inPlace: Replacement[] = [];
    let unchanged = 0;
    const byType: Record<string, TypeCounts> = {};
    const count = (type: string, k: keyof TypeCounts): void => {
      (byType[type] ??= zero())[k]++;
    };
    for (const [urn, r] of b) {
      const old = a.get(urn);
      if (old === undefined) created.push(r);
      else {
        const paths = changedPaths(old, r);
        const forcedBy = replacingPaths(r.type, paths);
        if (forcedBy.length > 0) {
          inPlace.push({
            type: r.type,
            cause: "inputs",
            identity: physicalIdentity(r) ?? r.type,
            forcedBy,
            paths,
            values: forcedValues(old, r, forcedBy),
            from: ref(stack, old, a),
            to: ref(stack, r, b),
          });
        } else if (paths.length > 0) {
          updated.push({ ...ref(stack, r, b), paths });
          count(r.type, "update");
        } else {
          unchanged++;
          count(r.type, "same");
        }
      }
    }
    for (const [urn, r] of a) if (!b.has(urn)) deleted.push(r);
    return {
      stack,
      created,
      deleted,
      updated,
      unchanged,
      byType,
      replaced: inPlace,
      before: a,
      after: b,
    };
  });

  // Replacements: a deleted and a created resource with the same identity, within an environment.
  const envOf = (stack: string): string =>
    after.get(stack)?.environment ?? before.get(stack)?.environment ?? stack;
  const deletedByIdentity = new Map<
    string,
    { stack: string; r: InventoryResource; used: boolean }
  >();
  for (const w of work) {
    for (const r of w.deleted) {
      const id = physicalIdentity(r);
      if (id !== undefined)
        deletedByIdentity.set(`${envOf(w.stack)}\0${id}`, { stack: w.stack, r, used: false });
    }
  }
  const replacedFrom = new Set<string>();
  const beforeOf = (stack: string): ReadonlyMap<string, InventoryResource> =>
    work.find((w) => w.stack === stack)?.before ?? new Map();
  for (const w of work) {
    w.created = w.created.filter((r) => {
      const id = physicalIdentity(r);
      const old = id === undefined ? undefined : deletedByIdentity.get(`${envOf(w.stack)}\0${id}`);
      if (id === undefined || old === undefined || old.used) return true;
      old.used = true;
      replacedFrom.add(`${old.stack}\0${old.r.urn}`);
      const paths = changedPaths(old.r, r);
      const forcedBy = replacingPaths(r.type, paths);
      w.replaced.push({
        type: r.type,
        cause: "rename",
        identity: id,
        forcedBy,
        paths,
        values: forcedValues(old.r, r, forcedBy),
        from: ref(old.stack, old.r, beforeOf(old.stack)),
        to: ref(w.stack, r, w.after),
      });
      return false;
    });
  }
  const totals = zero();
  const stacks = work.map((w): StackDiff => {
    const deleted = w.deleted.filter((r) => !replacedFrom.has(`${w.stack}\0${r.urn}`));
    for (const r of w.created) (w.byType[r.type] ??= zero()).create++;
    for (const r of deleted) (w.byType[r.type] ??= zero()).delete++;
    for (const x of w.replaced) (w.byType[x.type] ??= zero()).replace++;
    const byType: Record<string, TypeCounts> = {};
    for (const t of Object.keys(w.byType).sort()) {
      byType[t] = w.byType[t];
      for (const k of Object.keys(totals) as (keyof TypeCounts)[]) totals[k] += w.byType[t][k];
    }
    return {
      stack: w.stack,
      created: w.created.map((r) => ref(w.stack, r, w.after)),
      updated: w.updated,
      deleted: deleted.map((r) => ref(w.stack, r, w.before)),
      replaced: w.replaced,
      unchanged: w.unchanged,
      byType,
    };
  });
  return { stacks, totals };
}

/** The top-level inputs named by `paths`, before and after, as JSON text. */
function forcedValues(
  a: InventoryResource,
  b: InventoryResource,
  paths: readonly string[],
): { before: string; after: string } {
  if (paths.length === 0) return { before: "", after: "" };
  const keys = [...new Set(paths.map((p) => /^[^.[{]*/.exec(p)?.[0] ?? p))].sort();
  const text = (r: InventoryResource): string =>
    keys.map((k) => JSON.stringify(r.inputs[k] ?? null)).join(" ");
  return { before: text(a), after: text(b) };
}

const OPTION_FIELDS = [
  "protect",
  "retainOnDelete",
  "deleteBeforeReplace",
  "ignoreChanges",
  "dependsOn",
  "provider",
] as const;

/** Input paths (and `options.<x>`) that differ between two versions of a resource. */
export function changedPaths(a: InventoryResource, b: InventoryResource): string[] {
  const out: string[] = [];
  diffValue(a.inputs, b.inputs, "", out);
  for (let i = 0; i < out.length; i++) if (out[i] === "") out[i] = "(inputs)";
  for (const f of OPTION_FIELDS) {
    if (JSON.stringify(a[f]) !== JSON.stringify(b[f])) out.push(`options.${f}`);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function jsonText(v: unknown): unknown {
  if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

const join = (prefix: string, key: string): string => (prefix === "" ? key : `${prefix}.${key}`);

function diffValue(a: unknown, b: unknown, path: string, out: string[]): void {
  if (a === b) return;
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      diffValue(a[k], b[k], join(path, k), out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffValue(x, b[i], `${path}[${i}]`, out));
    return;
  }
  const ja = jsonText(a);
  const jb = jsonText(b);
  if (ja !== undefined && jb !== undefined) {
    const inner: string[] = [];
    diffValue(ja, jb, "", inner);
    for (const p of inner) out.push(p === "" ? path : `${path}{${p}}`);
    if (inner.length === 0 && a !== b) out.push(path); // same JSON, different text (formatting)
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path);
}
