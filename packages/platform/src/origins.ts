/**
 * Which config entry made a resource, so plans and policy findings point engineers at the file
 * and line to change. Every resource belongs to one top-level component, created for one entry:
 * a domain's lake, pool and cluster policy (platform.yaml), a source's ingest role and schemas

 * (its source.yaml) and its table specs, a pipeline's job (where the pipeline is declared); everything else (keys,
 * MWAA, catalog, providers) comes from the environment's file. Pure: reads the estate only.
 */
import type { Estate, Origin } from "@hdp/config";
import { pipelineLogicalName, SOURCE_SPECS_SUFFIX } from "./names";

/** What the lookup needs of a recorded resource. */
export interface ResourceLike {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string | null;
}

/** Top-level component types and the kind of entry their logical name is the id of. */
const ENTRY_OF_TYPE: Readonly<Record<string, "domain" | "source" | "pipeline">> = {
  "hdp:lake:LakeBuckets": "domain",
  "hdp:spark:InstancePool": "domain",
  "hdp:spark:ClusterPolicy": "domain",
  "hdp:iam:SourceIngestRole": "source",
  "hdp:platform:SourceSchemas": "source",
  "hdp:spark:IngestJob": "pipeline",
  "hdp:spark:WorkspaceFiles": "source",
};

/** The entry id a top-level component's logical name stands for (a source's specs: `<id>-specs`). */
const entryId = (type: string, name: string): string =>
  type === "hdp:spark:WorkspaceFiles" && name.endsWith(SOURCE_SPECS_SUFFIX)
    ? name.slice(0, -SOURCE_SPECS_SUFFIX.length)
    : name;

const ROOT_TYPE = "pulumi:pulumi:Stack";

/**
 * The origin of every resource of one stack's recording (by URN): the config entry its top-level
 * component was created for, else the environment's file. Resources of an unknown stack get none.
 */
export function resourceOrigins(
  estate: Estate,
  stackName: string,
  resources: readonly ResourceLike[],
): Map<string, Origin> {
  const env = estate.environments.find((e) => e.stacks.some((s) => s.name === stackName));
  const out = new Map<string, Origin>();
  if (env === undefined) return out;
  const entries: Record<"domain" | "source" | "pipeline", ReadonlyMap<string, Origin>> = {
    domain: new Map(estate.platform.domains.map((d) => [d.id, d.origin])),
    source: new Map(estate.sources.map((s) => [s.id, s.origin])),
    pipeline: new Map(estate.pipelines.map((p) => [pipelineLogicalName(p.source, p.id), p.origin])),
  };
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const topOf = (r: ResourceLike): ResourceLike => {
    let top = r;
    for (let i = 0; i < 64; i++) {
      const parent = top.parent ? byUrn.get(top.parent) : undefined;
      if (parent === undefined || parent.type === ROOT_TYPE) break;
      top = parent;
    }
    return top;
  };
  for (const r of resources) {
    const top = topOf(r);
    const kind = ENTRY_OF_TYPE[top.type];
    out.set(
      r.urn,
      (kind !== undefined ? entries[kind].get(entryId(top.type, top.name)) : undefined) ??
        env.origin,
    );
  }
  return out;
}
