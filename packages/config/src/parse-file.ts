/**
 * One config file's own work, the part of a load that needs no other file: read it, parse it
 * with positions, validate it against its kind's schema and locate its entries. The result is
 * plain data (the located value, or the file's own errors), so it may be computed on a worker
 * thread (see parse-files.ts) and is what the parse cache keeps.
 */
import { createHash } from "node:crypto";
import type { Discovered } from "./discover";
import type { ConfigError, Origin } from "./errors";
import type { DomainEntry, Environment, HospitalEntry, Platform, Table } from "./estate";
import type { LoadedSource } from "./loaded-source";
import type { FileResult } from "./parse-cache";
import { environment, platform, source, table } from "./schema";
import { readYamlFile, type ParsedYaml } from "./yaml-file";
import { validateWith } from "./zod-issues";

/** What a config file declares, so which schema it is validated against. */
export type FileKind = "platform" | "environment" | "source" | "table";

/** One file to parse: its path (relative to the root), its kind, and its source's directory. */
export interface FileJob {
  readonly file: string;
  readonly kind: FileKind;
  /** `sources/<dir>` of a source or table file; "" for the others. */
  readonly dir: string;
}

/** Every file of a tree, in the loader's order: platform, environments, each source's files. */
export function jobsOf(found: Discovered): FileJob[] {
  const jobs: FileJob[] = [];
  if (found.platformFile !== undefined)
    jobs.push({ file: found.platformFile, kind: "platform", dir: "" });
  for (const file of found.environmentFiles) jobs.push({ file, kind: "environment", dir: "" });
  for (const sd of found.sourceDirs) {
    if (sd.sourceFile !== undefined)
      jobs.push({ file: sd.sourceFile, kind: "source", dir: sd.dir });
    for (const file of sd.tableFiles) jobs.push({ file, kind: "table", dir: sd.dir });
  }
  return jobs;
}

/** A file's result, and the SHA-256 (hex) of the very bytes parsed when asked and read. */
export interface ParsedFile {
  readonly result: FileResult;
  readonly sha256?: string;
}

/** A YAML mapping of the parsed data (never a list: a list has no first key). */
type Entry = Readonly<Record<string, unknown>>;

/** Where an entry (an object of the parsed data) starts: its first key. */
const originOf = (parsed: ParsedYaml, node: Entry): Origin => ({
  file: parsed.file,
  ...(parsed.start(node) ?? { line: 1, column: 1 }),
});

/** The raw parsed object at `data[key][index]` (validated, so it exists and is an object). */
const raw = (parsed: ParsedYaml, key: string, index: number): Entry =>
  ((parsed.data as Record<string, unknown[]>)[key] ?? [])[index] as Entry;

type Validated<T> = { ok: true; value: T } | { ok: false; errors: ConfigError[] };

/**
 * Reads, parses and validates `root/job.file` (`given`: its bytes, when already read). With
 * `hash`, the bytes read are hashed (the parse cache keys the result by them).
 */
export function parseFile(root: string, job: FileJob, hash: boolean, given?: Buffer): ParsedFile {
  let sha256: string | undefined;
  const r = readYamlFile(
    root,
    job.file,
    hash ? (b) => (sha256 = createHash("sha256").update(b).digest("hex")) : undefined,
    given,
  );
  const result = r.ok ? validate(job, r.parsed) : r;
  return sha256 === undefined ? { result } : { result, sha256 };
}

function validate(job: FileJob, p: ParsedYaml): Validated<unknown> {
  switch (job.kind) {
    case "platform":
      return validatePlatform(p);
    case "environment":
      return validateEnvironment(p);
    case "source":
      return validateSource(p, job);
    case "table":
      return validateTable(p);
  }
  // Only a caller's bug gets here (the kinds come from discovery).
  throw new Error(`${job.file}: no schema for files of kind "${String(job.kind)}"`);
}

function validatePlatform(p: ParsedYaml): Validated<Platform> {
  const v = validateWith(platform, p);
  if (!v.ok) return v;
  const { $schema: _, ...cfg } = v.value;
  const value: Platform = {
    ...cfg,
    hospitals: cfg.hospitals.map((h, i): HospitalEntry => ({
      ...h,
      origin: originOf(p, raw(p, "hospitals", i)),
    })),
    domains: cfg.domains.map((d, i): DomainEntry => ({
      ...d,
      origin: originOf(p, raw(p, "domains", i)),
    })),
    origin: originOf(p, p.data as Entry),
  };
  return { ok: true, value };
}

function validateEnvironment(p: ParsedYaml): Validated<Omit<Environment, "stacks">> {
  const v = validateWith(environment, p);
  if (!v.ok) return v;
  const { $schema: _, ...cfg } = v.value;
  return { ok: true, value: { ...cfg, origin: originOf(p, p.data as Entry) } };
}

function validateSource(p: ParsedYaml, job: FileJob): Validated<LoadedSource> {
  const v = validateWith(source, p);
  if (!v.ok) return v;
  const value: LoadedSource = {
    config: v.value,
    file: job.file,
    dir: job.dir,
    origin: originOf(p, p.data as Entry),
    pipelineOrigins: v.value.pipelines.map((_, i) => originOf(p, raw(p, "pipelines", i))),
  };
  return { ok: true, value };
}

function validateTable(p: ParsedYaml): Validated<Table> {
  const v = validateWith(table, p);
  if (!v.ok) return v;
  const { $schema: _, ...cfg } = v.value;
  const value: Table = {
    ...cfg,
    source: "", // set once the source's id is known
    key: "",
    columns: cfg.columns.map((c, i) => ({
      ...c,
      origin: originOf(p, raw(p, "columns", i)),
    })),
    origin: originOf(p, p.data as Entry),
  };
  return { ok: true, value };
}
