import { validateBucketName } from "@hdp/naming";
import type * as pulumi from "@pulumi/pulumi";
import { kmsKeyArnInput, s3BucketArn, s3ObjectsArn } from "./names";
import type { PolicyStatement, TrustStatement } from "./policy-types";
import { RoleComponent, type ScopedRoleArgs } from "./scoped-role";
import { concatInputs, MAX_LENGTH } from "./size-hints";
import { externalIdProblems } from "./insecure";
import { fail } from "./validate";

/** What an ingest source may do under its prefixes. */
export type IngestAccess = "write" | "read-write";

/** Arguments of {@link SourceIngestRole}. */
export interface SourceIngestRoleArgs {
  /** The source id: the first segment of every prefix (`<source>/<table>/`). */
  readonly source: string;
  /** The source's table ids: one prefix `<source>/<table>/` per table and bucket. */
  readonly tables: readonly string[];
  /** Names of the buckets the source writes to (e.g. the landing bucket). */
  readonly bucketNames: readonly pulumi.Input<string>[];
  /** ARN of the KMS key that encrypts those buckets (a key ARN, not an alias). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The buckets' region: KMS use is limited to calls made through S3 there. */
  readonly region: pulumi.Input<string>;
  /** The one principal (role, user or account ARN) that may assume this role; never `*`. */
  readonly trustedPrincipalArn: pulumi.Input<string>;
  /**
   * Required `sts:ExternalId` for principals of another account: without it, a trusted principal
   * given as a plain ARN outside `accountId` is refused unless `acceptInsecure` lists
   * `iam-cross-account-external-id`. @default none
   */
  readonly externalId?: pulumi.Input<string>;
  /**
   * The environment's own AWS account: a principal of it needs no external id.
   * @default unknown (every principal given as a plain ARN needs one)
   */
  readonly accountId?: string;
  /** Policy-pack rules whose finding this role knowingly accepts. @default [] */
  readonly acceptInsecure?: readonly string[];
  /**
   * `write`: put objects (and abort multipart uploads) under the prefixes; the key only
   * through S3 (GenerateDataKey, and Decrypt, which multipart uploads need).
   * `read-write`: also get and list objects under the prefixes. Deleting is never granted.
   * @default "write"
   */
  readonly access?: IngestAccess;
  /** @default "aws" */
  readonly partition?: string;
  /** @default the component's name (shortened to 64 characters) */
  readonly roleName?: string;
  /** @default 10 */
  readonly maxManagedPolicies?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Problems of the source and table ids: they become S3 key prefixes inside ARNs. */
export function prefixProblems(source: string, tables: readonly string[]): string[] {
  const problems: string[] = [];
  const check = (what: string, id: string): void => {
    if (!SEGMENT.test(id) || id.includes("..")) {
      problems.push(
        `${what} "${id}" must be letters, digits, "_", "." and "-" (no "/", no wildcards), starting with a letter or digit`,
      );
    }
  };
  check("source", source);
  if (tables.length === 0) problems.push(`source "${source}" has no tables`);
  for (const t of tables) check("table", t);
  return problems;
}

/** The statements of an ingest role: S3 on exactly `<source>/<table>/` and KMS through S3. */
export function sourceIngestStatements(args: SourceIngestRoleArgs): PolicyStatement[] {
  const partition = args.partition ?? "aws";
  const tables = [...new Set(args.tables)];
  const buckets = args.bucketNames.map((b) => s3BucketArn(b, partition));
  const prefixes = tables.map((t) => `${args.source}/${t}/`);
  const objects = buckets.flatMap((b) => prefixes.map((p) => s3ObjectsArn(b, `${p}*`)));
  const readWrite = (args.access ?? "write") === "read-write";
  const statements: PolicyStatement[] = [
    {
      Effect: "Allow",
      Action: [
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
        ...(readWrite ? ["s3:GetObject"] : []),
      ],
      Resource: objects,
    },
    {
      // Decrypt even for write-only: S3 reads the encrypted parts to complete a multipart upload.
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [kmsKeyArnInput(args.kmsKeyArn)],
      Condition: {
        StringEquals: {
          "kms:ViaService": concatInputs([
            "s3.",
            { value: args.region, maxLength: MAX_LENGTH.region },
            ".amazonaws.com",
          ]),
        },
      },
    },
  ];
  if (readWrite) {
    // One statement per table: its condition names only that table's prefix.
    for (const p of prefixes) {
      statements.push({
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: buckets,
        Condition: { StringLike: { "s3:prefix": `${p}*` } },
      });
    }
  }
  return statements;
}

function scopedArgs(args: SourceIngestRoleArgs): ScopedRoleArgs {
  const problems = prefixProblems(args.source, args.tables);
  if (args.bucketNames.length === 0) problems.push("bucketNames is empty");
  for (const b of args.bucketNames) {
    if (typeof b === "string") problems.push(...validateBucketName(b, { unityCatalog: false }));
  }
  if (args.trustedPrincipalArn === "*") problems.push('trustedPrincipalArn must not be "*"');
  problems.push(
    ...externalIdProblems(
      args.trustedPrincipalArn,
      args.externalId,
      args.accountId,
      args.acceptInsecure,
    ),
  );
  if (problems.length > 0) fail(`source ingest role for "${args.source}"`, problems);

  const principal = concatInputs([
    { value: args.trustedPrincipalArn, maxLength: MAX_LENGTH.iamPrincipalArn },
  ]);
  const trust: TrustStatement = {
    Principal: { AWS: principal },
    ...(args.externalId === undefined
      ? {}
      : {
          Condition: {
            StringEquals: {
              "sts:ExternalId": concatInputs([
                { value: args.externalId, maxLength: MAX_LENGTH.externalId },
              ]),
            },
          },
        }),
  };
  return {
    ...(args.roleName === undefined ? {} : { roleName: args.roleName }),
    description: `Ingest of source ${args.source} (managed by @hdp/iam)`,
    trustStatements: [trust],
    statements: sourceIngestStatements(args),
    ...(args.maxManagedPolicies === undefined
      ? {}
      : { maxManagedPolicies: args.maxManagedPolicies }),
    ...(args.tags === undefined ? {} : { tags: args.tags }),
  };
}

/**
 * The role of one ingest source: it may write (and optionally read) objects under exactly
 * `<source>/<table>/` of the given buckets, use the lake key only through S3 in the region,
 * and be assumed only by the one trusted principal (with an external id if given).
 */
export class SourceIngestRole extends RoleComponent {
  constructor(name: string, args: SourceIngestRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:iam:SourceIngestRole", name, scopedArgs(args), opts);
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
