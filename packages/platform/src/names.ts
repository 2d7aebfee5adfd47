/**
 * Physical and logical names. Physical names come from @hdp/config's derived-name functions
 * (the names `hdp validate` checked); the few the platform adds are built the same way and
 * checked here before anything is created. Logical names derive only from config ids.
 */
import {
  dagId,
  ingestRoleHead,
  lakeBucketName,
  LAYERS,
  type Environment,
  type Estate,
  type Layer,
  type NameContext,
} from "@hdp/config";

export type { NameContext };

/** The name context of one environment. */
export function nameContext(estate: Estate, environment: Environment): NameContext {
  return {
    org: estate.platform.organization.id,
    env: environment.name,
    accountId: environment.aws.accountId,
  };
}

/** The four layer buckets of a domain's lake, by layer. */
export function lakeBucketNames(c: NameContext, domain: string): Record<Layer, string> {
  return Object.fromEntries(LAYERS.map((l) => [l, lakeBucketName(c, domain, l)])) as Record<
    Layer,
    string
  >;
}

// Checked by `hdp validate` with the other derived names; re-exported for the platform's modules.
export { catalogBucketName, catalogKeyAlias, domainLogBucketName } from "@hdp/config";

/** Workspace names of a domain's cluster policy and instance pool. */
export const clusterPolicyName = (c: NameContext, domain: string, classification: string): string =>
  `${c.org}-${c.env}-${domain}-${classification}`;
export const instancePoolName = (c: NameContext, domain: string): string =>
  `${c.org}-${c.env}-${domain}`;

/** Databricks job name of a pipeline: the environment and the pipeline's DAG id. */
export const ingestJobName = (c: NameContext, source: string, pipeline: string): string =>
  `${c.org}-${c.env}-${dagId(source, pipeline)}`;

/**
 * ARN pattern of every ingest role of the environment (`ingestRoleName` keeps this head even
 * when it shortens a long name), for the MWAA execution role's `sts:AssumeRole`.
 */
export const ingestRoleArnPattern = (c: NameContext): string =>
  `arn:aws:iam::${c.accountId}:role/${ingestRoleHead(c)}-*`;

/** Logical name of a pipeline's job: `--` never occurs in kebab-case ids, so it cannot collide. */
export const pipelineLogicalName = (source: string, pipeline: string): string =>
  `${source}--${pipeline}`;

/** Id of a lake bucket's external location (`<domain>-<layer>`, named `<org>_<env>_<domain>_<layer>`). */
export const locationId = (domain: string, layer: Layer): string => `${domain}-${layer}`;

/** Id of the catalog bucket's external location. */
export const CATALOG_LOCATION_ID = "catalog";

/** Suffix of the logical name of a source's table specs (`WorkspaceFiles`): `<source>-specs`. */
export const SOURCE_SPECS_SUFFIX = "-specs";
/** Logical name of a source's table specs: never the bare source id, which its schemas carry. */
export const sourceSpecsName = (source: string): string => `${source}${SOURCE_SPECS_SUFFIX}`;
