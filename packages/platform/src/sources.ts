/**
 * The per-source objects of a stack: an ingest role scoped to the source's table prefixes in its
 * domain's landing bucket, a schema per layer with its grants, the tables' specs as workspace
 * files, an ingest job per pipeline (unscheduled: its DAG triggers it) and the DAG files of the
 * stack's pipelines in the environment's DAG bucket.
 */
import { jobAccess, schemaGrants } from "./access";
import * as pulumi from "@pulumi/pulumi";
import { DagFiles, type DagFileInput } from "@hdp/airflow";
import {
  dagFilePath,
  JOB_TASK_RETRIES,
  JOB_TASK_RETRY_INTERVAL_MINUTES,
  MAX_CONCURRENT_RUNS,
  renderDag,
  type DagModel,
} from "@hdp/dags";
import { SourceIngestRole } from "@hdp/iam";
import { IngestJob, locationUrl, WorkspaceFiles, type SchemaLayer } from "@hdp/spark";
import { INGEST_ROOT, JOB_DATE_DEFAULT } from "./ingest-paths";
import { SourceSchemas } from "./catalog";
import { clusterLogPath } from "./cluster-logs";
import { statefulOptions, type DomainPlan, type SourcePlan, type StackPlan } from "./plan";
import type { StackProviders } from "./providers";
import type { CoreRefs, StackExports } from "./refs";
import { sourceSpecsName } from "./names";
import { sourceSpecFolder } from "./table-spec";

/** Path of a source's managed tables inside a layer bucket (apart from raw `<source>/<table>/` prefixes). */
export const MANAGED_PREFIX = "managed";

/** Managed storage root of a source's schema in a layer bucket: `s3://<bucket>/managed/<source>`. */
export function schemaStorageRoot(bucketName: string, source: string): string {
  return locationUrl(bucketName, `${MANAGED_PREFIX}/${source}`);
}

/**
 * Sources created between two turns of the event loop. Creating a shard's thousands of resources
 * in one synchronous run keeps every registration in flight at once: the whole promise graph
 * survives each young-generation GC and is copied again and again. Yielding every few sources
 * lets registrations complete and their temporaries die young — measured under the mock runtime
 * (bench/plan.ts): a 2,226-resource shard 2.5 s → 0.9 s per worker, half the CPU. The engine
 * sees the same resources either way; only the order of registration interleaves.
 */
export const SOURCES_PER_TURN = 2;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Creates every enabled source of the stack; resolves to the per-source exports. */
export async function createSources(
  plan: StackPlan,
  refs: CoreRefs,
  providers: StackProviders,
): Promise<StackExports> {
  const opts = { providers: [...providers.all] };
  const roleArns: Record<string, pulumi.Output<string>> = {};
  const jobIds: Record<string, pulumi.Output<string>> = {};
  const dags = new Map(plan.dags.map((d) => [d.pipelineKey, d]));
  const dagFiles: DagFileInput[] = [];
  for (const [i, s] of plan.sources.entries()) {
    if (i > 0 && i % SOURCES_PER_TURN === 0) await nextTurn();
    const domain = plan.domains.find((d) => d.id === s.domain);
    if (domain === undefined) throw new Error(`source "${s.id}": no lake for domain "${s.domain}"`);
    if (s.ingestTables.length > 0) {
      roleArns[s.id] = createIngestRole(plan, s, domain, refs, opts).roleArn;
    }
    if (s.schemaLayers.length > 0) createSchemas(plan, s, domain, refs, opts);
    // Each table's spec at <root>/specs/<source>/<table>.json: what its job tasks read. The
    // component's root is the source's folder, so its files are named after the table alone.
    const specs =
      s.specs.length > 0
        ? new WorkspaceFiles(sourceSpecsName(s.id), sourceSpecFiles(s.id, s.specs), opts)
        : undefined;
    for (const p of s.pipelines) {
      const job = new IngestJob(
        p.logicalName,
        {
          jobName: p.jobName,
          tasks: p.tasks,
          parameters: { date: JOB_DATE_DEFAULT },
          cluster: {
            policyId: refs.clusterPolicyId(s.domain),
            instancePoolId: refs.instancePoolId(s.domain),
            maxWorkers: plan.environment.compute.maxWorkers,
            // The catalog's name is known from config: shards need no core output for it.
            logVolumePath: clusterLogPath(plan.catalogName, p.jobName),
          },
          onFailure: { emails: [...plan.environment.alertEmails] },
          // Airflow is the scheduler of record: no schedule here. One retry inside the run
          // (a warm cluster); Airflow's retries and timeout cover the rest (see @hdp/dags).
          maxRetries: JOB_TASK_RETRIES,
          minRetryIntervalMillis: JOB_TASK_RETRY_INTERVAL_MINUTES * 60_000,
          taskTimeoutSeconds: p.timeoutMinutes * 60,
          maxConcurrentRuns: Math.min(p.tables.length, MAX_CONCURRENT_RUNS),
          // Jobs run as the environment's service principal, never as whoever deployed them.
          ...(plan.environment.databricks.hardening.jobsRunAs !== undefined
            ? { runAsServicePrincipal: plan.environment.databricks.hardening.jobsRunAs }
            : {}),
          // Admins manage, the domain's engineers run, its readers watch (access.ts); the
          // deployer stays the job's owner.
          access: jobAccess(plan.environment.databricks, s.domain),
          // The identity of Airflow's Databricks connection runs the job (CAN_MANAGE_RUN):
          // without it every DAG run fails with PERMISSION_DENIED on jobs/run-now.
          ...(plan.environment.databricks.hardening.airflowPrincipal !== undefined
            ? { triggeredBy: plan.environment.databricks.hardening.airflowPrincipal }
            : {}),
          tags: s.tags,
        },
        { ...opts, ...(specs !== undefined ? { dependsOn: [specs] } : {}) },
      );
      jobIds[p.key] = job.jobId;
      const dag = dags.get(p.key);
      if (dag === undefined) throw new Error(`pipeline ${p.key} has a job but no DAG`);
      dagFiles.push(dagFile(dag, job.jobId));
    }
  }
  if (dagFiles.length > 0) {
    new DagFiles(
      "dags",
      {
        bucket: { bucketName: plan.dagBucketName, settings: refs.dagBucketSettings ?? [] },
        files: dagFiles,
        tags: plan.dagObjectTags,
      },
      opts,
    );
  }
  return { ingestRoleArns: pulumi.output(roleArns), ingestJobIds: pulumi.output(jobIds) };
}

/** A pipeline's DAG file, naming its job's id once the job exists. */
function dagFile(dag: DagModel, jobId: pulumi.Output<string>): DagFileInput {
  return { path: dagFilePath(dag.dagId), content: jobId.apply((id) => renderDag(dag, id)) };
}

function createIngestRole(
  plan: StackPlan,
  s: SourcePlan,
  domain: DomainPlan,
  refs: CoreRefs,
  opts: pulumi.ComponentResourceOptions,
): SourceIngestRole {
  return new SourceIngestRole(
    s.id,
    {
      source: s.id,
      tables: s.ingestTables,
      bucketNames: [domain.bucketNames.landing],
      kmsKeyArn: refs.kmsKeyArn(s.domain),
      region: plan.region,
      trustedPrincipalArn: refs.mwaaExecutionRoleArn,
      // The execution role is the environment's own: it needs no external id.
      accountId: plan.environment.aws.accountId,
      access: "write",
      roleName: s.roleName,
      tags: s.tags,
    },
    opts,
  );
}

function createSchemas(
  plan: StackPlan,
  s: SourcePlan,
  domain: DomainPlan,
  refs: CoreRefs,
  opts: pulumi.ComponentResourceOptions,
): SourceSchemas {
  const storageRoots: Partial<Record<SchemaLayer, string>> = {};
  const waitFor: pulumi.Resource[] = [];
  for (const layer of s.schemaLayers) {
    storageRoots[layer] = schemaStorageRoot(domain.bucketNames[layer], s.id);
    for (const r of refs.waitFor(s.domain, layer)) if (!waitFor.includes(r)) waitFor.push(r);
  }
  return new SourceSchemas(
    s.id,
    {
      catalogName: refs.catalogName,
      source: s.id,
      classification: s.classification,
      storageRoots,
      waitFor,
      adminGroup: plan.environment.databricks.adminGroup,
      // The environment's groups: engineers read (a domain's own also change) every layer,
      // readers the gold one (see access.ts).
      schemaGrants: s.schemaLayers.flatMap((layer) =>
        schemaGrants(plan.environment.databricks, s.domain, layer).map((g) => ({
          ...g,
          layers: [layer],
        })),
      ),
      tags: s.tags,
    },
    // Stateful: protected and retained (as resource options, which the component honours).
    { ...opts, ...statefulOptions(plan) },
  );
}

/** A source's specs as files under its own folder, `<root>/specs/<source>/` (same paths). */
function sourceSpecFiles(
  source: string,
  specs: readonly { readonly path: string; readonly content: string }[],
): { root: string; files: { path: string; content: string }[] } {
  const folder = `${sourceSpecFolder(source)}/`;
  return {
    root: `${INGEST_ROOT}/${sourceSpecFolder(source)}`,
    files: specs.map((f) => {
      if (!f.path.startsWith(folder))
        throw new Error(`source "${source}": spec ${f.path} is not under ${folder}`);
      return { path: f.path.slice(folder.length), content: f.content };
    }),
  };
}
