/**
 * Engine events in the shapes the Automation API delivers to `onEvent` (the engine's
 * `apitype.EngineEvent` JSON, as typed in `@pulumi/pulumi/automation/events.d.ts`): a refresh
 * preview of prod-core where a lake bucket's versioning was suspended in the console, one
 * access-log bucket was deleted, and a KMS key's description changed outputs only.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";

export const PROJECT = "health-data-platform";
export const urn = (stack: string, type: string, name: string): string =>
  `urn:pulumi:${stack}::${PROJECT}::${type}::${name}`;
export const ROOT = urn("prod-core", "pulumi:pulumi:Stack", `${PROJECT}-prod-core`);
export const LAKE = urn("prod-core", "hdp:lake:LakeBuckets", "clinical");
export const VERSIONING = urn(
  "prod-core",
  "hdp:lake:LakeBuckets$aws:s3/bucketVersioning:BucketVersioning",
  "clinical-bronze-versioning",
);
export const LOGS = urn("prod-core", "hdp:lake:LakeBuckets$aws:s3/bucket:Bucket", "clinical-logs");
export const KEY = urn("prod-core", "aws:kms/key:Key", "prod-lake-key");
export const AWS_PROVIDER = `${urn("prod-core", "pulumi:providers:aws", "default_7_48_0")}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`;

let seq = 0;
const state = (type: string, u: string, parent: string, extra: Record<string, unknown> = {}) => ({
  type,
  urn: u,
  custom: !type.startsWith("hdp:") && !type.startsWith("pulumi:pulumi"),
  id: "",
  parent,
  inputs: {},
  outputs: {},
  provider: type.startsWith("hdp:") ? "" : AWS_PROVIDER,
  ...extra,
});
const pre = (
  op: string,
  type: string,
  u: string,
  parent: string,
  more: Record<string, unknown> = {},
): EngineEvent =>
  ({
    sequence: ++seq,
    timestamp: 1764800000 + seq,
    resourcePreEvent: {
      metadata: {
        op,
        urn: u,
        type,
        old: state(type, u, parent),
        new: state(type, u, parent),
        provider: AWS_PROVIDER,
        ...more,
      },
      planning: true,
    },
  }) as EngineEvent;

export const refreshPreviewEvents: EngineEvent[] = [
  { sequence: ++seq, timestamp: 1764800000, preludeEvent: { config: {} } },
  pre("refresh", "pulumi:pulumi:Stack", ROOT, ""),
  pre("same", "pulumi:pulumi:Stack", ROOT, ""),
  pre("same", "hdp:lake:LakeBuckets", LAKE, ROOT),
  pre("refresh", "aws:s3/bucketVersioning:BucketVersioning", VERSIONING, LAKE, {
    diffs: ["versioningConfiguration"],
    detailedDiff: { "versioningConfiguration.status": { diffKind: "update", inputDiff: false } },
  }),
  pre("update", "aws:s3/bucketVersioning:BucketVersioning", VERSIONING, LAKE, {
    diffs: ["versioningConfiguration"],
    detailedDiff: { "versioningConfiguration.status": { diffKind: "update", inputDiff: true } },
  }),
  pre("create", "aws:s3/bucket:Bucket", LOGS, LAKE, { old: undefined }),
  pre("refresh", "aws:kms/key:Key", KEY, ROOT, {
    detailedDiff: { description: { diffKind: "update", inputDiff: false } },
  }),
  pre("same", "aws:kms/key:Key", KEY, ROOT),
  {
    sequence: ++seq,
    timestamp: 1764800100,
    diagnosticEvent: {
      message: "error: no changes were expected but changes were proposed\n",
      color: "never",
      severity: "error",
    },
  },
  {
    sequence: ++seq,
    timestamp: 1764800101,
    summaryEvent: {
      maybeCorrupt: false,
      durationSeconds: 41,
      resourceChanges: { same: 3, update: 1, create: 1 },
      policyPacks: { "health-data-platform": "0.1.0" },
    },
  },
];

export const policyEvent: EngineEvent = {
  sequence: 99,
  timestamp: 1764800050,
  policyEvent: {
    resourceUrn: LOGS,
    message: "Access-log buckets must use SSE-S3.\n",
    color: "never",
    policyName: "s3-access-log-encryption",
    policyPackName: "health-data-platform",
    policyPackVersion: "0.1.0",
    policyPackVersionTag: "0.1.0",
    enforcementLevel: "mandatory",
  },
};

/** `Stack.exportStack()` of a stack holding aws and databricks resources. */
export const exportedState = {
  version: 3,
  deployment: {
    manifest: { time: "2026-11-30T12:00:00Z", magic: "", version: "v3.210.0" },
    secrets_providers: { type: "passphrase", state: { salt: "v1:x" } },
    resources: [
      { urn: ROOT, custom: false, type: "pulumi:pulumi:Stack" },
      {
        urn: urn("prod-core", "pulumi:providers:aws", "default_7_48_0"),
        custom: true,
        id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        type: "pulumi:providers:aws",
        inputs: { region: "us-east-1", version: "7.48.0" },
      },
      {
        urn: urn("prod-core", "pulumi:providers:databricks", "workspace"),
        custom: true,
        id: "7c1e",
        type: "pulumi:providers:databricks",
        parent: ROOT,
      },
      { urn: LAKE, custom: false, type: "hdp:lake:LakeBuckets", parent: ROOT },
      {
        urn: LOGS,
        custom: true,
        id: "org-prod-clinical-logs",
        type: "aws:s3/bucket:Bucket",
        parent: LAKE,
        provider: AWS_PROVIDER,
      },
      {
        urn: urn("prod-core", "databricks:index/catalog:Catalog", "prod-clinical"),
        custom: true,
        id: "prod_clinical",
        type: "databricks:index/catalog:Catalog",
        parent: ROOT,
        provider: `${urn("prod-core", "pulumi:providers:databricks", "workspace")}::7c1e`,
      },
      {
        urn: urn("prod-core", "databricks:index/schema:Schema", "prod-clinical-bronze"),
        custom: true,
        id: "prod_clinical.bronze",
        type: "databricks:index/schema:Schema",
        parent: ROOT,
        provider: `${urn("prod-core", "pulumi:providers:databricks", "workspace")}::7c1e`,
      },
    ],
  },
};
