/**
 * The per-source objects of a stack: an ingest role scoped to the source's table prefixes in its
 * domain's landing bucket, a schema per layer with its grants, and an ingest job per pipeline.
 */
import * as pulumi from "@pulumi/pulumi";
import { SourceIngestRole } from "@hdp/iam";
import { IngestJob, locationUrl, type SchemaLayer } from "@hdp/spark";
import { SourceSchemas } from "./catalog";
import { clusterLogPath } from "./cluster-logs";
import { statefulOptions, type DomainPlan, type SourcePlan, type StackPlan } from "./plan";
import type { StackProviders } from "./providers";
import type { CoreRefs, StackExports } from "./refs";

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
  for (const [i, s] of plan.sources.entries()) {
    if (i > 0 && i % SOURCES_PER_TURN === 0) await nextTurn();
    const domain = plan.domains.find((d) => d.id === s.domain);
    if (domain === undefined) throw new Error(`source "${s.id}": no lake for domain "${s.domain}"`);
    if (s.ingestTables.length > 0) {
      roleArns[s.id] = createIngestRole(plan, s, domain, refs, opts).roleArn;
    }
    if (s.schemaLayers.length > 0) createSchemas(plan, s, domain, refs, opts);
    for (const p of s.pipelines) {
      const job = new IngestJob(
        p.logicalName,
        {
          jobName: p.jobName,
          tasks: p.tasks,
          cluster: {
            policyId: refs.clusterPolicyId(s.domain),
            instancePoolId: refs.instancePoolId(s.domain),
            maxWorkers: plan.environment.compute.maxWorkers,
            // The catalog's name is known from config: shards need no core output for it.
            logVolumePath: clusterLogPath(plan.catalogName, p.jobName),
          },
          onFailure: { emails: [...plan.environment.alertEmails] },
          ...(p.schedule !== undefined ? { schedule: p.schedule } : {}),
          // Jobs run as the environment's service principal, never as whoever deployed them.
          ...(plan.environment.databricks.hardening.jobsRunAs !== undefined
            ? { runAsServicePrincipal: plan.environment.databricks.hardening.jobsRunAs }
            : {}),
          tags: s.tags,
        },
        opts,
      );
      jobIds[p.key] = job.jobId;
    }
  }
  return { ingestRoleArns: pulumi.output(roleArns), ingestJobIds: pulumi.output(jobIds) };
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
      tags: s.tags,
    },
    // Stateful: protected and retained (as resource options, which the component honours).
    { ...opts, ...statefulOptions(plan) },
  );
}
