/**
 * Pure policy statements of the audit trail: the audit bucket's CloudTrail delivery, the audit
 * key's CloudTrail use, and the deletion guard of access-log buckets. Every grant to CloudTrail
 * names the one trail (`aws:SourceArn`), so no other trail (of any account) can write here.
 */
import type { PolicyStatementJson } from "./policies";

/** `arn:aws:cloudtrail:<region>:<account>:trail/<name>`: known before the trail exists. */
export function trailArn(region: string, accountId: string, trailName: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

/** Key prefix CloudTrail writes under (`AWSLogs/<account>/CloudTrail/…`). */
export const CLOUDTRAIL_PREFIX = "AWSLogs";

/** The audit bucket's statements for CloudTrail: read the bucket ACL, write the log files. */
export function cloudTrailBucketStatements(args: {
  readonly bucketArn: string;
  readonly accountId: string;
  readonly trailArn: string;
}): PolicyStatementJson[] {
  const principal = { Service: "cloudtrail.amazonaws.com" };
  const source = { "aws:SourceArn": args.trailArn };
  return [
    {
      Sid: "AllowCloudTrailAclCheck",
      Effect: "Allow",
      Principal: principal,
      Action: "s3:GetBucketAcl",
      Resource: args.bucketArn,
      Condition: { StringEquals: source },
    },
    {
      Sid: "AllowCloudTrailWrite",
      Effect: "Allow",
      Principal: principal,
      Action: "s3:PutObject",
      Resource: `${args.bucketArn}/${CLOUDTRAIL_PREFIX}/${args.accountId}/*`,
      Condition: {
        StringEquals: { ...source, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    },
  ];
}

/**
 * The audit key's statements for CloudTrail: encrypt log files of this account's trail (the
 * encryption context names the trail) and describe the key. Reading the logs is granted in
 * IAM through the account-root statement, never to the service.
 */
export function cloudTrailKeyStatements(args: {
  readonly accountId: string;
  readonly trailArn: string;
}): PolicyStatementJson[] {
  const principal = { Service: "cloudtrail.amazonaws.com" };
  return [
    {
      Sid: "AllowCloudTrailEncrypt",
      Effect: "Allow",
      Principal: principal,
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": args.trailArn },
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${args.accountId}:trail/*`,
        },
      },
    },
    {
      Sid: "AllowCloudTrailDescribeKey",
      Effect: "Allow",
      Principal: principal,
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": args.trailArn } },
    },
  ];
}

/**
 * Denies deleting log objects to everyone, root included. Access-log targets may not have
 * object lock (S3 refuses to deliver to them), so this deny, versioning, `protect` and the
 * lifecycle's expiry (which bucket policies do not affect) keep the logs for their retention.
 */
export function denyLogDeletionStatement(bucketArn: string): PolicyStatementJson {
  return {
    Sid: "DenyLogObjectDeletion",
    Effect: "Deny",
    Principal: "*",
    Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
    Resource: `${bucketArn}/*`,
  };
}

/**
 * The event selectors of the trail: management events, and every object-level call (reads and
 * writes) on every bucket of the account except `excludedBucketNames` (the trail's own bucket
 * and the access-log targets: recording their writes would feed back into them). A bucket added
 * later is recorded without anyone remembering to list it.
 */
export function dataEventSelectors(excludedBucketNames: readonly string[]) {
  return [
    {
      name: "Management events",
      fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }],
    },
    {
      name: "Object-level access to every bucket but the log buckets",
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::S3::Object"] },
        {
          field: "resources.ARN",
          notStartsWith: [...new Set(excludedBucketNames)].sort().map((b) => `arn:aws:s3:::${b}/`),
        },
      ],
    },
  ];
}
