/** `configs/sources/<source>/source.yaml`: one source system feeding the lake. */
import { z } from "zod";
import { classification, DOMAIN_IDS, kebabId, owner, schedule, snakeId, tags } from "./common";

/** The name of an AWS Secrets Manager secret holding credentials: never the secret itself. */
export const secretName = z.string().regex(/^hdp\/[A-Za-z0-9/_+=.@-]{1,500}$/, {
  message:
    'must be the name of a Secrets Manager secret under "hdp/", such as "hdp/epic-clarity/reader" (never a credential)',
});

const database = z.strictObject({
  kind: z.literal("database"),
  engine: z.enum(["sqlserver", "oracle", "postgres", "mysql", "db2"]),
  host: z.string().min(1),
  port: z.int().min(1).max(65535),
  database: z.string().min(1),
  secretName,
});
const sftp = z.strictObject({
  kind: z.literal("sftp"),
  host: z.string().min(1),
  path: z.string().startsWith("/", { message: 'must be an absolute path such as "/outbound"' }),
  filePattern: z.string().min(1),
  secretName,
});
const api = z.strictObject({
  kind: z.literal("api"),
  baseUrl: z.url({ protocol: /^https$/, message: "must be an https URL" }),
  auth: z.enum(["oauth2", "api-key", "mtls"]),
  secretName,
});
const stream = z.strictObject({
  kind: z.literal("stream"),
  platform: z.enum(["kinesis", "kafka"]),
  topic: z.string().min(1),
  secretName: secretName.optional(),
});
const fileDrop = z.strictObject({
  kind: z.literal("file-drop"),
  format: z.enum(["csv", "parquet", "json", "hl7", "fastq", "bam", "vcf"]),
  filePattern: z.string().min(1),
});

/** How the platform reaches the source; `kind` selects the shape. */
export const connection = z.discriminatedUnion("kind", [database, sftp, api, stream, fileDrop]);
export type Connection = z.infer<typeof connection>;
export const SOURCE_KINDS = ["database", "sftp", "api", "stream", "file-drop"] as const;

/** Airflow retries of a DAG's tasks (the Databricks tasks themselves do not retry). */
const retries = z.int().min(0).max(10);
/** Timeout of one task, in minutes: at most 48 h (Databricks' limit for a task). */
const timeoutMinutes = z.int().min(1).max(2880);

/** A group of the source's tables that runs as one Airflow DAG. */
export const pipeline = z.strictObject({
  id: kebabId,
  description: z.string().optional(),
  /** Table ids of this source. */
  tables: z.array(snakeId).min(1),
  /** Defaults to the source's schedule. */
  schedule: schedule.optional(),
  /** Pipelines that must finish first, as "<source>/<pipeline>". */
  dependsOn: z.array(z.string()).default([]),
  /** Airflow retries of each task. Defaults to the source's. */
  retries: retries.optional(),
  /** Longest one task may run, in minutes (Airflow and Databricks both stop it). Defaults to the source's. */
  timeoutMinutes: timeoutMinutes.optional(),
});
export type PipelineConfig = z.infer<typeof pipeline>;

/** Per-environment changes to a source. */
export const sourceOverlay = z.strictObject({
  enabled: z.boolean().optional(),
  schedule: schedule.optional(),
  /** A different credential for this environment. */
  secretName: secretName.optional(),
});

export const source = z.strictObject({
  $schema: z.string().optional(),
  id: kebabId,
  name: z.string().min(1),
  description: z.string().optional(),
  domain: z.enum(DOMAIN_IDS),
  /** Hospital ids the source serves, or "all". */
  hospitals: z.union([z.literal("all"), z.array(kebabId).min(1)]),
  owner,
  /** The most sensitive data the source delivers; its tables may not exceed it. */
  classification,
  connection,
  /** Default schedule of the source's pipelines. */
  schedule,
  pipelines: z.array(pipeline).default([]),
  /** Airflow retries of each task of the source's DAGs. @default 2 */
  retries: retries.optional(),
  /** Longest one task of the source's DAGs may run, in minutes. @default 120 */
  timeoutMinutes: timeoutMinutes.optional(),
  tags: tags.default({}),
  /** Overrides per environment name (dev, stage, prod). */
  environments: z.record(z.string(), sourceOverlay).default({}),
});
export type SourceConfig = z.infer<typeof source>;
