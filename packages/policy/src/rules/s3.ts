/**
 * S3: every bucket of the lake, the Airflow DAG bucket and the access-log buckets. Bucket-level
 * rules are stack policies over {@link indexBuckets}: settings are separate resources. The
 * access-log bucket (tagged `hdp:bucket-role = access-logs`) is SSE-S3 by AWS's requirement,
 * holds no PHI and does not log itself; every other bucket may hold PHI.
 */
import { stackPolicy, resourcePolicy, type StackFinding } from "../define";
import { bool, isUnknown, list, num, rec, str, UNKNOWN } from "../values";
import {
  BUCKET_TYPES,
  SETTING_TYPES,
  bucketLabel,
  indexBuckets,
  withoutSetting,
  type BucketEntry,
  type SettingKind,
} from "./buckets";
import { statementsOf } from "./documents";
import {
  deniesInsecureTransport,
  encryptionProblem,
  publicGrantProblems,
  wholeBucket,
} from "./s3-checks";

const bucketTypes = (...kinds: SettingKind[]): string[] => [
  ...BUCKET_TYPES,
  ...kinds.flatMap((k) => SETTING_TYPES[k]),
];
const at = (b: BucketEntry) => ({ urn: b.bucket.urn, name: b.bucket.name });
const finding = (b: BucketEntry, message: string): StackFinding => ({ resource: at(b), message });

/**
 * SSE-KMS with a customer-managed key on every bucket that may hold PHI/PII (every bucket but
 * the access-log target); SSE-S3 on the access-log bucket, the only encryption S3 server access
 * logging delivers to. HIPAA §164.312(a)(2)(iv) encryption and decryption; AWS Config
 * s3-bucket-server-side-encryption-enabled and s3-default-encryption-kms (HIPAA pack).
 */
export const s3BucketKmsEncryption = stackPolicy(
  {
    name: "s3-bucket-kms-encryption",
    description:
      "Buckets that may hold PHI/PII are encrypted with SSE-KMS under a customer-managed key; access-log buckets with SSE-S3.",
    remediation:
      "Add one aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms, kmsMasterKeyId = the lake key's ARN and bucketKeyEnabled (SecureBucket does); for the access-log bucket use AES256 (AccessLogBucket does).",
    resourceTypes: bucketTypes("encryption"),
    hipaa: ["§164.312(a)(2)(iv)"],
    awsConfig: ["s3-bucket-server-side-encryption-enabled", "s3-default-encryption-kms"],
    anchors: {
      cdkNag: [
        "HIPAA.Security-S3BucketServerSideEncryptionEnabled",
        "HIPAA.Security-S3DefaultEncryptionKMS",
      ],
    },
    partial: {
      "s3-default-encryption-kms":
        "access-log targets keep SSE-S3, which S3 server access logging requires: AWS Config flags them",
      "HIPAA.Security-S3DefaultEncryptionKMS":
        "access-log targets keep SSE-S3, which S3 server access logging requires",
    },
    severity: "critical",
  },
  (resources) => {
    const index = indexBuckets(resources);
    const out: StackFinding[] = withoutSetting(index, "encryption").map((b) =>
      finding(b, `${bucketLabel(b)} has no aws.s3.BucketServerSideEncryptionConfiguration`),
    );
    for (const b of index.buckets) {
      for (const setting of b.settings.encryption) {
        const rules = list(setting.props.rules);
        if (isUnknown(setting.props.rules)) continue;
        const byDefault = rules.map((r) => rec(rec(r).applyServerSideEncryptionByDefault));
        for (const d of byDefault.length > 0 ? byDefault : [{}]) {
          const problem = encryptionProblem(b, d.sseAlgorithm, d.kmsMasterKeyId);
          if (problem !== undefined) out.push(finding(b, `${bucketLabel(b)}: ${problem}`));
        }
      }
    }
    return out;
  },
);

/**
 * Versioning enabled on every bucket (recovery from overwrites and deletes). HIPAA
 * §164.308(a)(7)(ii)(A) data backup plan, §164.310(d)(2)(iv) data backup and storage,
 * §164.312(c)(1) integrity; AWS Config s3-bucket-versioning-enabled (HIPAA pack).
 */
export const s3BucketVersioning = stackPolicy(
  {
    name: "s3-bucket-versioning",
    description: "Every bucket has versioning enabled.",
    remediation:
      "Add an aws.s3.BucketVersioning with versioningConfiguration.status Enabled for the bucket (SecureBucket and AccessLogBucket do).",
    resourceTypes: bucketTypes("versioning"),
    hipaa: ["§164.308(a)(7)(ii)(A)", "§164.310(d)(2)(iv)", "§164.312(c)(1)"],
    awsConfig: ["s3-bucket-versioning-enabled"],
    anchors: { cdkNag: ["HIPAA.Security-S3BucketVersioningEnabled"] },
    severity: "high",
  },
  (resources) => {
    const index = indexBuckets(resources);
    const out = withoutSetting(index, "versioning").map((b) =>
      finding(b, `${bucketLabel(b)} has no aws.s3.BucketVersioning`),
    );
    for (const b of index.buckets) {
      for (const s of b.settings.versioning) {
        const status = rec(s.props.versioningConfiguration).status;
        if (!isUnknown(status) && status !== "Enabled") {
          out.push(
            finding(b, `${bucketLabel(b)} has versioning ${str(status) ?? "unset"}, not Enabled`),
          );
        }
      }
    }
    return out;
  },
);

const BLOCKS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

/**
 * All four S3 public-access blocks on every bucket. HIPAA §164.312(a)(1) access control,
 * §164.308(a)(4) information access management; AWS Config
 * s3-bucket-level-public-access-prohibited (HIPAA pack).
 */
export const s3BucketPublicAccessBlock = stackPolicy(
  {
    name: "s3-bucket-public-access-block",
    description: "Every bucket blocks public ACLs and policies with all four public-access blocks.",
    remediation:
      "Add an aws.s3.BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    resourceTypes: bucketTypes("publicAccessBlock"),
    hipaa: ["§164.312(a)(1)", "§164.308(a)(4)"],
    awsConfig: ["s3-bucket-level-public-access-prohibited"],
    anchors: { cdkNag: ["HIPAA.Security-S3BucketLevelPublicAccessProhibited"] },
    severity: "critical",
  },
  (resources) => {
    const index = indexBuckets(resources);
    const out = withoutSetting(index, "publicAccessBlock").map((b) =>
      finding(b, `${bucketLabel(b)} has no aws.s3.BucketPublicAccessBlock`),
    );
    for (const b of index.buckets) {
      for (const s of b.settings.publicAccessBlock) {
        const off = BLOCKS.filter((k) => !isUnknown(s.props[k]) && bool(s.props[k]) !== true);
        if (off.length > 0) out.push(finding(b, `${bucketLabel(b)} leaves ${off.join(", ")} off`));
      }
    }
    return out;
  },
);

/**
 * A bucket policy that denies every request without TLS, on the bucket and its objects; exactly
 * one `BucketPolicy` per bucket (a second one replaces the first). HIPAA §164.312(e)(1)
 * transmission security, §164.312(e)(2)(ii) encryption; AWS Config s3-bucket-ssl-requests-only
 * (HIPAA pack).
 */
export const s3BucketTlsOnly = stackPolicy(
  {
    name: "s3-bucket-tls-only",
    description:
      "Every bucket has one bucket policy denying s3:* to anyone when aws:SecureTransport is false.",
    remediation:
      'Put a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, bucketArn + "/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } } into the bucket\'s one aws.s3.BucketPolicy (tlsOnlyStatement from @hdp/lake).',
    resourceTypes: bucketTypes("policy"),
    hipaa: ["§164.312(e)(1)", "§164.312(e)(2)(ii)"],
    awsConfig: ["s3-bucket-ssl-requests-only"],
    anchors: { cdkNag: ["HIPAA.Security-S3BucketSSLRequestsOnly"] },
    severity: "high",
  },
  (resources) => {
    const index = indexBuckets(resources);
    const out = withoutSetting(index, "policy").map((b) =>
      finding(b, `${bucketLabel(b)} has no aws.s3.BucketPolicy (nothing denies plain HTTP)`),
    );
    for (const b of index.buckets) {
      const policies = b.settings.policy;
      if (policies.length > 1) {
        const names = policies.map((p) => p.name).join(", ");
        out.push(
          finding(
            b,
            `${bucketLabel(b)} has ${policies.length} aws.s3.BucketPolicy resources (${names}); each replaces the other`,
          ),
        );
      }
      for (const p of policies) {
        const statements = statementsOf(p.props.policy);
        if (statements === UNKNOWN) continue;
        const arn = b.name !== undefined ? `arn:aws:s3:::${b.name}` : undefined;
        if (statements === undefined || !deniesInsecureTransport(statements, arn)) {
          out.push(
            finding(
              b,
              `${bucketLabel(b)}: policy ${p.name} does not deny requests without TLS on the bucket and its objects`,
            ),
          );
        }
      }
    }
    return out;
  },
);

/**
 * Server access logging on every bucket but the access-log target itself. HIPAA §164.312(b)
 * audit controls, §164.308(a)(1)(ii)(D) information system activity review; AWS Config
 * s3-bucket-logging-enabled (HIPAA pack).
 */
export const s3BucketAccessLogging = stackPolicy(
  {
    name: "s3-bucket-access-logging",
    description: "Every bucket except access-log buckets sends server access logs to a log bucket.",
    remediation:
      "Add an aws.s3.BucketLogging with targetBucket = the access-log bucket (SecureBucket's accessLogs), and list the bucket in the log bucket's sourceBucketArns.",
    resourceTypes: bucketTypes("logging"),
    hipaa: ["§164.312(b)", "§164.308(a)(1)(ii)(D)"],
    awsConfig: ["s3-bucket-logging-enabled"],
    anchors: {
      cdkNag: ["HIPAA.Security-S3BucketLoggingEnabled"],
      awsguard: ["s3-bucket-logging-enabled"],
    },
    severity: "high",
  },
  (resources) => {
    const index = indexBuckets(resources);
    const out = withoutSetting(index, "logging")
      .filter((b) => !b.accessLogs)
      .map((b) => finding(b, `${bucketLabel(b)} has no aws.s3.BucketLogging`));
    for (const b of index.buckets.filter((x) => !x.accessLogs)) {
      for (const s of b.settings.logging) {
        const target = s.props.targetBucket;
        if (!isUnknown(target) && (str(target) ?? "") === "") {
          out.push(finding(b, `${bucketLabel(b)}: logging ${s.name} has no targetBucket`));
        }
      }
    }
    return out;
  },
);

/**
 * A lifecycle rule expiring noncurrent versions of the whole bucket: versioning without it keeps
 * every overwritten PHI object forever. HIPAA §164.310(d)(2)(i) disposal; AWS Config
 * s3-version-lifecycle-policy-check (HIPAA pack).
 */
export const s3BucketNoncurrentVersionExpiration = stackPolicy(
  {
    name: "s3-bucket-noncurrent-version-expiration",
    description:
      "Every bucket expires noncurrent object versions through an enabled whole-bucket lifecycle rule.",
    remediation:
      "Add a rule with status Enabled, an empty filter and noncurrentVersionExpiration.noncurrentDays to the bucket's one aws.s3.BucketLifecycleConfiguration (lifecycleRules from @hdp/lake).",
    resourceTypes: bucketTypes("lifecycle"),
    hipaa: ["§164.310(d)(2)(i)"],
    awsConfig: ["s3-version-lifecycle-policy-check"],
    severity: "medium",
  },
  (resources) => {
    const index = indexBuckets(resources);
    const out = withoutSetting(index, "lifecycle").map((b) =>
      finding(b, `${bucketLabel(b)} has no aws.s3.BucketLifecycleConfiguration`),
    );
    for (const b of index.buckets) {
      for (const s of b.settings.lifecycle) {
        if (isUnknown(s.props.rules)) continue;
        const expires = list(s.props.rules).some((r) => {
          const rule = rec(r);
          const days = num(rec(rule.noncurrentVersionExpiration).noncurrentDays);
          return (
            rule.status === "Enabled" && days !== undefined && days >= 1 && wholeBucket(rule.filter)
          );
        });
        if (!expires) {
          out.push(
            finding(
              b,
              `${bucketLabel(b)}: lifecycle ${s.name} has no enabled whole-bucket noncurrentVersionExpiration`,
            ),
          );
        }
      }
    }
    return out;
  },
);

/**
 * No public canned ACL or grant to AllUsers/AuthenticatedUsers, and no `Allow` to principal `*`
 * without a condition in a bucket policy. HIPAA §164.312(a)(1) access control; AWS Config
 * s3-bucket-public-read-prohibited and s3-bucket-public-write-prohibited (HIPAA pack).
 */
export const s3BucketNoPublicGrants = resourcePolicy(
  {
    name: "s3-bucket-no-public-grants",
    description: "No bucket ACL or bucket policy grants access to everyone.",
    remediation:
      'Remove the public ACL/grant; in bucket policies name the principals (or add a condition such as aws:SourceArn) instead of "*".',
    resourceTypes: [
      ...BUCKET_TYPES,
      "aws:s3/bucketAcl:BucketAcl",
      "aws:s3/bucketAclV2:BucketAclV2",
      "aws:s3/bucketPolicy:BucketPolicy",
    ],
    hipaa: ["§164.312(a)(1)"],
    awsConfig: ["s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited"],
    anchors: {
      cdkNag: [
        "HIPAA.Security-S3BucketPublicReadProhibited",
        "HIPAA.Security-S3BucketPublicWriteProhibited",
      ],
    },
    severity: "critical",
  },
  ({ props }) => publicGrantProblems(props),
);

/**
 * Object ownership `BucketOwnerEnforced` (ACLs disabled) on every bucket. HIPAA §164.312(a)(1)
 * access control; AWS Config s3-bucket-acl-prohibited (HIPAA pack).
 */
export const s3BucketOwnershipEnforced = stackPolicy(
  {
    name: "s3-bucket-ownership-enforced",
    description: "Every bucket disables ACLs with object ownership BucketOwnerEnforced.",
    remediation:
      'Add an aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced".',
    resourceTypes: bucketTypes("ownership"),
    hipaa: ["§164.312(a)(1)"],
    awsConfig: ["s3-bucket-acl-prohibited"],
    severity: "high",
  },
  (resources) => {
    const index = indexBuckets(resources);
    const out = withoutSetting(index, "ownership").map((b) =>
      finding(b, `${bucketLabel(b)} has no aws.s3.BucketOwnershipControls`),
    );
    for (const b of index.buckets) {
      for (const s of b.settings.ownership) {
        const ownership = rec(s.props.rule).objectOwnership;
        if (!isUnknown(ownership) && ownership !== "BucketOwnerEnforced") {
          out.push(
            finding(
              b,
              `${bucketLabel(b)} has object ownership ${str(ownership) ?? "unset"}, not BucketOwnerEnforced`,
            ),
          );
        }
      }
    }
    return out;
  },
);

/** The S3 rules, in the order of the rule table. */
export const s3Policies = [
  s3BucketKmsEncryption,
  s3BucketVersioning,
  s3BucketPublicAccessBlock,
  s3BucketTlsOnly,
  s3BucketAccessLogging,
  s3BucketNoncurrentVersionExpiration,
  s3BucketNoPublicGrants,
  s3BucketOwnershipEnforced,
];
