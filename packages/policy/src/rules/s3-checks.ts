/**
 * Pure checks behind the S3 rules: encryption of a bucket, the TLS-only statement, whole-bucket
 * lifecycle filters, public ACLs and policies.
 */
import {
  conditionKeys,
  isAnyone,
  grantsAction,
  statementsOf,
  wildcardMatches,
  type Statement,
} from "./documents";
import type { BucketEntry } from "./buckets";
import { isUnknown, list, rec, str, type Props, type Value } from "../values";

/** What is wrong with a bucket's default encryption, if anything. */
export function encryptionProblem(
  b: BucketEntry,
  algorithm: Value,
  keyId: Value,
): string | undefined {
  if (isUnknown(algorithm)) return undefined;
  const alg = str(algorithm);
  if (b.accessLogs) {
    return alg === "AES256"
      ? undefined
      : `is an access-log bucket encrypted with ${alg ?? "nothing"}; S3 delivers server access logs only to SSE-S3 (AES256) buckets`;
  }
  if (alg !== "aws:kms" && alg !== "aws:kms:dsse") {
    return `default encryption is ${alg ?? "unset"}, not SSE-KMS (data-classification ${b.classification ?? "unknown"})`;
  }
  if (isUnknown(keyId)) return undefined;
  const key = str(keyId) ?? "";
  if (key === "" || key.startsWith("alias/aws/") || /:alias\/aws\//.test(key)) {
    return `SSE-KMS uses the AWS-managed key (${key === "" ? "no kmsMasterKeyId" : key}); use a customer-managed key`;
  }
  return undefined;
}

/** True when `s` denies all S3 access without TLS to the bucket and its objects. */
export function deniesInsecureTransport(statements: readonly Statement[], arn?: string): boolean {
  return statements.some((st) => {
    if (st.effect !== "Deny" || !isAnyone(st.principal)) return false;
    if (!grantsAction(st, "s3:GetObject") || !grantsAction(st, "s3:PutObject")) return false;
    const secure = Object.entries(st.conditions).some(
      ([op, keys]) =>
        op.toLowerCase() === "bool" &&
        Object.entries(keys).some(
          ([k, v]) => k.toLowerCase() === "aws:securetransport" && v.includes("false"),
        ),
    );
    if (!secure) return false;
    if (arn === undefined) return st.resources.length > 0;
    const covers = (r: string) => st.resources.some((p) => wildcardMatches(p, r));
    return covers(arn) && covers(`${arn}/object`);
  });
}

/** True for a lifecycle filter that covers the whole bucket. */
export function wholeBucket(filter: Value): boolean {
  const f = rec(filter);
  const keys = Object.keys(f).filter((k) => f[k] !== null);
  return keys.length === 0 || (keys.length === 1 && f.prefix === "");
}

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

/** Public ACLs, grants to everyone, and `Allow` to `*` without a condition, of a bucket, ACL or policy. */
export function publicGrantProblems(props: Props): string[] {
  const out: string[] = [];
  const acl = str(props.acl);
  if (acl !== undefined && PUBLIC_ACLS.includes(acl)) out.push(`the canned ACL ${acl} is public`);
  const grants = [...list(props.grants), ...list(rec(props.accessControlPolicy).grants)];
  for (const g of grants) {
    const grantee = rec(rec(g).grantee);
    const uri = str(grantee.uri) ?? str(rec(g).uri) ?? "";
    if (PUBLIC_GRANTEES.test(uri)) out.push(`an ACL grant goes to ${uri.split("/").pop()}`);
  }
  const statements = statementsOf(props.policy);
  if (Array.isArray(statements)) {
    for (const s of statements) {
      if (s.effect !== "Allow" || !isAnyone(s.principal)) continue;
      const keys = conditionKeys(s);
      if (keys.length === 0) {
        out.push(
          `statement ${s.sid ?? "(no Sid)"} allows ${s.actions.join(", ")} to principal "*" without a condition`,
        );
      } else if (!keys.some((k) => NARROWING_KEYS.includes(k))) {
        out.push(
          `statement ${s.sid ?? "(no Sid)"} allows ${s.actions.join(", ")} to principal "*" under conditions that do not narrow who (${keys.join(", ")})`,
        );
      }
    }
  }
  return out;
}

/**
 * Condition keys that restrict *who* may use an `Allow` to `"*"` (a calling account, org, role,
 * service, network path). Others — `aws:SecureTransport`, `s3:prefix`, dates — leave it public.
 */
export const NARROWING_KEYS: readonly string[] = [
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
  "aws:sourceip",
  "aws:vpcsourceip",
  "s3:dataaccesspointaccount",
  "s3:dataaccesspointarn",
];
