import * as pulumi from "@pulumi/pulumi";
import {
  accountRootArn,
  iamRoleName,
  kmsKeyArnInput,
  roleArn,
  s3BucketArnInput,
  s3ObjectsArn,
} from "./names";
import type { PolicyStatement, TrustStatement } from "./policy-types";
import { RoleComponent, type ScopedRoleArgs } from "./scoped-role";
import { concatInputs, MAX_LENGTH } from "./size-hints";
import { fail } from "./validate";

/** The Databricks Unity Catalog master role (AWS commercial regions). */
export const UNITY_CATALOG_MASTER_ROLE_ARN =
  "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL";

/** Arguments of {@link UnityCatalogStorageRole}. */
export interface UnityCatalogStorageRoleArgs {
  /**
   * The role name, a plain string: the storage credential needs the role ARN before the role
   * exists (see {@link UnityCatalogStorageRole.roleArnFor}). Shortened to 64 characters with a
   * stable hash if longer, identically in `roleArnFor`.
   */
  readonly roleName: string;
  /** The storage credential's external id (`StorageCredential.awsIamRole.externalId`). */
  readonly externalId: pulumi.Input<string>;
  /** The account the role and the buckets live in. */
  readonly accountId: pulumi.Input<string>;
  /** ARNs of the buckets the credential reaches (read, write, delete objects; list). */
  readonly bucketArns: readonly pulumi.Input<string>[];
  /** ARNs of the keys encrypting those buckets (key ARNs, not aliases). */
  readonly kmsKeyArns: readonly pulumi.Input<string>[];
  /** @default "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL" */
  readonly unityCatalogMasterRoleArn?: string;
  /** @default "aws" */
  readonly partition?: string;
  /** @default 10 */
  readonly maxManagedPolicies?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

function selfArn(args: UnityCatalogStorageRoleArgs): pulumi.Input<string> {
  return roleArn(args.accountId, iamRoleName(args.roleName), args.partition ?? "aws");
}

/**
 * The trust policy Unity Catalog requires: the UC master role, and the role itself (through
 * the account root and `aws:PrincipalArn`, because a role cannot name itself as principal
 * before it exists), both only with the credential's external id.
 */
export function unityCatalogTrustStatements(args: UnityCatalogStorageRoleArgs): TrustStatement[] {
  const externalId = {
    "sts:ExternalId": concatInputs([{ value: args.externalId, maxLength: MAX_LENGTH.externalId }]),
  };
  return [
    {
      Principal: { AWS: args.unityCatalogMasterRoleArn ?? UNITY_CATALOG_MASTER_ROLE_ARN },
      Condition: { StringEquals: externalId },
    },
    {
      Principal: { AWS: accountRootArn(args.accountId, args.partition ?? "aws") },
      Condition: { StringEquals: externalId, ArnLike: { "aws:PrincipalArn": selfArn(args) } },
    },
  ];
}

/** The permissions Unity Catalog requires of a storage credential's role. */
export function unityCatalogStorageStatements(
  args: UnityCatalogStorageRoleArgs,
): PolicyStatement[] {
  const buckets = args.bucketArns.map((b) => s3BucketArnInput(b));
  const statements: PolicyStatement[] = [
    {
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      Resource: buckets.map((b) => s3ObjectsArn(b, "*")),
    },
    {
      Effect: "Allow",
      Action: ["s3:GetBucketLocation", "s3:ListBucket"],
      Resource: buckets,
    },
    { Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [selfArn(args)] },
  ];
  if (args.kmsKeyArns.length > 0) {
    statements.push({
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"],
      Resource: args.kmsKeyArns.map((k) => kmsKeyArnInput(k, "kmsKeyArns")),
    });
  }
  return statements;
}

function scopedArgs(args: UnityCatalogStorageRoleArgs): ScopedRoleArgs {
  if (args.bucketArns.length === 0) {
    fail(`Unity Catalog storage role "${args.roleName}"`, ["bucketArns is empty"]);
  }
  return {
    roleName: args.roleName,
    description: "Unity Catalog storage credential (managed by @hdp/iam)",
    trustStatements: unityCatalogTrustStatements(args),
    statements: unityCatalogStorageStatements(args),
    ...(args.maxManagedPolicies === undefined
      ? {}
      : { maxManagedPolicies: args.maxManagedPolicies }),
    ...(args.tags === undefined ? {} : { tags: args.tags }),
  };
}

/**
 * The IAM role behind a Unity Catalog storage credential. Break the cycle in this order:
 * credential (with {@link UnityCatalogStorageRole.roleArnFor}) → this role (with the
 * credential's external id) → external locations, which must `dependsOn` the
 * `policyAttachments` (and allow for IAM propagation, e.g. `skipValidation`).
 */
export class UnityCatalogStorageRole extends RoleComponent {
  /** The ARN the role will have, known before it exists (for the storage credential). */
  static roleArnFor(
    accountId: pulumi.Input<string>,
    roleName: string,
    partition = "aws",
  ): pulumi.Output<string> {
    return pulumi.output(roleArn(accountId, iamRoleName(roleName), partition));
  }

  constructor(
    name: string,
    args: UnityCatalogStorageRoleArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("hdp:iam:UnityCatalogStorageRole", name, scopedArgs(args), opts);
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
