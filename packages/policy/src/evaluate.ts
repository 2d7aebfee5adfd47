/**
 * The offline evaluator behind `hdp plan`: the pack's own ResourceValidationPolicy and
 * StackValidationPolicy functions, called with hand-built arguments over recorded resources
 * (the shape `pulumi preview` gives them), collecting what they report. It never constructs a
 * `PolicyPack` (that starts a gRPC server).
 */
import type {
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  Severity,
  StackValidationArgs,
} from "@pulumi/policy";
import { configFor, type Enforcement, type PolicyContext, type PolicyRelaxation } from "./context";
import { enforcementOf, useAsSnapshot, type HdpPolicy, type RelaxedViolation } from "./define";
import { relaxationFor, relaxationNames, relaxedMessage } from "./relaxation";
import { policies as allPolicies } from "./policies";
import { UNKNOWN_MARK } from "@hdp/recorder";
import { byString, ENGINE_UNKNOWN, isOwnSnapshot, type Props } from "./values";

/** A recorded resource (what @hdp/plan and @hdp/testing record, or a plan's inventory entry). */
export interface EvaluatedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string | null;
  /** Resources read rather than managed (`StackReference`): no resource policy runs on them. */
  readonly read?: boolean;
  /** Inputs; secrets masked, unknown values as `unknownValue`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly protect?: boolean;
  readonly ignoreChanges?: readonly string[];
  readonly deleteBeforeReplace?: boolean;
  /** URNs it depends on (explicitly and through inputs), when recorded. */
  readonly dependencies?: readonly string[];
  /** URNs of its explicit `dependsOn`, when that is all that was kept. */
  readonly dependsOn?: readonly string[];
  /** Its explicit provider: the provider's URN or reference (`<URN>::<id>`). */
  readonly provider?: string | null;
}

/** One violation (or relaxed violation) of one rule. */
export interface PolicyResult {
  readonly rule: string;
  /** `advisory` when the environment is advisory or the finding is relaxed. */
  readonly level: Enforcement;
  readonly severity: Severity | undefined;
  /** The resource; undefined for a finding about the stack as a whole. */
  readonly urn: string | undefined;
  readonly type: string | undefined;
  readonly name: string | undefined;
  /** What is wrong (relaxed: `relaxed: <reason> — <what is wrong>`). */
  readonly message: string;
  readonly remediation: string;
  /** The reason of the relaxation that applied, if one did. */
  readonly relaxed?: string;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Only these rules. @default every rule */
  readonly rules?: readonly string[];
  /**
   * How the recording marks values unknown before the update (@hdp/recorder's `UNKNOWN_MARK`).
   * @default "[unknown]"
   */
  readonly unknownValue?: string;
  /** The policies to run. @default the pack's */
  readonly policies?: readonly HdpPolicy[];
}

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/**
 * `v` with `mark` replaced by the engine's unknown string. Copy on write: a value holding no mark
 * (under mocks, nearly every resource's inputs) comes back as is rather than deep-copied, since
 * the rules read props only through their own snapshot (`define.ts`).
 */
function withEngineUnknowns(v: unknown, mark: string): unknown {
  if (v === mark) return ENGINE_UNKNOWN;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = withEngineUnknowns(x, mark);
      if (y !== x && out === undefined) out = v.slice(0, i);
      if (out !== undefined) out.push(y);
    }
    return out ?? v;
  }
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v);
    let changed = false;
    for (const e of entries) {
      const y = withEngineUnknowns(e[1], mark);
      if (y !== e[1]) {
        e[1] = y;
        changed = true;
      }
    }
    return changed ? Object.fromEntries(entries) : v;
  }
  return v;
}

/**
 * A resource's props as the engine hands them to policies: unknown values as the engine's
 * sentinel; policies snapshot props (see values.ts). Inputs that are already their own snapshot
 * (plain JSON, nothing unknown: nearly every mocked resource's) are used as they are, for both.
 */
function engineProps(inputs: Readonly<Record<string, unknown>>, mark: string): object {
  if (isOwnSnapshot(inputs, mark)) {
    useAsSnapshot(inputs as Props);
    return inputs;
  }
  return withEngineUnknowns(inputs, mark) as object;
}

const isTypeOf = (type: string) => (cls: unknown) =>
  (cls as { __pulumiType?: string } | undefined)?.__pulumiType === type;

function optionsOf(r: EvaluatedResource): PolicyResourceOptions {
  return {
    protect: r.protect ?? false,
    ignoreChanges: [...(r.ignoreChanges ?? [])],
    ...(r.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.deleteBeforeReplace } : {}),
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

function assertSync(result: unknown, rule: string): void {
  if (result !== null && typeof result === "object" && "then" in result) {
    throw new Error(
      `policy ${rule} returned a promise; the offline evaluator runs synchronous policies only`,
    );
  }
}

/**
 * Runs the pack over `resources` (one stack) as `pulumi preview` would with the config
 * {@link policyPackConfig} writes for `context`, and returns every violation, sorted by rule
 * (rule-table order), URN and message.
 */
export function evaluate(
  resources: readonly EvaluatedResource[],
  context: PolicyContext,
  options: EvaluateOptions = {},
): PolicyResult[] {
  const selected = (options.policies ?? allPolicies).filter(
    (p) => options.rules === undefined || options.rules.includes(p.name),
  );
  const mark = options.unknownValue ?? UNKNOWN_MARK;
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const props = new Map(resources.map((r) => [r.urn, engineProps(r.inputs, mark)]));
  const providerOf = (ref: string | null | undefined): PolicyProviderResource | undefined => {
    if (!ref) return undefined;
    const p = byUrn.get(ref) ?? byUrn.get(ref.slice(0, ref.lastIndexOf("::")));
    return p && { type: p.type, name: p.name, urn: p.urn, props: props.get(p.urn) as object };
  };

  /** What every rule's arguments for one resource share, built on first use. */
  interface PerResource {
    readonly props: Record<string, unknown>;
    readonly opts: PolicyResourceOptions;
    readonly provider: PolicyProviderResource | undefined;
    readonly isType: ResourceValidationArgs["isType"];
    readonly asType: ResourceValidationArgs["asType"];
  }
  const perResourceArgs = new Map<EvaluatedResource, PerResource>();
  const perResource = (r: EvaluatedResource): PerResource => {
    let a = perResourceArgs.get(r);
    if (a === undefined) {
      const p = props.get(r.urn) as Record<string, unknown>;
      const isType = isTypeOf(r.type);
      a = {
        props: p,
        opts: optionsOf(r),
        provider: providerOf(r.provider),
        isType,
        asType: ((cls: unknown) =>
          isType(cls) ? p : undefined) as ResourceValidationArgs["asType"],
      };
      perResourceArgs.set(r, a);
    }
    return a;
  };

  // The positions of each type's resources, in recording order: a rule visits only those of its
  // types (in recording order, as a walk over every resource would).
  const byType = new Map<string, number[]>();
  resources.forEach((r, i) => {
    const list = byType.get(r.type);
    if (list === undefined) byType.set(r.type, [i]);
    else list.push(i);
  });
  const ofTypes = (types: readonly string[]): readonly EvaluatedResource[] => {
    if (types.includes("*")) return resources;
    const positions = [...new Set(types)].flatMap((t) => byType.get(t) ?? []);
    if (types.length > 1) positions.sort((a, b) => a - b);
    return positions.map((i) => resources[i]);
  };

  const results: { order: number; result: PolicyResult }[] = [];
  selected.forEach((policy, order) => {
    const collect = (target: EvaluatedResource | undefined) => (v: unknown, urn?: string) => {
      const relaxed = typeof v === "object" && v !== null ? (v as RelaxedViolation) : undefined;
      const at = target ?? (urn !== undefined ? byUrn.get(urn) : undefined);
      results.push({
        order,
        result: {
          rule: policy.name,
          level:
            relaxed !== undefined ? "advisory" : enforcementOf(policy.doc, context.enforcement),
          severity: policy.severity,
          urn: at?.urn ?? relaxed?.urn ?? urn,
          type: at?.type,
          name: at?.name,
          message:
            relaxed !== undefined
              ? relaxedMessage(relaxed.hdpRelaxation, relaxed.hdpMessage)
              : String(v),
          remediation: policy.doc.remediation,
          ...(relaxed !== undefined ? { relaxed: relaxed.hdpRelaxation } : {}),
        },
      });
    };
    // One config object per rule and evaluation (the engine, too, hands a policy its one config):
    // copying the context (its per-schema counts run to thousands of entries) for every resource
    // cost more than most rules.
    let config: object | undefined;
    const getConfig = <T extends object>() =>
      (config ??= configFor(policy.name, policy.doc.uses ?? [], context)) as T;

    if ("validateResource" in policy && policy.validateResource !== undefined) {
      const validations = [policy.validateResource].flat();
      for (const r of ofTypes(policy.doc.resourceTypes)) {
        if (r.read === true) continue;
        const shared = perResource(r);
        // A fresh bag per rule (as the engine hands each policy its own); what is in it is
        // built once per resource and evaluation.
        const args: ResourceValidationArgs = {
          type: r.type,
          props: shared.props,
          urn: r.urn,
          name: r.name,
          opts: shared.opts,
          ...(shared.provider !== undefined ? { provider: shared.provider } : {}),
          stackTags: new Map(),
          isType: shared.isType,
          asType: shared.asType,
          getConfig,
          notApplicable,
        };
        const report = collect(r);
        for (const validate of validations) {
          try {
            assertSync(validate(args, report), policy.name);
          } catch (e) {
            if (!(e instanceof NotApplicable)) throw e;
          }
        }
      }
    }
    if ("validateStack" in policy) {
      const args: StackValidationArgs = {
        resources: stackView(resources, props),
        stackTags: new Map(),
        getConfig,
        notApplicable,
      };
      try {
        assertSync(policy.validateStack(args, collect(undefined)), policy.name);
      } catch (e) {
        if (!(e instanceof NotApplicable)) throw e;
      }
    }
  });
  return results
    .sort(
      (a, b) =>
        a.order - b.order ||
        byString(a.result.urn ?? "", b.result.urn ?? "") ||
        byString(a.result.message, b.result.message),
    )
    .map((x) => x.result);
}

const stackViews = new WeakMap<ReadonlyMap<string, object>, PolicyResource[]>();

/** The resources as a StackValidationPolicy gets them (one array shared by every stack policy). */
function stackView(
  resources: readonly EvaluatedResource[],
  props: ReadonlyMap<string, object>,
): PolicyResource[] {
  const cached = stackViews.get(props);
  if (cached !== undefined) return cached;
  const views = resources.map((r) => {
    const p = props.get(r.urn) as Record<string, unknown>;
    return {
      type: r.type,
      props: p,
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      dependencies: [] as PolicyResource[],
      propertyDependencies: {},
      isType: isTypeOf(r.type),
      asType: ((cls: unknown) =>
        isTypeOf(r.type)(cls) ? p : undefined) as PolicyResource["asType"],
    } as PolicyResource;
  });
  const byUrn = new Map(views.map((v) => [v.urn, v]));
  resources.forEach((r, i) => {
    const v = views[i];
    if (r.parent) {
      const parent = byUrn.get(r.parent);
      if (parent !== undefined) v.parent = parent;
    }
    const deps = [...new Set([...(r.dependencies ?? []), ...(r.dependsOn ?? [])])];
    v.dependencies = deps.map((u) => byUrn.get(u)).filter((x) => x !== undefined);
  });
  stackViews.set(props, views);
  return views;
}

/** The results that fail a plan: mandatory and not relaxed. */
export function blockingResults(results: readonly PolicyResult[]): PolicyResult[] {
  return results.filter((r) => r.level === "mandatory");
}

/** Counts of results by level, and how many were relaxed. */
export function summarizeResults(results: readonly PolicyResult[]): {
  mandatory: number;
  advisory: number;
  relaxed: number;
} {
  return {
    mandatory: results.filter((r) => r.level === "mandatory").length,
    advisory: results.filter((r) => r.level === "advisory").length,
    relaxed: results.filter((r) => r.relaxed !== undefined).length,
  };
}

/** Relaxations of `context` that relaxed nothing in `results` (stale exceptions to review). */
export function unusedRelaxations(
  results: readonly PolicyResult[],
  context: PolicyContext,
): PolicyRelaxation[] {
  return (context.relaxations ?? []).filter(
    (rx) =>
      !results.some(
        (r) =>
          r.relaxed !== undefined &&
          relaxationFor([rx], r.rule, relaxationNames(r, context.stack, context.environment)) !==
            undefined,
      ),
  );
}
