import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { iamPolicyName, iamRoleName } from "./names";
import {
  renderPolicyDocumentPart,
  splitPolicyDocuments,
  type PolicyDocumentPart,
} from "./policy-document";
import type { PolicyStatement, TrustStatement } from "./policy-types";
import { renderTrustPolicy } from "./trust-policy";
import { passRoleProblems } from "./insecure";
import { fail } from "./validate";

/** Arguments of {@link ScopedRole} (and the base of the other roles' arguments). */
export interface ScopedRoleArgs {
  /**
   * The IAM role name; shortened to 64 characters with a stable hash if longer.
   * @default the component's name
   */
  readonly roleName?: string;
  /** @default "Managed by @hdp/iam" */
  readonly description?: string;
  /** Who may assume the role: the inline trust policy. */
  readonly trustStatements: readonly TrustStatement[];
  /** What the role may do: split into managed policies (see `splitPolicyDocuments`). */
  readonly statements: readonly PolicyStatement[];
  /**
   * Managed policies that may be attached (AWS quota default 10, at most 20). Fails at
   * construction when the statements need more.
   * @default 10
   */
  readonly maxManagedPolicies?: number;
  /** The account's role-trust-policy length quota. @default 2048 */
  readonly maxTrustPolicyLength?: number;
  /** Session length in seconds, 3600 to 43200. @default 3600 */
  readonly maxSessionDurationSeconds?: number;
  /** ARN of a permissions boundary policy. @default none */
  readonly permissionsBoundaryArn?: pulumi.Input<string>;
  /** Tags for the role and its policies (the house requires owner, domain, …). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Policy-pack rules whose finding this role knowingly accepts (`iam-no-passrole-wildcard` for
   * `iam:PassRole` on every role); without them such statements are refused at construction,
   * and the pack still reports them. @default []
   */
  readonly acceptInsecure?: readonly string[];
}

/** What {@link createScopedRole} creates. */
export interface ScopedRoleResources {
  readonly role: iam.Role;
  /** The role ARN, resolved only once every managed policy is attached. */
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;
  readonly policies: readonly iam.Policy[];
  readonly policyAttachments: readonly iam.RolePolicyAttachment[];
}

/** The pure part of a scoped role: its name, trust policy and split documents. */
export interface ScopedRolePlan {
  readonly roleName: string;
  readonly trustPolicy: pulumi.Output<string>;
  readonly parts: readonly PolicyDocumentPart[];
}

/** Validates the arguments and splits the documents; throws before anything is created. */
export function planScopedRole(name: string, args: ScopedRoleArgs): ScopedRolePlan {
  const roleName = iamRoleName(args.roleName ?? name);
  const session = args.maxSessionDurationSeconds ?? 3600;
  if (!Number.isInteger(session) || session < 3600 || session > 43200) {
    fail(`role "${roleName}"`, [`maxSessionDurationSeconds must be 3600 to 43200, got ${session}`]);
  }
  const insecure = passRoleProblems(args.statements, args.acceptInsecure);
  if (insecure.length > 0) fail(`role "${roleName}"`, insecure);
  const parts = splitPolicyDocuments(args.statements, {
    roleName,
    ...(args.maxManagedPolicies === undefined
      ? {}
      : { maxManagedPolicies: args.maxManagedPolicies }),
  });
  const trustPolicy = renderTrustPolicy(args.trustStatements, {
    roleName,
    ...(args.maxTrustPolicyLength === undefined ? {} : { maxLength: args.maxTrustPolicyLength }),
  });
  return { roleName, trustPolicy, parts };
}

/**
 * Creates a role, one managed policy per document of the plan and their attachments, as
 * children of `parent` named `${name}-role`, `${name}-policy-<n>`, `${name}-attachment-<n>`.
 * Policy n keeps its name and description whatever the number of parts, so a new statement
 * updates policies in place instead of replacing them.
 */
export function createScopedRole(
  parent: pulumi.Resource,
  name: string,
  args: ScopedRoleArgs,
  plan: ScopedRolePlan = planScopedRole(name, args),
): ScopedRoleResources {
  const tags = { ...args.tags };
  const role = new iam.Role(
    `${name}-role`,
    {
      name: plan.roleName,
      description: args.description ?? "Managed by @hdp/iam",
      assumeRolePolicy: plan.trustPolicy,
      maxSessionDuration: args.maxSessionDurationSeconds ?? 3600,
      ...(args.permissionsBoundaryArn === undefined
        ? {}
        : { permissionsBoundary: args.permissionsBoundaryArn }),
      tags,
    },
    { parent },
  );
  const policies: iam.Policy[] = [];
  const policyAttachments: iam.RolePolicyAttachment[] = [];
  plan.parts.forEach((part, i) => {
    const n = i + 1;
    const policyName = iamPolicyName(plan.roleName, n);
    const policy = new iam.Policy(
      `${name}-policy-${n}`,
      {
        name: policyName,
        description: `Permissions of role ${plan.roleName}, part ${n} (managed by @hdp/iam)`,
        policy: renderPolicyDocumentPart(part, { label: `managed policy ${policyName}` }),
        tags,
      },
      { parent },
    );
    policies.push(policy);
    policyAttachments.push(
      new iam.RolePolicyAttachment(
        `${name}-attachment-${n}`,
        { role: role.name, policyArn: policy.arn },
        { parent },
      ),
    );
  });
  const roleArn =
    policyAttachments.length === 0
      ? role.arn
      : pulumi.all([role.arn, ...policyAttachments.map((a) => a.id)]).apply(([arn]) => arn);
  return { role, roleArn, roleName: role.name, policies, policyAttachments };
}

/**
 * What every role component shares: a role and its managed policies, planned by
 * {@link planScopedRole} (all problems found before anything is created) and created by
 * {@link createScopedRole}. Subclasses differ in their type token (part of every child's URN,
 * so each keeps its own) and in how they build their {@link ScopedRoleArgs}; each ends with
 * `registerOutputs`.
 */
export abstract class RoleComponent extends pulumi.ComponentResource {
  public readonly role: iam.Role;
  /** The role ARN; resolves once every managed policy is attached. */
  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;
  public readonly policies: readonly iam.Policy[];
  public readonly policyAttachments: readonly iam.RolePolicyAttachment[];
  /** The validated plan: the final role name and how the statements were split. */
  protected readonly plan: ScopedRolePlan;

  protected constructor(
    type: string,
    name: string,
    roleArgs: ScopedRoleArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const plan = planScopedRole(name, roleArgs);
    super(type, name, {}, opts);
    this.plan = plan;
    const created = createScopedRole(this, name, roleArgs, plan);
    this.role = created.role;
    this.roleArn = created.roleArn;
    this.roleName = created.roleName;
    this.policies = created.policies;
    this.policyAttachments = created.policyAttachments;
  }
}

/**
 * An IAM role with a validated trust policy and its permissions as managed policies, split to
 * stay under 6,144 characters each and the role's attachment quota. The generic base of the
 * other roles of this package.
 */
export class ScopedRole extends RoleComponent {
  constructor(name: string, args: ScopedRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:iam:ScopedRole", name, args, opts);
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
