/**
 * IAM names and ARNs built from them. Names longer than AWS allows are shortened with
 * `joinName` (a prefix plus a hash of the full name), so the same input always gives the same
 * name, and a constructed ARN always matches the role that is created.
 */
import { joinName, validateIamPolicyName, validateIamRoleName } from "@hdp/naming";
import * as pulumi from "@pulumi/pulumi";
import { concatInputs, MAX_LENGTH, sizeHint } from "./size-hints";
import { fail } from "./validate";

/** IAM role names are at most 64 characters. */
export const IAM_ROLE_NAME_MAX = 64;
/** IAM managed-policy names are at most 128 characters. */
export const IAM_POLICY_NAME_MAX = 128;

/** The role name used for `name`: shortened to 64 characters if longer; throws if invalid. */
export function iamRoleName(name: string): string {
  const shortened = joinName([name], IAM_ROLE_NAME_MAX);
  const problems = validateIamRoleName(shortened);
  if (problems.length > 0) fail(`role name "${name}"`, problems);
  return shortened;
}

/** The name of a role's `index`-th (1-based) managed policy; throws if invalid. */
export function iamPolicyName(roleName: string, index: number): string {
  const name = joinName([roleName, "policy", String(index)], IAM_POLICY_NAME_MAX);
  const problems = validateIamPolicyName(name);
  if (problems.length > 0) fail(`policy name "${name}"`, problems);
  return name;
}

/** `arn:<partition>:iam::<account>:role/<name>` for a role at path `/` (name as given). */
export function roleArn(
  accountId: pulumi.Input<string>,
  roleName: string,
  partition = "aws",
): pulumi.Input<string> {
  return concatInputs([
    `arn:${partition}:iam::`,
    { value: accountId, maxLength: MAX_LENGTH.accountId },
    `:role/${roleName}`,
  ]);
}

/** `arn:<partition>:iam::<account>:root`: the account, as an AWS principal. */
export function accountRootArn(
  accountId: pulumi.Input<string>,
  partition = "aws",
): pulumi.Input<string> {
  return concatInputs([
    `arn:${partition}:iam::`,
    { value: accountId, maxLength: MAX_LENGTH.accountId },
    ":root",
  ]);
}

/** `arn:<partition>:s3:::<bucket>` from a bucket name. */
export function s3BucketArn(
  bucketName: pulumi.Input<string>,
  partition = "aws",
): pulumi.Input<string> {
  return concatInputs([
    `arn:${partition}:s3:::`,
    { value: bucketName, maxLength: MAX_LENGTH.s3BucketName },
  ]);
}

/** `<bucketArn>/<keyPattern>`: objects of a bucket, e.g. `s3ObjectsArn(arn, "epic/enc/*")`. */
export function s3ObjectsArn(
  bucketArn: pulumi.Input<string>,
  keyPattern: string,
): pulumi.Input<string> {
  return concatInputs([{ value: bucketArn, maxLength: MAX_LENGTH.s3BucketArn }, `/${keyPattern}`]);
}

const KMS_KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Returns `value` if it is a KMS key ARN; throws otherwise. */
export function checkKmsKeyArn(label: string, value: string): string {
  if (!KMS_KEY_ARN.test(value)) {
    fail(label, [
      `"${value}" is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>);` +
        " IAM grants on an alias ARN or a key id grant nothing",
    ]);
  }
  return value;
}

/**
 * A caller's KMS key ARN, checked to be a key ARN (not an alias, not a bare id: IAM policies
 * match keys by key ARN) and with its worst-case length attached for sizing.
 */
export function kmsKeyArnInput(
  keyArn: pulumi.Input<string>,
  label = "kmsKeyArn",
): pulumi.Input<string> {
  if (typeof keyArn === "string") return checkKmsKeyArn(label, keyArn);
  return sizeHint(
    pulumi.output(keyArn).apply((v) => checkKmsKeyArn(label, v)),
    MAX_LENGTH.kmsKeyArn,
  );
}

const S3_BUCKET_ARN = /^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Returns `value` if it is an S3 bucket ARN; throws otherwise. */
export function checkS3BucketArn(label: string, value: string): string {
  if (!S3_BUCKET_ARN.test(value)) {
    fail(label, [`"${value}" is not an S3 bucket ARN (arn:<partition>:s3:::<bucket>)`]);
  }
  return value;
}

/** A caller's bucket ARN, checked and with its worst-case length attached for sizing. */
export function s3BucketArnInput(
  bucketArn: pulumi.Input<string>,
  label = "bucket ARN",
): pulumi.Input<string> {
  if (typeof bucketArn === "string") return checkS3BucketArn(label, bucketArn);
  return sizeHint(
    pulumi.output(bucketArn).apply((v) => checkS3BucketArn(label, v)),
    MAX_LENGTH.s3BucketArn,
  );
}
