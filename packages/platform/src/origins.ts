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

type EntryKind = "domain" | "source" | "pipeline";

/** Top-level component types: the kind of entry they are made for, and its id from their name. */
const ENTRY_OF_TYPE: Readonly<
  Record<string, { readonly kind: EntryKind; readonly id: (name: string) => string | undefined }>
> = {
  "hdp:lake:LakeBuckets": { kind: "domain", id: (n) => n },
  "hdp:spark:InstancePool": { kind: "domain", id: (n) => n },
  "hdp:spark:ClusterPolicy": { kind: "domain", id: (n) => n },
  "hdp:iam:SourceIngestRole": { kind: "source", id: (n) => n },
  "hdp:platform:SourceSchemas": { kind: "source", id: (n) => n },
  "hdp:spark:IngestJob": { kind: "pipeline", id: (n) => n },
  // A source's specs are `<id>-specs`; the ingest code's files belong to the environment.
  "hdp:spark:WorkspaceFiles": {
    kind: "source",
    id: (n) =>
      n.endsWith(SOURCE_SPECS_SUFFIX) ? n.slice(0, -SOURCE_SPECS_SUFFIX.length) : undefined,
  },
};

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
  const entries: Record<EntryKind, ReadonlyMap<string, Origin>> = {
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
    const entry = ENTRY_OF_TYPE[top.type];
    const id = entry?.id(top.name);
    out.set(
      r.urn,
      (entry && id !== undefined ? entries[entry.kind].get(id) : undefined) ?? env.origin,
    );
  }
  return out;
}
