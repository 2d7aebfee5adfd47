/**
 * Where job clusters deliver their driver and executor logs: a managed Unity Catalog volume in
 * the environment's catalog (its managed storage is the catalog bucket: KMS-encrypted, versioned,
 * access-logged, owned by the platform), never DBFS root.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { componentOptions } from "./catalog";

/** The schema and volume names, and a job's log path (pure). */
export const CLUSTER_LOG_SCHEMA = "hdp_ops";
export const CLUSTER_LOG_VOLUME = "cluster_logs";
export const clusterLogPath = (catalog: string, jobName: string): string =>
  `/Volumes/${catalog}/${CLUSTER_LOG_SCHEMA}/${CLUSTER_LOG_VOLUME}/${jobName}`;

/** Arguments of {@link ClusterLogVolume}. */
export interface ClusterLogVolumeArgs {
  readonly catalogName: pulumi.Input<string>;
  /** Group that administers the catalog: keeps every privilege on the schema. */
  readonly adminGroup: string;
  /** Application id of the service principal jobs run as: may write logs. @default none */
  readonly writer?: string;
  /** Tags, as `hdp.<tag>` schema properties. */
  readonly tags: Readonly<Record<string, string>>;
  /** Resources the schema waits for (the catalog). */
  readonly waitFor?: readonly pulumi.Resource[];
}

/** The `hdp_ops` schema, its managed `cluster_logs` volume and who may write to it. */
export class ClusterLogVolume extends pulumi.ComponentResource {
  public readonly schema: databricks.Schema;
  public readonly volume: databricks.Volume;

  constructor(name: string, args: ClusterLogVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:platform:ClusterLogVolume", name, {}, componentOptions(opts));
    // The schema and volume hold data: the caller's protect/retainOnDelete options apply to them.
    const stateful: pulumi.CustomResourceOptions = {
      parent: this,
      ...(opts?.protect !== undefined ? { protect: opts.protect } : {}),
      ...(opts?.retainOnDelete !== undefined ? { retainOnDelete: opts.retainOnDelete } : {}),
    };
    this.schema = new databricks.Schema(
      `${name}-schema`,
      {
        catalogName: args.catalogName,
        name: CLUSTER_LOG_SCHEMA,
        forceDestroy: false,
        comment:
          "Operational data of health-data-platform (cluster logs), managed by health-data-platform",
        properties: Object.fromEntries(Object.entries(args.tags).map(([k, v]) => [`hdp.${k}`, v])),
      },
      { ...stateful, dependsOn: [...(args.waitFor ?? [])] },
    );
    this.volume = new databricks.Volume(
      `${name}-volume`,
      {
        catalogName: this.schema.catalogName,
        schemaName: this.schema.name,
        name: CLUSTER_LOG_VOLUME,
        volumeType: "MANAGED",
        comment: "Driver and executor logs of the ingest job clusters",
      },
      stateful,
    );
    new databricks.Grants(
      `${name}-grants`,
      {
        schema: pulumi.interpolate`${this.schema.catalogName}.${this.schema.name}`,
        grants: [
          { principal: args.adminGroup, privileges: ["ALL_PRIVILEGES"] },
          ...(args.writer !== undefined
            ? [
                {
                  principal: args.writer,
                  privileges: ["READ_VOLUME", "USE_SCHEMA", "WRITE_VOLUME"],
                },
              ]
            : []),
        ],
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
