/**
 * The audit trail: who read which PHI object (CloudTrail S3 data events), kept where nobody can
 * erase it (object lock in COMPLIANCE mode), the CloudWatch log groups of MWAA, and the copy of
 * production PHI outside its account. Stack rules match a trail's destination and a setting's
 * bucket by physical name; unknown names are skipped, never guessed.
 */
import { AUDIT_RETENTION_DAYS } from "@hdp/config";
import { stackPolicy, resourcePolicy, type StackFinding, type StackResource } from "../define";
import { bool, isUnknown, list, num, rec, str, strings, type Props } from "../values";
import {
  BUCKET_TYPES,
  SETTING_TYPES,
  bucketLabel,
  indexBuckets,
  type BucketEntry,
} from "./buckets";
import { wildcardMatches } from "./documents";

export const TRAIL = "aws:cloudtrail/trail:Trail";
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const MWAA = "aws:mwaa/environment:Environment";
const BACKUP_PLAN = "aws:backup/plan:Plan";
const BACKUP_SELECTION = "aws:backup/selection:Selection";

const at = (r: StackResource) => ({ urn: r.urn, name: r.name });
const finding = (b: BucketEntry, message: string): StackFinding => ({
  resource: at(b.bucket),
  message,
});

/**
 * Buckets that may hold PHI (tagged phi or untagged), by known name, not access-log targets, in
 * a stack that holds the environment's shared objects (it has an access-log bucket: the core).
 * Buckets of other stacks are the core's trail's and copy's, which record and select every
 * bucket of the account; the house keeps buckets in the core stack anyway.
 */
function phiBuckets(resources: readonly StackResource[]): (BucketEntry & { name: string })[] {
  const index = indexBuckets(resources);
  if (!index.buckets.some((b) => b.accessLogs)) return [];
  return index.buckets.filter(
    (b): b is BucketEntry & { name: string } =>
      b.name !== undefined &&
      !b.accessLogs &&
      (b.classification === undefined || b.classification === "phi"),
  );
}

/** The destination buckets of the stack's trails (known names). */
function trailDestinations(resources: readonly StackResource[]): Set<string> {
  return new Set(
    resources
      .filter((r) => r.type === TRAIL)
      .map((r) => str(r.props.s3BucketName))
      .filter((n): n is string => n !== undefined),
  );
}

type Coverage = boolean | "unknown";

/** Whether one advanced event selector records every read and write of objects of `bucket`. */
function advancedSelectorCovers(selector: Props, bucket: string): Coverage {
  const fields = list(selector.fieldSelectors).map(rec);
  if (fields.some((f) => isUnknown(f.equals) || isUnknown(f.startsWith))) return "unknown";
  const field = (name: string) => fields.filter((f) => str(f.field) === name);
  const object = `arn:aws:s3:::${bucket}/zz-probe-key`;
  const category = field("eventCategory");
  if (!category.some((f) => strings(f.equals).includes("Data"))) return false;
  if (!field("resources.type").some((f) => strings(f.equals).includes("AWS::S3::Object")))
    return false;
  // A readOnly filter keeps only reads or only writes: not every access.
  if (field("readOnly").length > 0) return false;
  for (const f of field("resources.ARN")) {
    const starts = strings(f.startsWith);
    const notStarts = strings(f.notStartsWith);
    const equals = strings(f.equals);
    if (starts.length > 0 && !starts.some((p) => object.startsWith(p))) return false;
    if (notStarts.some((p) => object.startsWith(p))) return false;
    if (equals.length > 0) return false;
  }
  return true;
}

/** Whether a (basic) event selector records every read and write of objects of `bucket`. */
function basicSelectorCovers(selector: Props, bucket: string): boolean {
  const rw = str(selector.readWriteType) ?? "All";
  if (rw !== "All") return false;
  return list(selector.dataResources)
    .map(rec)
    .some(
      (d) =>
        str(d.type) === "AWS::S3::Object" &&
        strings(d.values).some(
          (v) =>
            v === "arn:aws:s3" || v === "arn:aws:s3:::" || `arn:aws:s3:::${bucket}/`.startsWith(v),
        ),
    );
}

/** Whether a trail records every object-level read and write of `bucket` (unknown: skip). */
export function trailRecords(trail: Props, bucket: string): Coverage {
  if (bool(trail.enableLogging) === false) return false;
  if (isUnknown(trail.advancedEventSelectors) || isUnknown(trail.eventSelectors)) return "unknown";
  const advanced = list(trail.advancedEventSelectors).map((s) =>
    advancedSelectorCovers(rec(s), bucket),
  );
  if (advanced.includes(true)) return true;
  if (list(trail.eventSelectors).some((s) => basicSelectorCovers(rec(s), bucket))) return true;
  return advanced.includes("unknown") ? "unknown" : false;
}

/**
 * Every read and write of an object that may hold PHI is recorded: a trail of the stack logs S3
 * data events for every such bucket (the access-log targets and the trail's own bucket aside),
 * unless the environment names an organisation trail. HIPAA §164.312(b) audit controls,
 * §164.308(a)(1)(ii)(D) information system activity review.
 */
export const cloudtrailPhiDataEvents = stackPolicy(
  {
    name: "cloudtrail-phi-data-events",
    description:
      "Every bucket that may hold PHI has its object-level reads and writes recorded by a CloudTrail trail (S3 data events).",
    remediation:
      "Create the environment's AuditTrail (@hdp/lake; the platform does in every core stack): it records data events of every bucket but the log targets. With an organisation trail, name it in audit.organizationTrail.",
    resourceTypes: [...BUCKET_TYPES, TRAIL],
    hipaa: ["§164.312(b)", "§164.308(a)(1)(ii)(D)"],
    awsConfig: ["cloudtrail-s3-dataevents-enabled", "cloudtrail-enabled"],
    anchors: { sra: ["sra-audit-logs"] },
    partial: {
      "sra-audit-logs":
        "records AWS-side access to the lake's objects; Databricks' own audit log is verbose but read from system.access.audit (see the README)",
    },
    severity: "critical",
    presence: true,
    uses: ["organizationTrailArn"],
  },
  (resources, ctx) => {
    if (ctx.organizationTrailArn !== undefined) return [];
    const trails = resources.filter((r) => r.type === TRAIL);
    const destinations = trailDestinations(resources);
    const out: StackFinding[] = [];
    for (const b of phiBuckets(resources)) {
      if (destinations.has(b.name)) continue;
      const coverage = trails.map((t) => trailRecords(t.props, b.name));
      if (coverage.includes(true) || coverage.includes("unknown")) continue;
      out.push(
        finding(
          b,
          trails.length === 0
            ? `${bucketLabel(b)} may hold PHI and no trail of the stack records its object-level access`
            : `${bucketLabel(b)} may hold PHI and no trail records every read and write of its objects`,
        ),
      );
    }
    return out;
  },
);

/**
 * A trail's records can be trusted: log-file validation (digest files), SSE-KMS with a key of
 * the account, every region, logging on. HIPAA §164.312(c)(1) integrity, §164.312(c)(2)
 * mechanism to authenticate ePHI (here: its audit records), §164.312(a)(2)(iv) encryption.
 */
export const cloudtrailIntegrity = resourcePolicy(
  {
    name: "cloudtrail-integrity",
    description:
      "CloudTrail trails validate log files, encrypt them with a customer-managed KMS key, cover every region and are logging.",
    remediation:
      "Set enableLogFileValidation: true, kmsKeyId = the audit key's ARN, isMultiRegionTrail: true and leave enableLogging on (AuditTrail does).",
    resourceTypes: [TRAIL],
    hipaa: ["§164.312(c)(1)", "§164.312(c)(2)", "§164.312(a)(2)(iv)"],
    awsConfig: [
      "cloud-trail-log-file-validation-enabled",
      "cloud-trail-encryption-enabled",
      "multi-region-cloudtrail-enabled",
    ],
    anchors: {
      cdkNag: [
        "HIPAA.Security-CloudTrailLogFileValidationEnabled",
        "HIPAA.Security-CloudTrailEncryptionEnabled",
      ],
    },
    severity: "high",
  },
  ({ props }) => {
    const out: string[] = [];
    if (!isUnknown(props.enableLogFileValidation) && bool(props.enableLogFileValidation) !== true)
      out.push("log-file validation is off: changed or deleted log files go unnoticed");
    if (!isUnknown(props.kmsKeyId) && (str(props.kmsKeyId) ?? "") === "")
      out.push("no kmsKeyId: log files are encrypted with an S3-managed key only");
    if (!isUnknown(props.isMultiRegionTrail) && bool(props.isMultiRegionTrail) !== true)
      out.push("not multi-region: calls in other regions are not recorded");
    if (bool(props.enableLogging) === false)
      out.push("enableLogging is false: nothing is recorded");
    return out;
  },
);

/**
 * Audit records cannot be erased before the tier's retention: each trail's bucket has object
 * lock in COMPLIANCE mode (GOVERNANCE can be bypassed) for at least that many days. Access-log
 * targets may not have object lock at all (S3 refuses to deliver server access logs to them).
 * HIPAA §164.316(b)(2)(i) retention (six years), §164.312(c)(1) integrity.
 */
export const s3AuditObjectLock = stackPolicy(
  {
    name: "s3-audit-object-lock",
    description:
      "Trail buckets lock every record in COMPLIANCE mode for the tier's audit retention; access-log buckets have no object lock.",
    remediation:
      'Create the trail bucket with objectLockEnabled and one aws.s3.BucketObjectLockConfiguration { rule.defaultRetention: { mode: "COMPLIANCE", days } } (AuditTrail does, with audit.retentionDays); never enable object lock on an access-log bucket.',
    resourceTypes: [...BUCKET_TYPES, ...SETTING_TYPES.objectLock, TRAIL],
    hipaa: ["§164.316(b)(2)(i)", "§164.312(c)(1)"],
    awsConfig: ["s3-bucket-default-lock-enabled"],
    severity: "critical",
  },
  (resources, ctx) => {
    const needed = AUDIT_RETENTION_DAYS[ctx.tier];
    const destinations = trailDestinations(resources);
    const out: StackFinding[] = [];
    for (const b of indexBuckets(resources).buckets) {
      const locks = b.settings.objectLock;
      if (b.accessLogs) {
        if (bool(b.bucket.props.objectLockEnabled) === true || locks.length > 0)
          out.push(
            finding(
              b,
              `${bucketLabel(b)} is an access-log target with object lock: S3 will not deliver logs to it`,
            ),
          );
        continue;
      }
      if (b.name === undefined || !destinations.has(b.name)) continue;
      if (isUnknown(b.bucket.props.objectLockEnabled)) continue;
      if (bool(b.bucket.props.objectLockEnabled) !== true) {
        out.push(finding(b, `${bucketLabel(b)} receives audit records without object lock`));
        continue;
      }
      const retention = locks.map((l) => rec(rec(rec(l.props.rule).defaultRetention)));
      if (locks.some((l) => isUnknown(l.props.rule))) continue;
      const ok = retention.some((r) => {
        const days = num(r.days) ?? (num(r.years) ?? 0) * 365;
        return str(r.mode) === "COMPLIANCE" && days >= needed;
      });
      if (!ok) {
        const got = retention.map((r) => `${str(r.mode) ?? "?"} ${num(r.days) ?? "?"} days`);
        out.push(
          finding(
            b,
            `${bucketLabel(b)} locks audit records ${got.length > 0 ? `in ${got.join(", ")}` : "with no default retention"}; ${ctx.environment} needs COMPLIANCE for at least ${needed} days`,
          ),
        );
      }
    }
    return out;
  },
);

/**
 * Log groups keep their logs for a set time and encrypt them with a customer-managed key.
 * HIPAA §164.312(b) audit controls, §164.312(a)(2)(iv) encryption.
 */
export const cloudwatchLogGroupRetentionAndKey = resourcePolicy(
  {
    name: "cloudwatch-log-group-retention-kms",
    description:
      "CloudWatch log groups set a retention and are encrypted with a customer-managed KMS key.",
    remediation:
      "Set retentionInDays (the environment's retention.logDays) and kmsKeyId = a key whose policy admits logs.<region>.amazonaws.com (AirflowEnvironment's log groups do).",
    resourceTypes: [LOG_GROUP],
    hipaa: ["§164.312(b)", "§164.312(a)(2)(iv)"],
    awsConfig: ["cloudwatch-log-group-encrypted"],
    anchors: {
      cdkNag: [
        "HIPAA.Security-CloudWatchLogGroupEncrypted",
        "HIPAA.Security-CloudWatchLogGroupRetentionPeriod",
      ],
    },
    severity: "high",
  },
  ({ props }) => {
    const out: string[] = [];
    if (!isUnknown(props.retentionInDays) && (num(props.retentionInDays) ?? 0) <= 0)
      out.push("no retentionInDays: the logs never expire and no retention was decided");
    if (!isUnknown(props.kmsKeyId) && (str(props.kmsKeyId) ?? "") === "")
      out.push("no kmsKeyId: the logs are encrypted with a key the account does not control");
    return out;
  },
);

/** MWAA's log types and the group-name suffix of each. */
const MWAA_GROUPS: readonly (readonly [string, string])[] = [
  ["dagProcessingLogs", "DAGProcessing"],
  ["schedulerLogs", "Scheduler"],
  ["taskLogs", "Task"],
  ["webserverLogs", "WebServer"],
  ["workerLogs", "Worker"],
];

/**
 * MWAA writes into log groups the stack owns (retention, key) instead of creating its own,
 * which never expire and use an AWS-owned key. HIPAA §164.312(b), §164.316(b)(2)(i).
 */
export const mwaaOwnedLogGroups = stackPolicy(
  {
    name: "mwaa-owned-log-groups",
    description:
      "Every MWAA environment's enabled log types go to log groups the stack creates (airflow-<environment>-<type>).",
    remediation:
      "Create aws.cloudwatch.LogGroup airflow-<name>-DAGProcessing, -Scheduler, -Task, -WebServer and -Worker before the environment (AirflowEnvironment does).",
    resourceTypes: [MWAA, LOG_GROUP],
    hipaa: ["§164.312(b)", "§164.316(b)(2)(i)"],
    awsConfig: [],
    anchors: { cdkNag: ["HIPAA.Security-CloudWatchLogGroupRetentionPeriod"] },
    partial: {
      "HIPAA.Security-CloudWatchLogGroupRetentionPeriod":
        "checks that MWAA's groups exist in the stack; their retention is cloudwatch-log-group-retention-kms",
    },
    severity: "high",
    presence: true,
  },
  (resources) => {
    const groups = resources.filter((r) => r.type === LOG_GROUP);
    if (groups.some((g) => isUnknown(g.props.name))) return [];
    const names = new Set(groups.map((g) => str(g.props.name)));
    const out: StackFinding[] = [];
    for (const env of resources.filter((r) => r.type === MWAA)) {
      const name = str(env.props.name);
      if (name === undefined || isUnknown(env.props.loggingConfiguration)) continue;
      const logging = rec(env.props.loggingConfiguration);
      const missing = MWAA_GROUPS.filter(
        ([type, suffix]) =>
          bool(rec(logging[type]).enabled) === true && !names.has(`airflow-${name}-${suffix}`),
      ).map(([, suffix]) => `airflow-${name}-${suffix}`);
      if (missing.length > 0)
        out.push({
          resource: at(env),
          message: `MWAA would create ${missing.join(", ")} itself (no retention, AWS-owned key)`,
        });
    }
    return out;
  },
);

/**
 * MWAA logs at INFO: WARNING and above drop the task-run events an investigation needs; DEBUG
 * writes connection details and task arguments (which may carry PHI) outside development.
 * HIPAA §164.312(b) audit controls.
 */
export const mwaaLogLevel = resourcePolicy(
  {
    name: "mwaa-log-level",
    description: "MWAA log types log at INFO (DEBUG only in development).",
    remediation:
      'Set logLevel "INFO" on every log type of loggingConfiguration (AirflowEnvironment\'s logLevel).',
    resourceTypes: [MWAA],
    hipaa: ["§164.312(b)"],
    awsConfig: [],
    severity: "medium",
  },
  ({ props }, ctx) => {
    if (isUnknown(props.loggingConfiguration)) return [];
    const logging = rec(props.loggingConfiguration);
    const allowed = ctx.tier === "dev" ? ["INFO", "DEBUG"] : ["INFO"];
    const bad = MWAA_GROUPS.map(([type]) => [type, rec(logging[type])] as const)
      .filter(([, c]) => bool(c.enabled) === true && !isUnknown(c.logLevel))
      .filter(([, c]) => !allowed.includes(str(c.logLevel) ?? "INFO"))
      .map(([type, c]) => `${type} ${str(c.logLevel) ?? "?"}`);
    return bad.length > 0
      ? [`log levels ${bad.join(", ")}: ${ctx.environment} logs at ${allowed.join(" or ")}`]
      : [];
  },
);

/** The copy destinations (other accounts' vaults) of a backup plan. */
function offAccountDestinations(plan: Props, own: readonly string[]): string[] {
  return list(plan.rules)
    .flatMap((r) => list(rec(r).copyActions).map((c) => str(rec(c).destinationVaultArn)))
    .filter((arn): arn is string => arn !== undefined)
    .filter((arn) => {
      const account = arn.split(":")[4];
      return account !== undefined && !own.includes(account);
    });
}

/** Whether a selection picks `bucket` (by ARN pattern and the tag conditions it sets). */
function selects(selection: Props, bucket: BucketEntry & { name: string }): Coverage {
  if (isUnknown(selection.resources) || isUnknown(selection.conditions)) return "unknown";
  const arn = `arn:aws:s3:::${bucket.name}`;
  if (!strings(selection.resources).some((p) => wildcardMatches(p, arn))) return false;
  if (strings(selection.notResources).some((p) => wildcardMatches(p, arn))) return false;
  const tags = rec(bucket.bucket.props.tags);
  return list(selection.conditions).every((c) =>
    list(rec(c).stringEquals).every((e) => {
      const key = str(rec(e).key) ?? "";
      const tag = key.startsWith("aws:ResourceTag/") ? key.slice("aws:ResourceTag/".length) : key;
      return str(tags[tag]) === str(rec(e).value);
    }),
  );
}

/**
 * Production PHI has a copy a compromised account cannot destroy: every bucket that may hold PHI
 * is in an AWS Backup selection whose plan copies to a vault of another account. HIPAA
 * §164.308(a)(7)(ii)(A) data backup plan, §164.310(d)(2)(iv) data backup and storage.
 */
export const s3PhiOffAccountCopy = stackPolicy(
  {
    name: "s3-phi-off-account-copy",
    description:
      "In production, every bucket that may hold PHI is backed up by AWS Backup with a copy in another account's vault.",
    remediation:
      "Set offAccountCopy.destinationVaultArn in the environment config (the platform creates an OffAccountCopy of every PHI-tagged bucket).",
    resourceTypes: [...BUCKET_TYPES, BACKUP_PLAN, BACKUP_SELECTION],
    hipaa: ["§164.308(a)(7)(ii)(A)", "§164.310(d)(2)(iv)"],
    awsConfig: ["s3-bucket-replication-enabled"],
    anchors: { cdkNag: ["HIPAA.Security-S3BucketReplicationEnabled"], sra: ["sra-s3-backup"] },
    partial: {
      "s3-bucket-replication-enabled":
        "accepts an AWS Backup copy to another account instead of S3 replication (AWS Config's rule wants replication)",
      "HIPAA.Security-S3BucketReplicationEnabled":
        "accepts an AWS Backup copy to another account instead of S3 replication",
    },
    severity: "high",
    presence: true,
    uses: ["accountIds", "phi"],
  },
  (resources, ctx) => {
    if (ctx.tier !== "prod" || ctx.phi !== "real") return [];
    const plans = new Map(resources.filter((r) => r.type === BACKUP_PLAN).map((p) => [p, p]));
    const copying = resources.filter((r) => {
      if (r.type !== BACKUP_SELECTION) return false;
      const plan = [...plans.keys()].find(
        (p) => r.dependencies.includes(p) || str(r.props.planId) === str(p.props.id),
      );
      return plan !== undefined && offAccountDestinations(plan.props, ctx.accountIds).length > 0;
    });
    const out: StackFinding[] = [];
    for (const b of phiBuckets(resources)) {
      const picks = copying.map((s) => selects(s.props, b));
      if (picks.includes(true) || picks.includes("unknown")) continue;
      out.push(
        finding(b, `${bucketLabel(b)} may hold PHI and has no backup copied to another account`),
      );
    }
    return out;
  },
);

export const auditPolicies = [
  cloudtrailPhiDataEvents,
  cloudtrailIntegrity,
  s3AuditObjectLock,
  cloudwatchLogGroupRetentionAndKey,
  mwaaOwnedLogGroups,
  mwaaLogLevel,
  s3PhiOffAccountCopy,
];
