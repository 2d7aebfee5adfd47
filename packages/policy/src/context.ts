/**
 * What the rules know beyond the resources: the environment and its settings. In `pulumi
 * preview` every policy reads them through the policy-pack config mechanism (`getConfig()`, each
 * policy declaring them in its `configSchema`); `hdp plan` passes the very same values (see
 * `policyPackConfig`, which writes the config file for the CLI from a {@link PolicyContext}).
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { schemas } from "@hdp/config";
import { HOUSE_TAG_KEYS } from "@hdp/spark";
import { environmentTier, type Tier } from "./tier";
import {
  QUOTA_DEFAULTS,
  QUOTA_KEYS,
  USAGE_KEYS,
  type QuotaLimits,
  type QuotaUsage,
} from "./quotas";

/** A reviewed exception from the environment config (`policies.relaxations`). */
export type PolicyRelaxation = schemas.PolicyRelaxation;

export { environmentTier, type Tier };

/** How violations count: `advisory` is reported, `mandatory` fails the preview or plan. */
export type Enforcement = "advisory" | "mandatory";

/** What patient data an environment may hold (`phi` in its config). */
export type PhiMode = "real" | "synthetic" | "none";

/**
 * Databricks LTS runtimes (major.minor) under support as of 2025. Databricks publishes the list;
 * override `ltsRuntimes` when it moves.
 */
export const DEFAULT_LTS_RUNTIMES: readonly string[] = ["13.3", "14.3", "15.4", "16.4", "17.3"];

/** Upper bound of workers when the environment names none (the house cluster-policy ceiling). */
export const DEFAULT_MAX_WORKERS = 1000;

/** Everything a policy evaluation knows about where the resources go. */
export interface PolicyContext {
  /** Environment name, e.g. `dev`, `stage`, `prod` (its tier: {@link environmentTier}). */
  readonly environment: string;
  /** The environment's `enforcement`: the level of every violation that is not relaxed. */
  readonly enforcement: Enforcement;
  /** The environment's `phi`. @default "real" (the strictest reading) */
  readonly phi?: PhiMode;
  /** The stack's name; stack-wide findings are attributed to it (and relaxed by it). */
  readonly stack?: string;
  /**
   * Reviewed exceptions: `{ rule, resource, reason, approvedBy, expires }`, `resource` a logical
   * name or URN; expired ones relax nothing. @default []
   */
  readonly relaxations?: readonly PolicyRelaxation[];
  /**
   * The environment's own AWS accounts: trust from these is not cross-account. Under mocks,
   * resource outputs carry the mock account: add it too. @default []
   */
  readonly accountIds?: readonly string[];
  /** Accounts of the environments holding real PHI (nothing outside them may reach into them). @default [] */
  readonly realPhiAccountIds?: readonly string[];
  /** Tags every taggable resource needs. @default owner, domain, data-classification, environment, cost-center */
  readonly requiredTags?: readonly string[];
  /** The environment's `compute.maxWorkers`: the most workers any cluster may scale to. @default 1000 */
  readonly maxWorkers?: number;
  /** LTS Databricks runtimes as `major.minor`. @default {@link DEFAULT_LTS_RUNTIMES} */
  readonly ltsRuntimes?: readonly string[];
  /** DAGs the environment's MWAA will hold (its enabled pipelines). @default counted from DAG objects only */
  readonly dagCount?: number;
  /** Quotas and size limits. @default {@link QUOTA_DEFAULTS} */
  readonly limits?: Partial<QuotaLimits>;
  /** Quota usage outside the evaluated resources. @default none */
  readonly usage?: Partial<QuotaUsage>;
  /** Tables each Unity Catalog schema will hold, by schema name (`<source>_<layer>`). @default {} */
  readonly tablesPerSchema?: Readonly<Record<string, number>>;
}

/** A {@link PolicyContext} with every default applied, as the rules read it. */
export interface RuleContext {
  readonly environment: string;
  readonly tier: Tier;
  readonly phi: PhiMode;
  readonly stack: string | undefined;
  readonly relaxations: readonly PolicyRelaxation[];
  readonly accountIds: readonly string[];
  readonly realPhiAccountIds: readonly string[];
  readonly requiredTags: readonly string[];
  readonly maxWorkers: number;
  readonly ltsRuntimes: readonly string[];
  readonly dagCount: number | undefined;
  readonly limits: QuotaLimits;
  readonly usage: QuotaUsage;
  readonly tablesPerSchema: Readonly<Record<string, number>>;
}

/** The config keys a policy may read, besides `environment`, `stack` and `relaxations` (all read them). */
export type ConfigKey = Exclude<keyof PolicyContext, "enforcement">;

/** Keys every policy's config carries. */
export const BASE_CONFIG_KEYS: readonly ConfigKey[] = ["environment", "stack", "relaxations"];

const accounts: PolicyConfigJSONSchema = {
  type: "array",
  items: { type: "string", pattern: "^\\d{12}$" },
  default: [],
};
const counts = (keys: readonly string[]): PolicyConfigJSONSchema => ({
  type: "object",
  properties: Object.fromEntries(keys.map((k) => [k, { type: "integer", minimum: 0 }])),
  additionalProperties: false,
  default: {},
});

/** The JSON Schema of each config key, with the same defaults {@link resolveContext} applies. */
export const CONFIG_SCHEMA: Readonly<Record<ConfigKey, PolicyConfigJSONSchema>> = {
  environment: {
    type: "string",
    minLength: 1,
    default: "prod",
    description: "Environment name; dev… is development, prod… production, others pre-production",
  },
  stack: { type: "string", description: "Stack name; stack-wide findings are attributed to it" },
  phi: { enum: ["real", "synthetic", "none"], default: "real" },
  relaxations: {
    type: "array",
    items: {
      type: "object",
      properties: {
        rule: { type: "string", pattern: "^[a-z0-9]+(-[a-z0-9]+)*$" },
        resource: { type: "string", minLength: 1 },
        reason: { type: "string", minLength: 10, pattern: "\\S" },
        approvedBy: { type: "string", minLength: 3 },
        expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
      },
      required: ["rule", "resource", "reason", "approvedBy", "expires"],
      additionalProperties: false,
    },
    default: [],
  },
  accountIds: accounts,
  realPhiAccountIds: accounts,
  requiredTags: { type: "array", items: { type: "string" }, default: [...HOUSE_TAG_KEYS] },
  maxWorkers: { type: "integer", minimum: 1, default: DEFAULT_MAX_WORKERS },
  ltsRuntimes: {
    type: "array",
    items: { type: "string", pattern: "^\\d+\\.\\d+$" },
    default: [...DEFAULT_LTS_RUNTIMES],
  },
  dagCount: { type: "integer", minimum: 0 },
  limits: counts(QUOTA_KEYS),
  usage: counts(USAGE_KEYS),
  tablesPerSchema: {
    type: "object",
    additionalProperties: { type: "integer", minimum: 0 },
    default: {},
  },
};

const strs = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === "string") ? v : undefined;
const int = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
function ints<K extends string>(v: unknown, keys: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  if (v === null || typeof v !== "object") return out;
  for (const k of keys) {
    const n = int((v as Record<string, unknown>)[k]);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

function relaxationsOf(v: unknown): PolicyRelaxation[] {
  if (!Array.isArray(v)) return [];
  return v.filter(
    (r): r is PolicyRelaxation =>
      r !== null &&
      typeof r === "object" &&
      typeof (r as PolicyRelaxation).rule === "string" &&
      typeof (r as PolicyRelaxation).resource === "string" &&
      typeof (r as PolicyRelaxation).reason === "string" &&
      (r as PolicyRelaxation).reason.trim().length >= 10 &&
      typeof (r as PolicyRelaxation).approvedBy === "string" &&
      typeof (r as PolicyRelaxation).expires === "string",
  );
}

/**
 * The context a rule works with, from a policy's config (what `getConfig()` returns, or a
 * {@link PolicyContext}): every missing or malformed value takes its default.
 */
export function resolveContext(raw: unknown): RuleContext {
  const c = (raw !== null && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const environment =
    typeof c.environment === "string" && c.environment !== "" ? c.environment : "prod";
  const phi = c.phi === "synthetic" || c.phi === "none" ? c.phi : "real";
  const tables: Record<string, number> = {};
  if (c.tablesPerSchema !== null && typeof c.tablesPerSchema === "object") {
    for (const [k, v] of Object.entries(c.tablesPerSchema)) {
      const n = int(v);
      if (n !== undefined) tables[k] = n;
    }
  }
  return {
    environment,
    tier: environmentTier(environment),
    phi,
    stack: typeof c.stack === "string" ? c.stack : undefined,
    relaxations: relaxationsOf(c.relaxations),
    accountIds: strs(c.accountIds) ?? [],
    realPhiAccountIds: strs(c.realPhiAccountIds) ?? [],
    requiredTags: strs(c.requiredTags) ?? [...HOUSE_TAG_KEYS],
    maxWorkers:
      typeof c.maxWorkers === "number" && c.maxWorkers >= 1 ? c.maxWorkers : DEFAULT_MAX_WORKERS,
    ltsRuntimes: strs(c.ltsRuntimes) ?? [...DEFAULT_LTS_RUNTIMES],
    dagCount: int(c.dagCount),
    limits: { ...QUOTA_DEFAULTS, ...ints(c.limits, QUOTA_KEYS) },
    usage: {
      s3BucketsPerAccount: 0,
      iamRolesPerAccount: 0,
      iamManagedPoliciesPerAccount: 0,
      databricksJobsPerWorkspace: 0,
      ...ints(c.usage, USAGE_KEYS),
    },
    tablesPerSchema: tables,
  };
}

/**
 * The config one policy gets from a context: the keys it reads (`keys`, plus environment,
 * stack and the relaxations naming it), without `undefined` members, as JSON.
 */
export function configFor(
  rule: string,
  keys: readonly ConfigKey[],
  context: PolicyContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...BASE_CONFIG_KEYS, ...keys]) {
    if (key === "relaxations") {
      out.relaxations = (context.relaxations ?? [])
        .filter((r) => r.rule === rule)
        .map((r) => ({
          rule: r.rule,
          resource: r.resource,
          reason: r.reason,
          approvedBy: r.approvedBy,
          expires: r.expires,
        }));
      continue;
    }
    const value = context[key];
    if (value !== undefined) out[key] = JSON.parse(JSON.stringify(value)) as unknown;
  }
  return out;
}

/** The `configSchema` of a policy reading `keys` (besides the base keys). */
export function configSchemaFor(keys: readonly ConfigKey[]): {
  properties: Record<string, PolicyConfigJSONSchema>;
} {
  const all = [...new Set([...BASE_CONFIG_KEYS, ...keys])];
  return { properties: Object.fromEntries(all.map((k) => [k, CONFIG_SCHEMA[k]])) };
}
