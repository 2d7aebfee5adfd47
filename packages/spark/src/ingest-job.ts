import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import type { DataSecurityMode } from "./cluster-policy-definition";
import {
  buildIngestTasks,
  INGEST_JOB_CLUSTER_KEY,
  type IngestTask,
  type IngestTasks,
  validateIngestTasks,
} from "./ingest-job-spec";
import {
  accessControlsOf,
  type GroupPermission,
  JOB_PERMISSION_LEVELS,
  JOB_TRIGGER_LEVEL,
  type JobPermissionLevel,
  validatePermissions,
} from "./permissions";
import { validateQuartzCron, validateTimezone } from "./schedule";
import { isLtsRuntime, isRuntimeKey } from "./runtime";
import {
  assertValid,
  refuseInsecure,
  sortedRecord,
  validateHouseTags,
  validateIntRange,
  validateRetries,
} from "./validation";

/** The job cluster: under a cluster policy, from a pool or with a node type. */
export interface IngestJobClusterArgs {
  /** The cluster policy the job cluster is created under (e.g. `ClusterPolicy.policyId`). */
  readonly policyId: pulumi.Input<string>;
  /**
   * Instance pool of workers and driver; the node type then comes from the pool and the pool's
   * tags from the pool (the cluster sets no custom tags). Exactly one of this and `nodeTypeId`.
   */
  readonly instancePoolId?: pulumi.Input<string>;
  /** Node type of workers and driver. Exactly one of this and `instancePoolId`. */
  readonly nodeTypeId?: string;
  /**
   * Must match the policy's `data_security_mode`. `SINGLE_USER` runs as the job's run-as
   * identity.
   * @default "SINGLE_USER"
   */
  readonly dataSecurityMode?: DataSecurityMode;
  /**
   * A runtime key allowed by the policy.
   * @default unset: the policy's fixed or default `spark_version` applies (`applyPolicyDefaultValues`)
   */
  readonly sparkVersion?: string;
  /** @default 1 */
  readonly minWorkers?: number;
  /** Autoscaling ceiling; keep it within the policy's `maxWorkers`. */
  readonly maxWorkers: number;
  /**
   * Unity Catalog volume path the cluster delivers its driver and executor logs to, e.g.
   * `/Volumes/<catalog>/hdp_ops/cluster_logs/<job>` (owned, encrypted storage; the job's
   * identity needs WRITE VOLUME on it).
   * @default none (logs vanish with the cluster; the policy pack flags it)
   */
  readonly logVolumePath?: string;
}

/** Who hears about a failed run (after its retries). At least one address or destination. */
export interface IngestJobFailureNotifications {
  /** E-mail addresses. @default [] */
  readonly emails?: readonly string[];
  /** Ids of `databricks.NotificationDestination`s (webhook, Slack, PagerDuty…). @default [] */
  readonly webhookDestinationIds?: readonly pulumi.Input<string>[];
}

/** Arguments of {@link IngestJob}. */
export interface IngestJobArgs {
  /** @default the component's name */
  readonly jobName?: string;
  /**
   * Layer tasks (present layers run in order bronze → silver → gold), or keyed tasks with their
   * own dependencies (e.g. one per table and layer).
   */
  readonly tasks: IngestTasks;
  /**
   * Job parameters and their defaults (`{{job.parameters.<name>}}` in task parameters; a run
   * may override them). @default none
   */
  readonly parameters?: Readonly<Record<string, string>>;
  readonly cluster: IngestJobClusterArgs;
  /** Notified when a run fails. Required: a silent failed ingest is a data incident. */
  readonly onFailure: IngestJobFailureNotifications;
  /** Retries per task (1–10; 0 only with `acceptInsecure: ["databricks-job-retries"]`). @default 2 */
  readonly maxRetries?: number;
  /**
   * Policy-pack rules whose finding this job knowingly accepts (e.g. `databricks-job-retries`
   * for `maxRetries: 0`); without them such options are refused at construction. @default []
   */
  readonly acceptInsecure?: readonly string[];
  /**
   * LTS releases (`major.minor`) a pinned `cluster.sparkVersion` must be one of (else refused as
   * `databricks-lts-runtime`). @default {@link DEFAULT_LTS_RUNTIMES}
   */
  readonly ltsRuntimes?: readonly string[];
  /** Wait between a failed attempt and its retry. @default 300000 (5 minutes) */
  readonly minRetryIntervalMillis?: number;
  /** Timeout of each task attempt (1 s–48 h). @default 7200 (2 hours) */
  readonly taskTimeoutSeconds?: number;
  /** Retry an attempt that timed out. @default false */
  readonly retryOnTimeout?: boolean;
  /** Timeout of the whole run, retries included. @default unset (bounded by the task timeouts) */
  readonly timeoutSeconds?: number;
  /** Quartz cron (e.g. `0 0 2 * * ?`; see `cronToQuartz`) and a time zone id. @default unscheduled */
  readonly schedule?: {
    readonly quartzCronExpression: string;
    readonly timezoneId: string;
    /** @default false */
    readonly paused?: boolean;
  };
  /** Application id of the service principal the job runs as. @default the job's creator */
  readonly runAsServicePrincipal?: pulumi.Input<string>;
  /** @default 1 */
  readonly maxConcurrentRuns?: number;
  /**
   * Groups and their level on the job (`CAN_VIEW`, `CAN_MANAGE_RUN`, `CAN_MANAGE`), written as
   * one authoritative `databricks.Permissions`. The owner is never listed: the deploying
   * principal stays `IS_OWNER` (jobs take exactly one owner, never a group). All-users groups
   * never manage a job, and reach a PHI job (its `data-classification` tag) not at all
   * (`databricks-no-broad-permissions`). @default none (only the owner and workspace admins)
   */
  readonly access?: readonly GroupPermission<JobPermissionLevel>[];
  /**
   * Application id of the service principal that triggers the job from outside Databricks (the
   * identity of Airflow's Databricks connection). It gets `CAN_MANAGE_RUN`, in the same
   * `Permissions`: what `DatabricksRunNowOperator` calls needs exactly that — `jobs/run-now`,
   * `jobs/runs/get` and `jobs/runs/get-output` while it waits, `jobs/runs/cancel` when its task
   * is killed — and it never edits, deletes or re-permissions the job (`CAN_MANAGE`).
   * @default none (only the owner, workspace admins and `access` may run it)
   */
  readonly triggeredBy?: pulumi.Input<string>;
  /** The house tags, all required (at most 25: Databricks' limit for job tags). */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A Databricks job (workspace-level provider through the usual resource options) running an
 * ingest's layer tasks bronze → silver → gold on one job cluster created under a cluster
 * policy, with bounded retries, timeouts, failure notifications, an optional schedule and the
 * house tags. Its settings are locked in the UI (`UI_LOCKED`): change them in code.
 */
export class IngestJob extends pulumi.ComponentResource {
  public readonly job: databricks.Job;
  public readonly jobId: pulumi.Output<string>;
  public readonly url: pulumi.Output<string>;
  /** The job's permissions (when `access` lists any group). */
  public readonly permissions?: databricks.Permissions;

  constructor(name: string, args: IngestJobArgs, opts?: pulumi.ComponentResourceOptions) {
    const retry = {
      maxRetries: args.maxRetries ?? 2,
      minRetryIntervalMillis: args.minRetryIntervalMillis ?? 300_000,
      timeoutSeconds: args.taskTimeoutSeconds ?? 7200,
      retryOnTimeout: args.retryOnTimeout ?? false,
    };
    assertValid(`IngestJob "${name}"`, validateIngestJobArgs(args, retry));
    super("hdp:spark:IngestJob", name, {}, opts);

    const emails = args.onFailure.emails ?? [];
    const webhooks = args.onFailure.webhookDestinationIds ?? [];
    this.job = new databricks.Job(
      `${name}-job`,
      {
        name: args.jobName ?? name,
        editMode: "UI_LOCKED",
        maxConcurrentRuns: args.maxConcurrentRuns ?? 1,
        queue: { enabled: true },
        timeoutSeconds: args.timeoutSeconds,
        jobClusters: [jobCluster(args.cluster, args.tags)],
        tasks: buildIngestTasks(args.tasks, retry).map(toJobTask),
        parameters:
          args.parameters !== undefined && Object.keys(args.parameters).length > 0
            ? Object.entries(args.parameters)
                .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
                .map(([name, value]) => ({ name, default: value }))
            : undefined,
        emailNotifications: emails.length > 0 ? { onFailures: [...emails] } : undefined,
        webhookNotifications:
          webhooks.length > 0 ? { onFailures: webhooks.map((id) => ({ id })) } : undefined,
        notificationSettings: { noAlertForCanceledRuns: false, noAlertForSkippedRuns: false },
        schedule: args.schedule && {
          quartzCronExpression: args.schedule.quartzCronExpression,
          timezoneId: args.schedule.timezoneId,
          pauseStatus: args.schedule.paused === true ? "PAUSED" : "UNPAUSED",
        },
        runAs:
          args.runAsServicePrincipal !== undefined
            ? { servicePrincipalName: args.runAsServicePrincipal }
            : undefined,
        tags: sortedRecord(args.tags),
      },
      { parent: this },
    );
    this.jobId = this.job.id;
    this.url = this.job.url;
    if ((args.access ?? []).length > 0 || args.triggeredBy !== undefined) {
      this.permissions = new databricks.Permissions(
        `${name}-job-permissions`,
        {
          jobId: this.job.id,
          accessControls: [
            ...accessControlsOf(JOB_PERMISSION_LEVELS, args.access ?? []),
            ...(args.triggeredBy !== undefined
              ? [{ servicePrincipalName: args.triggeredBy, permissionLevel: JOB_TRIGGER_LEVEL }]
              : []),
          ],
        },
        { parent: this },
      );
    }
    this.registerOutputs({ jobId: this.jobId, url: this.url });
  }
}

/** The job's one cluster: under the policy, from the pool or with a node type. */
function jobCluster(
  cluster: IngestJobClusterArgs,
  tags: Readonly<Record<string, string>>,
): databricks.types.input.JobJobCluster {
  return {
    jobClusterKey: INGEST_JOB_CLUSTER_KEY,
    newCluster: {
      policyId: cluster.policyId,
      applyPolicyDefaultValues: true,
      dataSecurityMode: cluster.dataSecurityMode ?? "SINGLE_USER",
      sparkVersion: cluster.sparkVersion,
      ...(cluster.instancePoolId !== undefined
        ? { instancePoolId: cluster.instancePoolId }
        : {
            nodeTypeId: cluster.nodeTypeId,
            // Explicit: the policy's default driver type would otherwise apply.
            driverNodeTypeId: cluster.nodeTypeId,
            customTags: sortedRecord(tags),
          }),
      autoscale: { minWorkers: cluster.minWorkers ?? 1, maxWorkers: cluster.maxWorkers },
      enableLocalDiskEncryption: true,
      ...(cluster.logVolumePath !== undefined
        ? { clusterLogConf: { volumes: { destination: cluster.logVolumePath } } }
        : {}),
    },
  };
}

/** A planned task as the provider's (mutable) input type. */
function toJobTask(t: IngestTask): databricks.types.input.JobTask {
  return {
    ...t,
    dependsOns: t.dependsOns?.map((d) => ({ ...d })),
    sparkPythonTask: t.sparkPythonTask && {
      ...t.sparkPythonTask,
      parameters: t.sparkPythonTask.parameters && [...t.sparkPythonTask.parameters],
    },
  };
}

/** Every problem with the plain arguments of an ingest job. */
export function validateIngestJobArgs(
  args: IngestJobArgs,
  retry: Parameters<typeof validateIngestTasks>[1],
): string[] {
  const c = args.cluster;
  const problems = [
    ...validateIngestTasks(args.tasks, retry),
    ...validateHouseTags(args.tags),
    ...validateIntRange("cluster.maxWorkers", c.maxWorkers, 1, 1000),
    ...validateIntRange("cluster.minWorkers", c.minWorkers ?? 1, 0, c.maxWorkers),
    ...validateIntRange("maxConcurrentRuns", args.maxConcurrentRuns ?? 1, 1, 1000),
    ...validateRetries(retry.maxRetries, Object.keys(args.tasks).sort(), args.acceptInsecure),
    ...validatePermissions(
      "access",
      { label: "the job", classification: args.tags["data-classification"] },
      JOB_PERMISSION_LEVELS,
      args.access ?? [],
      args.acceptInsecure,
    ),
  ];
  if (
    typeof args.triggeredBy === "string" &&
    !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(args.triggeredBy)
  ) {
    problems.push(
      `triggeredBy: "${args.triggeredBy}" is not a service principal's application id (a UUID)`,
    );
  }
  for (const name of Object.keys(args.parameters ?? {})) {
    if (!/^[\w.-]{1,100}$/.test(name)) {
      problems.push(
        `parameters: "${name}" is not a job parameter name (letters, digits, "_", ".", "-")`,
      );
    }
  }
  if ((c.instancePoolId === undefined) === (c.nodeTypeId === undefined)) {
    problems.push("cluster: give exactly one of instancePoolId and nodeTypeId");
  }
  if (c.sparkVersion !== undefined && !isRuntimeKey(c.sparkVersion)) {
    problems.push(
      `cluster.sparkVersion: "${c.sparkVersion}" is not a runtime key such as "15.4.x-scala2.12"; leave it unset to take the policy's`,
    );
  } else if (c.sparkVersion !== undefined && !isLtsRuntime(c.sparkVersion, args.ltsRuntimes)) {
    problems.push(
      ...refuseInsecure(
        "cluster.sparkVersion",
        "databricks-lts-runtime",
        `job cluster ${INGEST_JOB_CLUSTER_KEY} runs ${c.sparkVersion}, not an LTS runtime`,
        args.acceptInsecure,
      ),
    );
  }
  const emails = args.onFailure.emails ?? [];
  if (emails.length === 0 && (args.onFailure.webhookDestinationIds ?? []).length === 0) {
    problems.push("onFailure: give at least one e-mail address or webhook destination");
  }
  for (const e of emails) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e))
      problems.push(`onFailure.emails: "${e}" is not an e-mail address`);
  }
  if (args.timeoutSeconds !== undefined) {
    problems.push(...validateIntRange("timeoutSeconds", args.timeoutSeconds, 1, 604_800));
  }
  if (args.schedule) {
    problems.push(
      ...validateQuartzCron("schedule.quartzCronExpression", args.schedule.quartzCronExpression),
      ...validateTimezone("schedule.timezoneId", args.schedule.timezoneId),
    );
  }
  if (Object.keys(args.tags).length > 25) {
    problems.push(`tags: ${Object.keys(args.tags).length} tags; Databricks allows 25 on a job`);
  }
  return problems;
}
