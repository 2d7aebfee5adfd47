/**
 * The destructive-change guard of `hdp plan --base`: deleting or replacing a stateful resource
 * (a bucket, a KMS key, a catalog or schema, an MWAA environment, anything the program
 * protects), or dropping a table from the config, in an environment that is not dev, blocks
 * the plan unless that environment's config carries a reviewed `policies.allowDestroy` entry
 * naming it. Pure: a diff and the two estates in, a report out.
 *
 * Tables count although Pulumi does not manage them: the ingest jobs write Unity Catalog
 * tables, so a table that leaves an environment's config shows as no deleted resource (only
 * its job goes), yet its data is orphaned — nothing loads, maintains or retires it any more.
 */
import { environmentTier, type Environment, type Estate, type Tier } from "@hdp/config";
import { explainingChanges, formatChange, type ConfigChange } from "./config-changes";
import type { PlanDiff, Replacement, ResourceRef } from "../inventory/diff";
import { REPLACEMENT_RULES } from "../inventory/replacements";
import { allowYaml } from "./guard-yaml";
import { tableFindings, type EnvInfo } from "./guard-tables";
import { findStack } from "../revisions/slices";
import type { GuardFinding } from "./finding";

export { allowEntryYaml, allowYaml } from "./guard-yaml";

export type { GuardFinding, GuardFix, GuardKind, GuardTarget } from "./finding";

/** A finding an allow entry permits. */
export interface GuardAllowed extends GuardFinding {
  /** The entry's `resource`, as written. */
  readonly allowedBy: string;
  readonly reason: string;
}

/** An allow entry that permitted nothing in this plan: stale, or a typo. */
export interface UnusedAllowance {
  readonly environment: string;
  readonly file: string;
  readonly resource: string;
  readonly reason: string;
  /** Why it cannot apply, when known (dev is not guarded). */
  readonly note: string | undefined;
}

/** One environment the diff touches. */
export interface GuardEnvironment {
  readonly name: string;
  readonly tier: Tier;
  /** False for dev: nothing there is blocked. */
  readonly guarded: boolean;
  readonly configFrom: "head" | "base";
}

export interface GuardReport {
  /** Blocked: each is a problem of the plan. */
  readonly findings: readonly GuardFinding[];
  readonly allowed: readonly GuardAllowed[];
  readonly unusedAllowances: readonly UnusedAllowance[];
  /** The environments of the diffed stacks, sorted by name. */
  readonly environments: readonly GuardEnvironment[];
}

/** What deleting each intrinsically stateful type loses. */
const CONSEQUENCES: Readonly<Record<string, string>> = {
  "aws:s3/bucket:Bucket": "S3 bucket: its objects would be deleted",
  "aws:kms/key:Key":
    "KMS key: data encrypted under it becomes unreadable once the key's deletion window ends",
  "aws:mwaa/environment:Environment":
    "MWAA environment: its Airflow metadata database (DAG run history, connections, variables) is deleted and every DAG stops",
  "databricks:index/catalog:Catalog": "Unity Catalog catalog: its schemas and tables are dropped",
  "databricks:index/schema:Schema": "Unity Catalog schema: its tables are dropped",
  "databricks:index/sqlTable:SqlTable": "Unity Catalog table: its data is dropped",
  "databricks:index/volume:Volume":
    "Unity Catalog volume: its files are deleted (managed) or no longer governed (external)",
  "databricks:index/externalLocation:ExternalLocation":
    "Unity Catalog external location: the tables and volumes stored under it lose access to their files",
  "databricks:index/storageCredential:StorageCredential":
    "Unity Catalog storage credential: the external locations using it lose access to their storage",
};

/** The stateful types the guard names a consequence for (every intrinsically stateful type). */
export const GUARDED_TYPES: readonly string[] = Object.keys(CONSEQUENCES).sort();

const PROTECTED_ONLY =
  "protected by the program (protect or retainOnDelete): it holds or guards data";

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>` -> the parent type chain. */
function parentChain(urn: string): string {
  const parts = urn.split("::");
  const chain = parts[2] ?? "";
  const i = chain.lastIndexOf("$");
  return i < 0 ? "" : chain.slice(0, i);
}

/** A component's prefix of a child name: `workforce-landing-bucket` -> `workforce-landing-`. */
const prefixOf = (name: string): string | undefined => {
  const i = name.lastIndexOf("-");
  return i <= 0 ? undefined : name.slice(0, i + 1);
};

interface Candidate {
  readonly kind: "delete" | "replace";
  readonly stack: string;
  readonly ref: ResourceRef;
  readonly to: ResourceRef | undefined;
  readonly replacement: Replacement | undefined;
}

/** Groups protected-only resources under the stateful resource of their component. */
function fold(candidates: readonly Candidate[]): { anchor: Candidate; with: string[] }[] {
  const anchors = candidates.filter((c) => CONSEQUENCES[c.ref.type] !== undefined);
  const groups = new Map(anchors.map((a) => [a, [] as string[]]));
  const loose: { anchor: Candidate; with: string[] }[] = [];
  for (const c of candidates) {
    if (CONSEQUENCES[c.ref.type] !== undefined) continue;
    const chain = parentChain(c.ref.urn);
    const owner = anchors.find((a) => {
      const prefix = prefixOf(a.ref.name);
      return (
        a.kind === c.kind &&
        a.stack === c.stack &&
        chain !== "" &&
        parentChain(a.ref.urn) === chain &&
        prefix !== undefined &&
        c.ref.name.startsWith(prefix)
      );
    });
    if (owner !== undefined) groups.get(owner)?.push(c.ref.name);
    else loose.push({ anchor: c, with: [] });
  }
  return [...[...groups].map(([anchor, w]) => ({ anchor, with: w.sort() })), ...loose];
}

function forcedText(x: Replacement, causes: readonly ConfigChange[]): string {
  const rule = REPLACEMENT_RULES[x.type];
  const paths = x.forcedBy.map((p) => `\`${p}\``).join(", ");
  const cause =
    causes.length > 0 ? `, because the config changed: ${causes.map(formatChange).join("; ")}` : "";
  return `; ${paths} changed (${x.values.before} -> ${x.values.after})${cause}, and the provider cannot change ${x.forcedBy.length === 1 ? "it" : "them"} in place: Pulumi replaces the resource (creates a new one, deletes the old one with its contents)${rule !== undefined ? ` [source: ${rule.source}]` : ""}`;
}

function resourceWhy(c: Candidate, env: Environment, causes: readonly ConfigChange[]): string {
  const what = CONSEQUENCES[c.ref.type] ?? PROTECTED_ONLY;
  const x = c.replacement;
  const forced = x !== undefined && x.forcedBy.length > 0 ? forcedText(x, causes) : "";
  const moved =
    c.to === undefined
      ? ""
      : `; its logical name changed (${c.stack === c.to.stack ? "" : `${c.stack}/`}${c.ref.name} -> ${c.to.stack === c.stack ? "" : `${c.to.stack}/`}${c.to.name}), so Pulumi deletes the object and creates it again under the same physical name (or fails, the name being taken) unless the new resource gets \`aliases: ["${c.ref.urn}"]\`${x !== undefined && x.forcedBy.length > 0 ? " (and even with an alias, the change below replaces it)" : ""}`;
  const protectedNote = env.protectStatefulResources
    ? `; ${env.name} protects stateful resources (protectStatefulResources: true), so a real \`pulumi up\` would also stop at it`
    : "";
  return `${what}${moved}${forced}${protectedNote}`;
}

/** Whether an allow entry names the finding, or a component (or source) it is part of. */
function matches(resource: string, f: GuardFinding): boolean {
  const names = [f.name, f.urn, f.to?.name, f.to?.urn, ...f.within].filter((x) => x !== undefined);
  return names.includes(resource);
}

/**
 * The guard's verdict on a diff from `base` to `head` (see the module comment). Only the
 * diff's stacks are judged; environments whose name starts with `dev` (tier dev) are not
 * guarded. Allow entries come from the head revision's environment config, or from the base
 * revision's when the environment is no longer in the working tree.
 */
export function guardChanges(
  diff: PlanDiff,
  head: Estate,
  base: Estate,
  changes: readonly ConfigChange[] = [],
): GuardReport {
  const stackEnv = new Map<string, string>();
  for (const d of diff.stacks) {
    const env = (findStack(head, d.stack) ?? findStack(base, d.stack))?.env.name;
    if (env !== undefined) stackEnv.set(d.stack, env);
  }
  const infos = new Map<string, EnvInfo>();
  for (const name of [...new Set(stackEnv.values())].sort()) {
    const h = head.environments.find((e) => e.name === name);
    const b = base.environments.find((e) => e.name === name);
    if (h !== undefined) infos.set(name, { env: h, configFrom: "head" });
    else if (b !== undefined) infos.set(name, { env: b, configFrom: "base" });
  }
  const guarded = (env: string | undefined): boolean =>
    env !== undefined && infos.has(env) && environmentTier(env) !== "dev";

  const candidates: Candidate[] = [];
  for (const d of diff.stacks) {
    for (const r of d.deleted) {
      if (r.stateful && guarded(stackEnv.get(d.stack)))
        candidates.push({
          kind: "delete",
          stack: d.stack,
          ref: r,
          to: undefined,
          replacement: undefined,
        });
    }
    for (const x of d.replaced) {
      const stack = x.from.stack;
      const env = stackEnv.get(x.to.stack) ?? stackEnv.get(stack);
      if ((x.from.stateful || CONSEQUENCES[x.type] !== undefined) && guarded(env))
        candidates.push({
          kind: "replace",
          stack,
          ref: x.from,
          // Replaced in place (same URN): no other resource is created instead.
          to: x.cause === "rename" ? x.to : undefined,
          replacement: x,
        });
    }
  }
  const all: GuardFinding[] = fold(candidates).map(({ anchor: c, with: w }) => {
    const environment = stackEnv.get(c.to?.stack ?? c.stack) ?? stackEnv.get(c.stack) ?? "";
    const info = infos.get(environment) as EnvInfo;
    const causes =
      c.replacement !== undefined && c.replacement.forcedBy.length > 0
        ? explainingChanges(changes, c.replacement.values.before, c.replacement.values.after)
        : [];
    return {
      kind: c.kind,
      stack: c.stack,
      environment,
      type: c.ref.type,
      name: c.ref.name,
      urn: c.ref.urn,
      to: c.to === undefined ? undefined : { stack: c.to.stack, name: c.to.name, urn: c.to.urn },
      with: w,
      within: c.ref.within,
      why: resourceWhy(c, info.env, causes),
      causes,
      configFrom: info.configFrom,
      fix: {
        file: info.env.origin.file,
        resource: c.ref.name,
        yaml: allowYaml([c.ref.name]),
      },
    };
  });
  const planned = new Set(diff.stacks.map((d) => d.stack));
  for (const [name, info] of infos) {
    if (guarded(name)) all.push(...tableFindings(name, info, head, base, planned));
  }

  const findings: GuardFinding[] = [];
  const allowed: GuardAllowed[] = [];
  const used = new Set<object>();
  for (const f of all) {
    const entries = infos.get(f.environment)?.env.policies.allowDestroy ?? [];
    const hits = entries.filter((e) => matches(e.resource, f));
    for (const e of hits) used.add(e);
    const [first] = hits;
    if (first === undefined) findings.push(f);
    else allowed.push({ ...f, allowedBy: first.resource, reason: first.reason });
  }
  const unusedAllowances: UnusedAllowance[] = [];
  for (const [name, info] of infos) {
    for (const e of info.env.policies.allowDestroy) {
      if (used.has(e)) continue;
      unusedAllowances.push({
        environment: name,
        file: info.env.origin.file,
        resource: e.resource,
        reason: e.reason,
        note: guarded(name) ? undefined : `${name} is a dev environment: it is not guarded`,
      });
    }
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const order = (a: GuardFinding, b: GuardFinding): number =>
    cmp(a.stack, b.stack) || cmp(a.kind, b.kind) || cmp(a.name, b.name);
  return {
    findings: findings.sort(order),
    allowed: allowed.sort(order),
    unusedAllowances,
    environments: [...infos].map(([name, info]) => ({
      name,
      tier: environmentTier(name),
      guarded: guarded(name),
      configFrom: info.configFrom,
    })),
  };
}
