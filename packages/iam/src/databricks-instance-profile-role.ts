import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { kmsKeyArnInput, s3BucketArnInput, s3ObjectsArn } from "./names";
import type { PolicyStatement } from "./policy-types";
import { RoleComponent, type ScopedRoleArgs } from "./scoped-role";
import { concatInputs, MAX_LENGTH } from "./size-hints";

/** Arguments of {@link DatabricksInstanceProfileRole}. */
export interface DatabricksInstanceProfileRoleArgs {
  /** Buckets the cluster nodes may read (get and list objects). @default [] */
  readonly readBucketArns?: readonly pulumi.Input<string>[];
  /** Buckets the cluster nodes may read, write and delete objects in. @default [] */
  readonly readWriteBucketArns?: readonly pulumi.Input<string>[];
  /**
   * Keys of those buckets (key ARNs). Use is limited to calls through S3 in `region`:
   * decrypt, and generate data keys when there are read-write buckets.
   * @default []
   */
  readonly kmsKeyArns?: readonly pulumi.Input<string>[];
  /** The buckets' region (for the `kms:ViaService` condition). */
  readonly region: pulumi.Input<string>;
  /** Extra permissions of the cluster nodes. @default [] */
  readonly additionalStatements?: readonly PolicyStatement[];
  /** @default "aws" */
  readonly partition?: string;
  /**
   * The role name, also the instance profile's name (Databricks expects them to match).
   * @default the component's name (shortened to 64 characters)
   */
  readonly roleName?: string;
  /** @default 10 */
  readonly maxManagedPolicies?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Scoped S3 and KMS permissions of the cluster nodes. */
export function instanceProfileStatements(
  args: DatabricksInstanceProfileRoleArgs,
): PolicyStatement[] {
  const read = (args.readBucketArns ?? []).map((b) => s3BucketArnInput(b, "readBucketArns"));
  const readWrite = (args.readWriteBucketArns ?? []).map((b) =>
    s3BucketArnInput(b, "readWriteBucketArns"),
  );
  const statements: PolicyStatement[] = [];
  const all = [...read, ...readWrite];
  if (all.length > 0) {
    statements.push(
      { Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: all },
      {
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: all.map((b) => s3ObjectsArn(b, "*")),
      },
    );
  }
  if (readWrite.length > 0) {
    statements.push({
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:PutObject"],
      Resource: readWrite.map((b) => s3ObjectsArn(b, "*")),
    });
  }
  const keys = (args.kmsKeyArns ?? []).map((k) => kmsKeyArnInput(k, "kmsKeyArns"));
  if (keys.length > 0) {
    statements.push({
      Effect: "Allow",
      Action: ["kms:Decrypt", ...(readWrite.length > 0 ? ["kms:GenerateDataKey"] : [])],
      Resource: keys,
      Condition: {
        StringEquals: {
          "kms:ViaService": concatInputs([
            "s3.",
            { value: args.region, maxLength: MAX_LENGTH.region },
            ".amazonaws.com",
          ]),
        },
      },
    });
  }
  return [...statements, ...(args.additionalStatements ?? [])];
}

function scopedArgs(args: DatabricksInstanceProfileRoleArgs): ScopedRoleArgs {
  return {
    ...(args.roleName === undefined ? {} : { roleName: args.roleName }),
    description: "Databricks cluster nodes (managed by @hdp/iam)",
    trustStatements: [{ Principal: { Service: "ec2.amazonaws.com" } }],
    statements: instanceProfileStatements(args),
    ...(args.maxManagedPolicies === undefined
      ? {}
      : { maxManagedPolicies: args.maxManagedPolicies }),
    ...(args.tags === undefined ? {} : { tags: args.tags }),
  };
}

/**
 * A role for Databricks cluster nodes (trusted by `ec2.amazonaws.com`) and its instance
 * profile, with S3 access to exactly the given buckets and their keys through S3. Register it
 * with `databricks.InstanceProfile`; the Databricks cross-account role needs `iam:PassRole`
 * on {@link roleArn}.
 */
export class DatabricksInstanceProfileRole extends RoleComponent {
  public readonly instanceProfile: iam.InstanceProfile;
  /** The instance profile ARN; resolves once every managed policy is attached. */
  public readonly instanceProfileArn: pulumi.Output<string>;

  constructor(
    name: string,
    args: DatabricksInstanceProfileRoleArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("hdp:iam:DatabricksInstanceProfileRole", name, scopedArgs(args), opts);
    this.instanceProfile = new iam.InstanceProfile(
      `${name}-profile`,
      { name: this.plan.roleName, role: this.role.name, tags: { ...args.tags } },
      { parent: this },
    );
    this.instanceProfileArn = pulumi
      .all([this.instanceProfile.arn, this.roleArn])
      .apply(([arn]) => arn);
    this.registerOutputs({
      roleArn: this.roleArn,
      roleName: this.roleName,
      instanceProfileArn: this.instanceProfileArn,
    });
  }
}
