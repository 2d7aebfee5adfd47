/**
 * Which config entries a failure of the program under mocks points at. Components name
 * themselves in their errors (`IngestJob "lab--results": invalid arguments: …`, `ClusterPolicy
 * "clinical"`), and their logical names derive only from config ids: a domain's components are
 * named after the domain, a source's after the source, a pipeline's job
 * `<source>--<pipeline>`. The plan's problem then names the file and line to look at, not only
 * the component. Pure: reads the estate only (no @hdp/platform, so no Pulumi SDK).
 */
import type { Estate, Origin } from "@hdp/config";

/** A config entry a failure message names. */
export interface FailureOrigin {
  readonly kind: "domain" | "source" | "pipeline" | "environment";
  readonly id: string;
  readonly origin: Origin;
}

/**
 * The entries named (in double quotes, as components quote their names) by `messages` of a
 * failed stack of `environment`; the environment's file when a message names none of them.
 */
export function failureOrigins(
  messages: readonly string[],
  estate: Estate,
  environment: string | undefined,
): FailureOrigin[] {
  const byName = new Map<string, FailureOrigin>();
  for (const d of estate.platform.domains) {
    byName.set(d.id, { kind: "domain", id: d.id, origin: d.origin });
  }
  for (const s of estate.sources) byName.set(s.id, { kind: "source", id: s.id, origin: s.origin });
  for (const p of estate.pipelines) {
    // @hdp/platform's pipelineLogicalName: `--` never occurs in kebab-case ids.
    byName.set(`${p.source}--${p.id}`, { kind: "pipeline", id: p.key, origin: p.origin });
  }
  const found = new Map<string, FailureOrigin>();
  for (const m of messages) {
    for (const [, token] of m.matchAll(/"([^"\s]+)"/g)) {
      const hit =
        byName.get(token) ??
        // A child of a component (`lab-ingest-role`): the longest entry name it starts with.
        [...byName.keys()]
          .filter((n) => token.startsWith(`${n}-`))
          .sort((a, b) => b.length - a.length)
          .map((n) => byName.get(n))[0];
      if (hit !== undefined) found.set(`${hit.kind}\0${hit.id}`, hit);
    }
  }
  if (found.size === 0) {
    const env = estate.environments.find((e) => e.name === environment);
    if (env !== undefined) return [{ kind: "environment", id: env.name, origin: env.origin }];
  }
  return [...found.values()].sort((a, b) =>
    a.origin.file === b.origin.file
      ? a.origin.line - b.origin.line
      : a.origin.file < b.origin.file
        ? -1
        : 1,
  );
}

/** `config: sources/lab/source.yaml:1 (source lab), …` */
export function failureOriginLine(origins: readonly FailureOrigin[]): string | undefined {
  if (origins.length === 0) return undefined;
  const parts = origins.map((o) => `${o.origin.file}:${o.origin.line} (${o.kind} ${o.id})`);
  return `config entr${origins.length === 1 ? "y" : "ies"} behind it: ${parts.join(", ")}`;
}
