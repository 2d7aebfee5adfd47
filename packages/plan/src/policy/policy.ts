/**
 * The policy pack in the plan, main-process side: the context each stack is evaluated with (the
 * values `packages/policy/config/<env>.json` holds for `pulumi preview`), the cache key part it
 * adds, and the plan-wide report (findings of every stack, the relaxations in force and which of
 * them relaxed nothing). Loads only `@hdp/policy/estate-context`, never the rules: workers
 * evaluate (see `policy-eval.ts`), so a fully cached plan does not load the SDK.
 */
import { perEnvironment, type Estate, type Origin } from "@hdp/config";
import type { HdpPolicy, PolicyContext, PolicyRelaxation, PolicyResult } from "@hdp/policy";
import {
  contextFromEstate,
  isExpired,
  relaxationFor,
  relaxationNames,
  relaxedMessage,
} from "@hdp/policy/estate-context";
import { QUOTA_DEFAULTS, accountQuotasExceeded } from "@hdp/policy/quotas";
import { canonicalJson } from "../inventory/canonical-json";
import { policyCodeHash } from "../revisions/code-hash";
import { MOCK_ACCOUNT_ID } from "@hdp/recorder";
import { sha256 } from "../revisions/slices";

/** One violation (or relaxed violation) found in one stack, with the config entry behind it. */
export interface PolicyFinding extends PolicyResult {
  readonly stack: string;
  readonly environment: string;
  /** The rule's one-sentence description. */
  readonly description: string;
  /**
   * The config entry that made the resource (its top-level component's entry: a domain, source
   * or pipeline; else the environment's file); relative to the configs directory.
   */
  readonly origin: Origin | undefined;
}

/** A reviewed exception of an environment's `policies.relaxations`. */
export interface RelaxationInForce {
  readonly environment: string;
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
  readonly approvedBy: string;
  /** Its last day (`YYYY-MM-DD`). */
  readonly expires: string;
  /** Past its last day: it relaxes nothing and is a finding itself (`relaxation-expired`). */
  readonly expired: boolean;
  /** Where it is written (the environment's file, relative to the configs directory). */
  readonly file: string;
  /** Whether it relaxed a finding of the stacks planned. */
  readonly used: boolean;
}

/** The plan's own rule for relaxations past their `expires` date. */
export const EXPIRED_RULE = "relaxation-expired";

/** The policy part of a plan. */
export interface PolicyReport {
  /** Findings of every planned stack: by stack, then in the pack's rule order. */
  readonly findings: readonly PolicyFinding[];
  /** Mandatory findings (not relaxed): each fails the plan. */
  readonly blocking: number;
  /** Relaxations of the planned stacks' environments, in config order. */
  readonly relaxations: readonly RelaxationInForce[];
  /** Stacks evaluated (those that planned). */
  readonly stacks: readonly string[];
}

/** An environment's context, once per estate and environment (the mock account as its own). */
const environmentContext = perEnvironment((estate, environment): PolicyContext =>
  contextFromEstate(estate, environment, { extraAccountIds: [MOCK_ACCOUNT_ID] }),
);

/**
 * The context a stack of `estate` is evaluated with: the environment's (`contextFromEstate`), with
 * the stack's name, and the mock account as the environment's own (mocked ARNs carry it).
 */
export function stackPolicyContext(
  estate: Estate,
  environment: string,
  stack: string,
): PolicyContext {
  return { ...environmentContext(estate, environment), stack };
}

/** What a stack's cache key adds when it is evaluated: the pack's code and the context. */
export const policyKey = (context: PolicyContext): string =>
  sha256(`${policyCodeHash()}\0${canonicalJson(context)}`);

/**
 * The canonical JSON of an environment's context, once per estate and environment: it holds a
 * count per Unity Catalog schema (~11,000 entries in a 500,000-resource environment), and every
 * stack of the environment is keyed by it.
 */
const environmentContextJson = perEnvironment((estate, environment): string =>
  canonicalJson(environmentContext(estate, environment)),
);

/**
 * {@link policyKey} of a stack's context ({@link stackPolicyContext}) without serializing the
 * environment's part again for every stack: the pack's code, the environment's context and the
 * stack's name.
 */
export const stackPolicyKey = (estate: Estate, environment: string, stack: string): string =>
  sha256(
    `${policyCodeHash()}\0${environmentContextJson(estate, environment)}\0${JSON.stringify(stack)}`,
  );

/** Whether `rx` is the relaxation that relaxed finding `f` (the pack's own matching). */
const relaxedBy = (f: PolicyFinding, rx: PolicyRelaxation): boolean =>
  f.relaxed !== undefined &&
  relaxationFor([rx], f.rule, relaxationNames(f, f.stack, f.environment)) !== undefined;

/** The plan-wide report from each evaluated stack's findings. */
export function policyReport(
  estate: Estate,
  stacks: readonly {
    stack: string;
    environment: string;
    byType: Readonly<Record<string, number>>;
    findings: readonly PolicyFinding[];
  }[],
): PolicyReport {
  const findings = [
    ...stacks.flatMap((s) => s.findings),
    ...environmentQuotaFindings(estate, stacks),
  ];
  const envs = new Set(stacks.map((s) => s.environment));
  const relaxations = estate.environments
    .filter((e) => envs.has(e.name))
    .flatMap((e) =>
      e.policies.relaxations.map((rx) => ({
        environment: e.name,
        rule: rx.rule,
        resource: rx.resource,
        reason: rx.reason,
        approvedBy: rx.approvedBy,
        expires: rx.expires,
        expired: isExpired(rx),
        file: e.origin.file,
        used: findings.some((f) => f.environment === e.name && relaxedBy(f, rx)),
      })),
    );
  findings.push(...expiredFindings(estate, relaxations));
  return {
    findings,
    blocking: findings.filter((f) => f.level === "mandatory").length,
    relaxations,
    stacks: stacks.map((s) => s.stack),
  };
}

/**
 * A finding per expired relaxation, at the environment's enforcement level (mandatory in stage
 * and prod): an exception nobody renewed must be reviewed again or removed, and meanwhile the
 * rule it waived applies again.
 */
function expiredFindings(
  estate: Estate,
  relaxations: readonly RelaxationInForce[],
): PolicyFinding[] {
  return relaxations
    .filter((r) => r.expired)
    .map((r): PolicyFinding => {
      const env = estate.environments.find((e) => e.name === r.environment);
      return {
        rule: EXPIRED_RULE,
        level: env?.enforcement ?? "mandatory",
        severity: "high",
        urn: undefined,
        type: undefined,
        name: undefined,
        message: `the relaxation of ${r.rule} for ${r.resource} (approved by ${r.approvedBy}: ${r.reason.trim()}) expired on ${r.expires}: the rule applies again`,
        remediation: `Fix the finding it waived, or have the exception reviewed again and set a new \`expires\` (and \`approvedBy\`) under policies.relaxations in ${r.file}; remove it when it is no longer needed.`,
        stack: r.environment,
        environment: r.environment,
        description: "Relaxations of the policy pack expire; an expired one relaxes nothing",
        origin: env?.origin,
      };
    });
}

/** The rule that counts quotas (per stack in the workers; per environment here). */
const QUOTA_RULE = "stack-service-quotas";

/**
 * Account-wide quotas, which no single stack sees: for each environment all of whose stacks were
 * planned, the resources of every stack summed by type against the account's quotas (the
 * counting of `stack-service-quotas`). A quota one stack already passes on its own (the worker
 * reported it) is not repeated. Relaxed by an entry naming the environment.
 */
export function environmentQuotaFindings(
  estate: Estate,
  stacks: readonly {
    stack: string;
    environment: string;
    byType: Readonly<Record<string, number>>;
  }[],
): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  for (const env of estate.environments) {
    const planned = stacks.filter((s) => s.environment === env.name);
    if (planned.length < 2 || env.stacks.some((s) => !planned.some((p) => p.stack === s.name))) {
      continue;
    }
    const counts: Record<string, number> = {};
    for (const s of planned) {
      for (const [type, n] of Object.entries(s.byType)) counts[type] = (counts[type] ?? 0) + n;
    }
    const context = environmentContext(estate, env.name);
    const limits = { ...QUOTA_DEFAULTS, ...context.limits };
    const passedByOne = new Set(
      planned.flatMap((s) => accountQuotasExceeded(s.byType, limits).map((x) => x.key)),
    );
    const exceeded = accountQuotasExceeded(counts, limits).filter((x) => !passedByOne.has(x.key));
    if (exceeded.length === 0) continue;
    // Loaded only now: the rules (and the SDK behind them) are not needed on the common path.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    const { policyNamed } = require("@hdp/policy") as { policyNamed: (n: string) => HdpPolicy };
    const rule = policyNamed(QUOTA_RULE);
    const relaxation = relaxationFor(
      env.policies.relaxations,
      QUOTA_RULE,
      relaxationNames({}, env.name, env.name),
    );
    for (const { message } of exceeded) {
      const what = `${message}, counting all ${planned.length} stacks of ${env.name}`;
      out.push({
        rule: QUOTA_RULE,
        level: relaxation !== undefined ? "advisory" : context.enforcement,
        severity: rule.severity,
        urn: undefined,
        type: undefined,
        name: undefined,
        message: relaxation !== undefined ? relaxedMessage(relaxation.reason, what) : what,
        remediation: rule.doc.remediation,
        ...(relaxation !== undefined ? { relaxed: relaxation.reason } : {}),
        stack: env.name,
        environment: env.name,
        description: rule.description ?? "",
        origin: env.origin,
      });
    }
  }
  return out;
}
