/**
 * A small stand-in for @hdp/platform's `buildStack` with the same contract (estate + stack
 * name -> resources in the current Pulumi context, returns the stack's exports): core objects
 * per domain, a role per source, a component with a bucket, settings, a policy and a DAG file
 * per table; shards read core through one StackReference. Tests of the planner use it so they
 * do not depend on the real program's exact resources.
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import {
  effectiveEstate,
  ingestRoleName,
  lakeBucketName,
  type EffectiveTable,
  type Estate,
} from "@hdp/config";

export interface BuildOptions {
  readonly pulumiOrg?: string;
  readonly project?: string;
}

class TableStore extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: { bucket: string; table: EffectiveTable; keyArn: pulumi.Input<string>; protect: boolean },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("hdp:standin:TableStore", name, {}, opts);
    const bucket = new s3.Bucket(
      `${name}-bucket`,
      { bucket: args.bucket, tags: { ...args.table.tags, table: args.table.key } },
      { parent: this, protect: args.protect, retainOnDelete: args.protect },
    );
    new s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      { parent: this },
    );
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-sse`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: args.keyArn,
            },
          },
        ],
      },
      { parent: this },
    );
    new iam.Policy(
      `${name}-read`,
      {
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: [bucket.arn] }],
        }),
      },
      { parent: this, dependsOn: [bucket] },
    );
    new s3.BucketObjectv2(
      `${name}-dag`,
      {
        bucket: bucket.id,
        key: `dags/${args.table.key}.py`,
        content: `# ${args.table.key}\nschedule = ${JSON.stringify(args.table.schedule ?? null)}\n`,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

/** Creates every resource of one stack; returns its exports. */
export function buildStack(
  estate: Estate,
  stackName: string,
  options: BuildOptions = {},
): Record<string, unknown> {
  const env = estate.environments.find((e) => e.stacks.some((s) => s.name === stackName));
  const spec = env?.stacks.find((s) => s.name === stackName);
  if (env === undefined || spec === undefined) throw new Error(`unknown stack ${stackName}`);
  const e = effectiveEstate(estate, env.name);
  const ctx = { org: estate.platform.organization.id, env: env.name, accountId: env.aws.accountId };
  const protect = env.protectStatefulResources;
  const exports: Record<string, unknown> = {};
  const keyArns: Record<string, pulumi.Input<string>> = {};

  if (spec.shard === undefined || spec.shard === "core") {
    for (const d of estate.platform.domains) {
      const key = new kms.Key(`${d.id}-key`, { enableKeyRotation: true }, { protect });
      new kms.Alias(`${d.id}-alias`, {
        name: `alias/${ctx.org}/${ctx.env}/${d.id}`,
        targetKeyId: key.keyId,
      });
      keyArns[d.id] = key.arn;
      exports[`keyArn_${d.id}`] = key.arn;
    }
  }
  if (spec.shard === "core") return exports;
  if (spec.shard !== undefined) {
    const core = new pulumi.StackReference("core", {
      name: `${options.pulumiOrg ?? "organization"}/${options.project ?? "health-data-platform"}/${env.name}-core`,
    });
    for (const d of estate.platform.domains)
      keyArns[d.id] = core.requireOutput(`keyArn_${d.id}`) as pulumi.Output<string>;
  }
  const sources = new Set(spec.sources);
  for (const s of e.sources.filter((x) => x.enabled && sources.has(x.id))) {
    new iam.Role(s.id, {
      name: ingestRoleName(ctx, s.id),
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
      tags: { source: s.id },
    });
    for (const t of e.tables.filter((x) => x.enabled && x.source === s.id)) {
      new TableStore(`${s.id}-${t.id}`, {
        bucket: `${lakeBucketName(ctx, s.domain, "bronze")}-${t.id}`.slice(0, 63),
        table: t,
        keyArn: keyArns[s.domain],
        protect,
      });
    }
  }
  return exports;
}
