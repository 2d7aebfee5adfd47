import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import {
  HOUSE_TAGS,
  KEY_ARN,
  OTHER_ACCOUNT,
  bucketSet,
  contextFor,
  mwaa,
  patch,
  replace,
  res,
} from "../__fixtures__/resources";
import { auditPolicies } from "./audit";

const TRAIL = "aws:cloudtrail/trail:Trail";
const GROUP = "aws:cloudwatch/logGroup:LogGroup";
const LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";

/** A trail as AuditTrail makes it, recording every bucket but `excluded`. */
const trail = (over: Record<string, unknown> = {}, excluded = ["hdp-acme-prod-audit"]) =>
  res(TRAIL, "audit-trail", {
    name: "hdp-prod-phi-access",
    s3BucketName: "hdp-acme-prod-audit",
    kmsKeyId: KEY_ARN,
    enableLogFileValidation: true,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableLogging: true,
    advancedEventSelectors: [
      { name: "m", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
      {
        name: "d",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          { field: "resources.ARN", notStartsWith: excluded.map((b) => `arn:aws:s3:::${b}/`) },
        ],
      },
    ],
    tags: HOUSE_TAGS,
    ...over,
  });

/** The audit bucket: its settings, object lock on, and its lock configuration. */
const auditBucket = (mode = "COMPLIANCE", days = 2192) => [
  ...replace(bucketSet("audit"), "audit-bucket", (r) => patch(r, { objectLockEnabled: true })),
  res(LOCK, "audit-object-lock", {
    bucket: "hdp-acme-prod-audit",
    objectLockEnabled: "Enabled",
    rule: { defaultRetention: { mode, days } },
  }),
];

const group = (type: string, over: Record<string, unknown> = {}) =>
  res(GROUP, `airflow-logs-${type.toLowerCase()}`, {
    name: `airflow-hdp-prod-${type}`,
    retentionInDays: 2192,
    kmsKeyId: KEY_ARN,
    tags: HOUSE_TAGS,
    ...over,
  });
const groups = ["DAGProcessing", "Scheduler", "Task", "WebServer", "Worker"].map((t) => group(t));

const backup = (destination = `arn:aws:backup:us-east-2:${OTHER_ACCOUNT}:backup-vault:copy`) => {
  const plan = res("aws:backup/plan:Plan", "phi-copy-plan", {
    name: "hdp-prod-phi-copy",
    rules: [
      {
        ruleName: "r",
        targetVaultName: "hdp-prod-phi-copy",
        schedule: "cron(0 5 * * ? *)",
        lifecycle: { deleteAfter: 35 },
        copyActions: [{ destinationVaultArn: destination, lifecycle: { deleteAfter: 35 } }],
      },
    ],
    tags: HOUSE_TAGS,
  });
  const selection = res(
    "aws:backup/selection:Selection",
    "phi-copy-selection",
    {
      name: "hdp-prod-phi-copy",
      planId: "[unknown]",
      iamRoleArn: "arn:aws:iam::123456789012:role/backup",
      resources: ["arn:aws:s3:::*"],
      conditions: [
        { stringEquals: [{ key: "aws:ResourceTag/data-classification", value: "phi" }] },
      ],
    },
    { dependencies: [plan.urn] },
  );
  return [plan, selection];
};

/** A core stack's buckets: the access-log target and a lake bucket. */
const core = () => [...bucketSet("logs", { accessLogs: true }), ...bucketSet("gold")];

const cases: RuleCase[] = [
  // cloudtrail-phi-data-events
  {
    rule: "cloudtrail-phi-data-events",
    title: "a trail recording every bucket but its own",
    resources: [...core(), trail()],
  },
  {
    rule: "cloudtrail-phi-data-events",
    title: "an organisation trail named in the config",
    resources: core(),
    context: contextFor("prod", {
      organizationTrailArn: "arn:aws:cloudtrail:us-east-2:111122223333:trail/org",
    }),
  },
  {
    rule: "cloudtrail-phi-data-events",
    title: "a PHI bucket and no trail",
    resources: core(),
    violation: { name: "gold-bucket", message: /no trail of the stack records/ },
  },
  {
    rule: "cloudtrail-phi-data-events",
    title: "a bucket of a shard stack (no access-log bucket: the core's trail records it)",
    resources: bucketSet("gold"),
  },
  {
    rule: "cloudtrail-phi-data-events",
    title: "a trail that leaves the bucket out",
    resources: [...core(), trail({}, ["hdp-acme-prod-audit", "hdp-acme-prod-gold"])],
    violation: { name: "gold-bucket", message: /no trail records every read and write/ },
  },
  {
    rule: "cloudtrail-phi-data-events",
    title: "a trail recording writes only",
    resources: [
      ...core(),
      trail({
        advancedEventSelectors: [
          {
            fieldSelectors: [
              { field: "eventCategory", equals: ["Data"] },
              { field: "resources.type", equals: ["AWS::S3::Object"] },
              { field: "readOnly", equals: ["false"] },
            ],
          },
        ],
      }),
    ],
    violation: { name: "gold-bucket", message: /no trail records every read and write/ },
  },
  // cloudtrail-integrity
  {
    rule: "cloudtrail-integrity",
    title: "validated, encrypted, every region",
    resources: [trail()],
  },
  {
    rule: "cloudtrail-integrity",
    title: "no log-file validation",
    resources: [trail({ enableLogFileValidation: false })],
    violation: { name: "audit-trail", message: /log-file validation is off/ },
  },
  {
    rule: "cloudtrail-integrity",
    title: "no KMS key",
    resources: [trail({ kmsKeyId: undefined })],
    violation: { name: "audit-trail", message: /no kmsKeyId/ },
  },
  // s3-audit-object-lock
  {
    rule: "s3-audit-object-lock",
    title: "COMPLIANCE for six years in prod",
    resources: [...auditBucket(), trail()],
  },
  {
    rule: "s3-audit-object-lock",
    title: "a week in dev",
    resources: [
      ...auditBucket("COMPLIANCE", 7).map((r) =>
        r.inputs.tags !== undefined ? patch(r, { tags: { ...HOUSE_TAGS, environment: "dev" } }) : r,
      ),
      trail({ tags: { ...HOUSE_TAGS, environment: "dev" } }),
    ],
    context: contextFor("dev"),
  },
  {
    rule: "s3-audit-object-lock",
    title: "GOVERNANCE mode (bypassable)",
    resources: [...auditBucket("GOVERNANCE"), trail()],
    violation: { name: "audit-bucket", message: /GOVERNANCE 2192 days; prod needs COMPLIANCE/ },
  },
  {
    rule: "s3-audit-object-lock",
    title: "one year in prod",
    resources: [...auditBucket("COMPLIANCE", 365), trail()],
    violation: { name: "audit-bucket", message: /at least 2192 days/ },
  },
  {
    rule: "s3-audit-object-lock",
    title: "a trail bucket without object lock",
    resources: [...bucketSet("audit"), trail()],
    violation: { name: "audit-bucket", message: /without object lock/ },
  },
  {
    rule: "s3-audit-object-lock",
    title: "an access-log bucket with object lock",
    resources: replace(bucketSet("logs", { accessLogs: true }), "logs-bucket", (r) =>
      patch(r, { objectLockEnabled: true }),
    ),
    violation: { name: "logs-bucket", message: /access-log target with object lock/ },
  },
  // cloudwatch-log-group-retention-kms
  { rule: "cloudwatch-log-group-retention-kms", title: "retention and key", resources: groups },
  {
    rule: "cloudwatch-log-group-retention-kms",
    title: "never expires",
    resources: [group("Task", { retentionInDays: undefined })],
    violation: { name: "airflow-logs-task", message: /no retentionInDays/ },
  },
  {
    rule: "cloudwatch-log-group-retention-kms",
    title: "no key",
    resources: [group("Task", { kmsKeyId: undefined })],
    violation: { name: "airflow-logs-task", message: /no kmsKeyId/ },
  },
  // mwaa-owned-log-groups
  { rule: "mwaa-owned-log-groups", title: "all five groups", resources: [mwaa(), ...groups] },
  {
    rule: "mwaa-owned-log-groups",
    title: "the task group missing",
    resources: [mwaa(), ...groups.filter((g) => g.name !== "airflow-logs-task")],
    violation: { name: "airflow-env", message: /MWAA would create airflow-hdp-prod-Task itself/ },
  },
  // mwaa-log-level
  { rule: "mwaa-log-level", title: "INFO", resources: [mwaa()] },
  {
    rule: "mwaa-log-level",
    title: "WARNING drops task-run events",
    resources: [
      mwaa({
        loggingConfiguration: {
          ...(mwaa().inputs.loggingConfiguration as Record<string, unknown>),
          taskLogs: { enabled: true, logLevel: "WARNING" },
        },
      }),
    ],
    violation: { name: "airflow-env", message: /taskLogs WARNING/ },
  },
  {
    rule: "mwaa-log-level",
    title: "DEBUG in prod",
    resources: [
      mwaa({
        loggingConfiguration: {
          ...(mwaa().inputs.loggingConfiguration as Record<string, unknown>),
          workerLogs: { enabled: true, logLevel: "DEBUG" },
        },
      }),
    ],
    violation: { name: "airflow-env", message: /workerLogs DEBUG: prod logs at INFO/ },
  },
  // s3-phi-off-account-copy
  {
    rule: "s3-phi-off-account-copy",
    title: "every PHI-tagged bucket copied to another account",
    resources: [...core(), ...backup()],
  },
  {
    rule: "s3-phi-off-account-copy",
    title: "not required in stage",
    resources: [
      ...bucketSet("logs", { accessLogs: true, tags: { environment: "stage" } }),
      ...bucketSet("gold", { tags: { environment: "stage" } }),
    ],
    context: contextFor("stage"),
  },
  {
    rule: "s3-phi-off-account-copy",
    title: "no backup in prod",
    resources: core(),
    violation: { name: "gold-bucket", message: /no backup copied to another account/ },
  },
  {
    rule: "s3-phi-off-account-copy",
    title: "a copy into the same account",
    resources: [...core(), ...backup("arn:aws:backup:us-east-2:123456789012:backup-vault:copy")],
    violation: { name: "gold-bucket", message: /no backup copied to another account/ },
  },
];

describe("audit rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(auditPolicies, cases)).toEqual([]);
  });
});
