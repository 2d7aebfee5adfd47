/**
 * How a rule becomes a CrossGuard policy. A rule is a pure check over plain properties
 * ({@link ResourceCheck} or {@link StackCheck}); {@link resourcePolicy} and {@link stackPolicy}
 * wrap it into an @pulumi/policy `ResourceValidationPolicy` / `StackValidationPolicy` that reads
 * the environment through `getConfig()`, applies reviewed relaxations and reports violations.
 * `pulumi preview --policy-pack` and the offline evaluator call these same objects.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { configSchemaFor, resolveContext, type ConfigKey, type RuleContext } from "./context";
import { relaxationFor, relaxationNames, relaxedMessage } from "./relaxation";
import { snapshotProps, type Props } from "./values";

/** What a rule is, for the pack, the README's rule table and reviewers. */
export interface RuleDoc {
  /** Kebab-case, unique: what config, relaxations and results call the rule. */
  readonly name: string;
  /** One sentence: what must hold. */
  readonly description: string;
  /** What to change when it does not. */
  readonly remediation: string;
  /** Resource type tokens the rule looks at; `*` for every resource. */
  readonly resourceTypes: readonly string[];
  /** HIPAA Security Rule safeguards (45 CFR) the rule implements, e.g. `§164.312(b)`. */
  readonly hipaa: readonly string[];
  /** AWS Config managed rules it corresponds to (HIPAA conformance pack where marked). */
  readonly awsConfig: readonly string[];
  readonly severity: Severity;
  /**
   * Rules of the other anchors it corresponds to: cdk-nag's HIPAA Security pack
   * (`HIPAA.Security-…`), Pulumi's AWSGuard pack, and the Databricks Security Reference
   * Architecture and security best practices (`sra-…`, see `ANCHOR_RULES`). @default none
   */
  readonly anchors?: {
    readonly cdkNag?: readonly string[];
    readonly awsguard?: readonly string[];
    readonly sra?: readonly string[];
  };
  /** Anchor rule ids (of any anchor) this rule covers only in part, with what is missing. @default {} */
  readonly partial?: Readonly<Record<string, string>>;
  /**
   * The rule requires something to exist in a stack (a trail, log groups, a backup): it is
   * evaluated on whole stacks; per-rule cases of partial stacks leave it out. @default false
   */
  readonly presence?: boolean;
  /** Config keys read besides environment, stack and relaxations. @default [] */
  readonly uses?: readonly ConfigKey[];
  /**
   * Mandatory in every environment, whatever its `enforcement`: for boundaries that are never
   * advisory (PHI where it may not be). A reviewed relaxation still lowers one finding.
   * @default false
   */
  readonly alwaysMandatory?: boolean;
}

/** The enforcement level of `doc`'s violations in an environment enforcing `enforcement`. */
export function enforcementOf(
  doc: RuleDoc,
  enforcement: "advisory" | "mandatory",
): "advisory" | "mandatory" {
  return doc.alwaysMandatory === true ? "mandatory" : enforcement;
}

/** One resource as a resource rule sees it. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Inputs (engine: inputs with secrets unwrapped); unknown values are `UNKNOWN`. */
  readonly props: Props;
  /** The explicit provider's type and inputs, when known (e.g. AWS `defaultTags`). */
  readonly provider?: { readonly type: string; readonly props: Props };
}

/** A resource rule: the violation messages for one resource (empty when it complies). */
export type ResourceCheck = (resource: ResourceView, ctx: RuleContext) => readonly string[];

/** One resource of the stack, linked to its parent and dependencies. */
export interface StackResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Engine: outputs (inputs and, after an update, computed values); offline: inputs. */
  readonly props: Props;
  readonly parent: StackResource | undefined;
  readonly dependencies: readonly StackResource[];
  /** Per input, the resources it was computed from (engine only; empty offline). */
  readonly propertyDependencies: Readonly<Record<string, readonly StackResource[]>>;
}

/** A violation found by a stack rule; without `resource` it concerns the stack as a whole. */
export interface StackFinding {
  readonly resource?: { readonly urn: string; readonly name: string };
  readonly message: string;
}

/** A stack rule: every violation in the stack. */
export type StackCheck = (
  resources: readonly StackResource[],
  ctx: RuleContext,
) => readonly StackFinding[];

/** A CrossGuard policy of this pack, with its {@link RuleDoc}. */
export type HdpResourcePolicy = ResourceValidationPolicy & { readonly doc: RuleDoc };
export type HdpStackPolicy = StackValidationPolicy & { readonly doc: RuleDoc };
export type HdpPolicy = HdpResourcePolicy | HdpStackPolicy;

/**
 * The object form of a violation, used for relaxed findings so that they are reported at
 * `advisory` whatever the policy's enforcement. @pulumi/policy 1.21 accepts it at run time
 * (`makeReportViolationFun`), although its type only declares the string form; `hdp*` fields
 * carry the parts for the offline evaluator (the engine ignores them).
 */
export interface RelaxedViolation {
  readonly message: string;
  readonly urn?: string;
  readonly enforcementLevel: "advisory";
  readonly hdpRelaxation: string;
  readonly hdpMessage: string;
}

function report(
  doc: RuleDoc,
  ctx: RuleContext,
  reportViolation: ReportViolation,
  message: string,
  target: { readonly urn?: string; readonly name?: string },
): void {
  const names = relaxationNames(target, ctx.stack, ctx.environment);
  const relaxation = relaxationFor(ctx.relaxations, doc.name, names);
  if (relaxation === undefined) {
    reportViolation(message, target.urn);
    return;
  }
  const relaxed: RelaxedViolation = {
    message: `${doc.description}\n${relaxedMessage(relaxation.reason, message)}`,
    ...(target.urn !== undefined ? { urn: target.urn } : {}),
    enforcementLevel: "advisory",
    hdpRelaxation: relaxation.reason,
    hdpMessage: message,
  };
  // The object form is accepted by @pulumi/policy at run time (see RelaxedViolation).
  (reportViolation as unknown as (v: RelaxedViolation) => void)(relaxed);
}

function policyMeta(doc: RuleDoc) {
  return {
    name: doc.name,
    description: doc.description,
    remediationSteps: doc.remediation,
    severity: doc.severity,
    tags: [...doc.hipaa.map((h) => `hipaa ${h}`), ...doc.awsConfig.map((c) => `aws-config ${c}`)],
    configSchema: configSchemaFor(doc.uses ?? []),
    doc,
  };
}

// Snapshots are cached by the object they were taken from: the offline evaluator passes the same
// props object to every policy of a resource, and the same array to every stack policy.
const propsCache = new WeakMap<object, Props>();
const stackCache = new WeakMap<readonly PolicyResource[], StackResource[]>();

/**
 * The resolved context of a config object: the offline evaluator hands every resource of a rule
 * the same config object (`getConfig` is memoized per rule and evaluation), so it is resolved once.
 */
const contextCache = new WeakMap<object, RuleContext>();

function contextOf(config: unknown): RuleContext {
  if (config === null || typeof config !== "object") return resolveContext(config);
  let ctx = contextCache.get(config);
  if (ctx === undefined) {
    ctx = resolveContext(config);
    contextCache.set(config, ctx);
  }
  return ctx;
}

function propsOf(props: object): Props {
  let s = propsCache.get(props);
  if (s === undefined) {
    s = snapshotProps(props);
    propsCache.set(props, s);
  }
  return s;
}

/**
 * Registers `props` as its own snapshot (`isOwnSnapshot` of values.ts holds for it): the
 * offline evaluator's recorded inputs, read by the rules without a copy.
 */
export function useAsSnapshot(props: Props): void {
  propsCache.set(props, props);
}

/** Plain, linked views of the engine's stack resources. */
export function stackResources(resources: readonly PolicyResource[]): StackResource[] {
  const cached = stackCache.get(resources);
  if (cached !== undefined) return cached;
  const views = new Map<PolicyResource, StackResource>();
  const out = resources.map((r) => {
    const v = {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: propsOf(r.props),
      parent: undefined as StackResource | undefined,
      dependencies: [] as StackResource[],
      propertyDependencies: {} as Record<string, StackResource[]>,
    };
    views.set(r, v);
    return v;
  });
  resources.forEach((r, i) => {
    const v = out[i];
    const link = (x: PolicyResource | undefined) => (x === undefined ? undefined : views.get(x));
    v.parent = link(r.parent);
    v.dependencies = (r.dependencies ?? []).map(link).filter((x) => x !== undefined);
    for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) {
      v.propertyDependencies[k] = deps.map(link).filter((x) => x !== undefined);
    }
  });
  stackCache.set(resources, out);
  return out;
}

/** A resource policy checking the resources of `doc.resourceTypes` with `check`. */
export function resourcePolicy(doc: RuleDoc, check: ResourceCheck): HdpResourcePolicy {
  const all = doc.resourceTypes.includes("*");
  return {
    ...policyMeta(doc),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!all && !doc.resourceTypes.includes(args.type)) {
        args.notApplicable(`${doc.name} checks ${doc.resourceTypes.join(", ")}`);
      }
      const ctx = contextOf(args.getConfig());
      const view: ResourceView = {
        type: args.type,
        name: args.name,
        urn: args.urn,
        props: propsOf(args.props),
        ...(args.provider !== undefined
          ? { provider: { type: args.provider.type, props: propsOf(args.provider.props) } }
          : {}),
      };
      for (const message of check(view, ctx)) {
        report(doc, ctx, reportViolation, message, { urn: args.urn, name: args.name });
      }
    },
  };
}

/** A stack policy: `check` sees every resource of the stack at once. */
export function stackPolicy(doc: RuleDoc, check: StackCheck): HdpStackPolicy {
  return {
    ...policyMeta(doc),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const ctx = contextOf(args.getConfig());
      for (const f of check(stackResources(args.resources), ctx)) {
        report(doc, ctx, reportViolation, f.message, f.resource ?? {});
      }
    },
  };
}
