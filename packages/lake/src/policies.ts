/**
 * Pure bucket- and key-policy documents. They take resolved strings and return JSON, so they are
 * tested without the engine; components resolve their Outputs first (`pulumi.all(...).apply`).
 * S3 keeps exactly one bucket policy per bucket, so every statement of a bucket goes into one
 * document built here.
 */
import * as pulumi from "@pulumi/pulumi";

/** Values of a policy condition operator: one string or a list. */
export type ConditionValues = string | readonly string[];

/** A statement of a resource policy (bucket or key), in AWS's JSON shape. */
export interface PolicyStatementJson {
  /** Unique within the document; statements are keyed and ordered by it. */
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal: "*" | Readonly<Record<string, ConditionValues>>;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, ConditionValues>>>>;
}

/** {@link PolicyStatementJson} whose principal, resources and conditions may be Outputs. */
export interface PolicyStatementInput {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal: pulumi.Input<"*" | Readonly<Record<string, pulumi.Input<ConditionValues>>>>;
  readonly Action: string | readonly string[];
  readonly Resource: pulumi.Input<string> | readonly pulumi.Input<string>[];
  readonly Condition?: pulumi.Input<
    Readonly<Record<string, pulumi.Input<Readonly<Record<string, pulumi.Input<ConditionValues>>>>>>
  >;
}

/** Sids the components use themselves; caller statements must pick others. */
export const RESERVED_SIDS = [
  "DenyInsecureTransport",
  "AllowS3ServerAccessLogs",
  "EnableRootAccountAccess",
  "AllowCloudWatchLogs",
  "DenyLogObjectDeletion",
];
const SID = /^[A-Za-z0-9]{1,100}$/;

/**
 * Every problem with caller-supplied statements that can be seen before deploy: Sids must be
 * alphanumeric, unique and not reserved; an `Allow` to principal `*` would make the bucket
 * public (the public-access block makes S3 reject it).
 */
export function validatePolicyStatements(
  statements: readonly PolicyStatementInput[],
  field = "policyStatements",
  refusePublic = true,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>(RESERVED_SIDS);
  for (const s of statements) {
    if (!SID.test(s.Sid))
      problems.push(`${field}[${s.Sid}]: Sid must be 1 to 100 letters or digits`);
    if (seen.has(s.Sid)) problems.push(`${field}[${s.Sid}]: Sid is used twice or is reserved`);
    seen.add(s.Sid);
    if (refusePublic && s.Effect === "Allow" && s.Principal === "*") {
      problems.push(`${field}[${s.Sid}]: Allow to principal "*" would make the bucket public`);
    }
  }
  return problems;
}

/** Deny every S3 action over plain HTTP, on the bucket and its objects. */
export function tlsOnlyStatement(bucketArn: string): PolicyStatementJson {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * Lets S3 server access logging write into the log bucket, only for the given source buckets
 * of the given account. With `BucketOwnerEnforced`, ACL grants are not allowed: the bucket
 * policy is the only way to grant the logging service.
 */
export function logDeliveryStatement(args: {
  readonly logBucketArn: string;
  readonly sourceBucketArns: readonly string[];
  readonly accountId: string;
}): PolicyStatementJson {
  return {
    Sid: "AllowS3ServerAccessLogs",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `${args.logBucketArn}/*`,
    Condition: {
      ArnLike: { "aws:SourceArn": [...args.sourceBucketArns].sort() },
      StringEquals: { "aws:SourceAccount": args.accountId },
    },
  };
}

/** Orders statements by Sid (code-point order), so reordered inputs give the same document. */
export function sortBySid<T extends { readonly Sid: string }>(statements: readonly T[]): T[] {
  return [...statements].sort((a, b) => (a.Sid < b.Sid ? -1 : a.Sid > b.Sid ? 1 : 0));
}

/** The JSON of a policy document (`Version` 2012-10-17) with the statements in the given order. */
export function policyDocument(statements: readonly PolicyStatementJson[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Options of {@link keyPolicyStatements}. */
export interface KeyPolicyOptions {
  readonly accountId: string;
  /** Lets CloudWatch Logs in this region use the key for matching log groups (MWAA needs it). */
  readonly cloudWatchLogs?: { readonly region: string; readonly logGroupNamePattern: string };
}

/**
 * The statements of a lake key's policy. The account-root statement stays first and always:
 * without it IAM policies grant nothing on the key and its creator could lock itself out.
 */
export function keyPolicyStatements(options: KeyPolicyOptions): PolicyStatementJson[] {
  const statements: PolicyStatementJson[] = [
    {
      Sid: "EnableRootAccountAccess",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${options.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  const logs = options.cloudWatchLogs;
  if (logs !== undefined) {
    statements.push({
      Sid: "AllowCloudWatchLogs",
      Effect: "Allow",
      Principal: { Service: `logs.${logs.region}.amazonaws.com` },
      Action: [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ],
      Resource: "*",
      Condition: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${logs.region}:${options.accountId}:log-group:${logs.logGroupNamePattern}`,
        },
      },
    });
  }
  return statements;
}

/**
 * Condition keys that restrict *who* may use an `Allow` to `"*"` (the policy pack's list, rule
 * `s3-bucket-no-public-grants`); other keys (`aws:SecureTransport`, `s3:prefix`, …) leave it public.
 */
const NARROWING_KEYS: readonly string[] = [
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:principalarn",
  "aws:principalaccount",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalservicename",
  "aws:userid",
  "aws:username",
  "aws:sourcevpc",
  "aws:sourcevpce",
];

/** Whether a known principal is everyone: `"*"`, `{ AWS: "*" }` or an AWS list holding `"*"`. */
function isAnyone(principal: PolicyStatementInput["Principal"]): boolean {
  if (principal === "*") return true;
  if (principal === null || typeof principal !== "object" || pulumi.Output.isInstance(principal))
    return false;
  const aws = (principal as Readonly<Record<string, unknown>>).AWS;
  return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}

/**
 * The `s3-bucket-no-public-grants` finding of each statement that allows everyone (principal
 * `"*"` or `{ AWS: "*" }`) without a condition narrowing who, in the pack's words. Statements
 * whose principal or condition is still an Output are left to the pack.
 */
export function publicStatementProblems(statements: readonly PolicyStatementInput[]): {
  readonly sid: string;
  readonly message: string;
}[] {
  const out: { sid: string; message: string }[] = [];
  for (const s of statements) {
    if (s.Effect !== "Allow" || !isAnyone(s.Principal)) continue;
    if (pulumi.Output.isInstance(s.Condition)) continue;
    const tests: readonly unknown[] = Object.values(s.Condition ?? {});
    // A condition still unknown (an Output) may narrow who: left to the pack.
    if (tests.some((t) => pulumi.Output.isInstance(t))) continue;
    const keys = tests.flatMap((test) =>
      test !== null && typeof test === "object"
        ? Object.keys(test).map((k) => k.toLowerCase())
        : [],
    );
    const actions = (typeof s.Action === "string" ? [s.Action] : s.Action).join(", ");
    if (keys.length === 0) {
      out.push({
        sid: s.Sid,
        message: `statement ${s.Sid} allows ${actions} to principal "*" without a condition`,
      });
    } else if (!keys.some((k) => NARROWING_KEYS.includes(k))) {
      out.push({
        sid: s.Sid,
        message: `statement ${s.Sid} allows ${actions} to principal "*" under conditions that do not narrow who (${keys.join(", ")})`,
      });
    }
  }
  return out;
}
