/**
 * Loads the whole config tree into one typed {@link Estate}: parse every file with positions,
 * validate each against its schema, then check what spans files (references, uniqueness,
 * cycles, derived names). Every problem is collected; nothing stops at the first.
 */
import { resolve } from "node:path";
import { checkEstate } from "./checks";
import { discover } from "./discover";
import type { ConfigError, Origin } from "./errors";
import { ConfigValidationError, sortErrors } from "./errors";
import type {
  DomainEntry,
  Environment,
  Estate,
  HospitalEntry,
  Platform,
  Source,
  Table,
} from "./estate";
import { buildPipelines } from "./pipelines";
import { environment, platform, source, table } from "./schema";
import type { LoadedSource } from "./loaded-source";
import { buildStacks } from "./stacks";
import { readYamlFile, type ParsedYaml } from "./yaml-file";
import { validateWith } from "./zod-issues";

/** What {@link loadEstate} returns. */
export interface LoadResult {
  /** True when the tree has no errors. */
  readonly ok: boolean;
  /**
   * The estate. With errors, it holds only what validated (files with errors and the entries
   * that depend on them are left out), so read-only tools can still answer over the rest.
   */
  readonly estate: Estate;
  readonly errors: readonly ConfigError[];
  /** Files left out of the estate because of their own errors, sorted. */
  readonly skippedFiles: readonly string[];
}

export type { LoadedSource } from "./loaded-source";

/** Where an entry (an object of the parsed data) starts: its first key. */
/** A YAML mapping of the parsed data (never a list: a list has no first key). */
type Entry = Readonly<Record<string, unknown>>;

const originOf = (parsed: ParsedYaml, node: Entry): Origin => ({
  file: parsed.file,
  ...(parsed.start(node) ?? { line: 1, column: 1 }),
});

/** The raw parsed object at `data[key][index]` (validated, so it exists and is an object). */
const raw = (parsed: ParsedYaml, key: string, index: number): Entry =>
  ((parsed.data as Record<string, unknown[]>)[key] ?? [])[index] as Entry;

/** Loads and validates the tree under `dir`. Never throws for bad input: see `errors`. */
export function loadEstate(dir: string): LoadResult {
  const root = resolve(dir);
  const found = discover(root);
  const errors: ConfigError[] = [...found.errors];
  const skipped = new Set<string>();

  const read = <T>(
    file: string,
    validate: (p: ParsedYaml) => { ok: true; value: T } | { ok: false; errors: ConfigError[] },
  ) => {
    const r = readYamlFile(root, file);
    if (!r.ok) {
      errors.push(...r.errors);
      skipped.add(file);
      return undefined;
    }
    const v = validate(r.parsed);
    if (!v.ok) {
      errors.push(...v.errors);
      skipped.add(file);
      return undefined;
    }
    return { value: v.value, parsed: r.parsed };
  };

  let plat: Platform | undefined;
  if (found.platformFile !== undefined) {
    const r = read(found.platformFile, (p) => validateWith(platform, p));
    if (r !== undefined) {
      const { $schema: _, ...cfg } = r.value;
      plat = {
        ...cfg,
        hospitals: cfg.hospitals.map((h, i): HospitalEntry => ({
          ...h,
          origin: originOf(r.parsed, raw(r.parsed, "hospitals", i)),
        })),
        domains: cfg.domains.map((d, i): DomainEntry => ({
          ...d,
          origin: originOf(r.parsed, raw(r.parsed, "domains", i)),
        })),
        origin: originOf(r.parsed, r.parsed.data as Entry),
      };
    }
  }

  const envs: Omit<Environment, "stacks">[] = [];
  for (const file of found.environmentFiles) {
    const r = read(file, (p) => validateWith(environment, p));
    if (r !== undefined) {
      const { $schema: _, ...cfg } = r.value;
      envs.push({ ...cfg, origin: originOf(r.parsed, r.parsed.data as Entry) });
    }
  }

  const sources: LoadedSource[] = [];
  const tablesByDir = new Map<string, Table[]>();
  for (const sd of found.sourceDirs) {
    if (sd.sourceFile !== undefined) {
      const r = read(sd.sourceFile, (p) => validateWith(source, p));
      if (r !== undefined) {
        sources.push({
          config: r.value,
          file: sd.sourceFile,
          dir: sd.dir,
          origin: originOf(r.parsed, r.parsed.data as Entry),
          pipelineOrigins: r.value.pipelines.map((_, i) =>
            originOf(r.parsed, raw(r.parsed, "pipelines", i)),
          ),
        });
      }
    }
    const tables: Table[] = [];
    for (const file of sd.tableFiles) {
      const r = read(file, (p) => validateWith(table, p));
      if (r !== undefined) {
        const { $schema: _, ...cfg } = r.value;
        tables.push({
          ...cfg,
          source: "", // set once the source's id is known
          key: "",
          columns: cfg.columns.map((c, i) => ({
            ...c,
            origin: originOf(r.parsed, raw(r.parsed, "columns", i)),
          })),
          origin: originOf(r.parsed, r.parsed.data as Entry),
        });
      }
    }
    tablesByDir.set(sd.dir, tables);
  }

  const checked = checkEstate({
    root,
    environmentFiles: found.environmentFiles,
    tableFilesByDir: new Map(found.sourceDirs.map((d) => [d.dir, d.tableFiles])),
    platform: plat,
    environments: envs,
    sources,
    tablesByDir,
  });
  errors.push(...checked.errors);
  for (const f of checked.skippedFiles) skipped.add(f);

  const validSources: Source[] = checked.sources;
  const validTables: Table[] = checked.tables;
  const pipelines = buildPipelines(checked.loadedSources, validTables);
  const environments: Environment[] = envs.map((e) => ({
    ...e,
    stacks: buildStacks(e, validSources),
  }));

  const estate: Estate = {
    root,
    platform: plat ?? emptyPlatform(),
    environments: environments.sort((a, b) => a.name.localeCompare(b.name)),
    sources: validSources,
    tables: validTables,
    pipelines,
  };
  const sorted = sortErrors(errors);
  return { ok: sorted.length === 0, estate, errors: sorted, skippedFiles: [...skipped].sort() };
}

/** Loads the tree and throws a {@link ConfigValidationError} listing every error. */
export function loadEstateOrThrow(dir: string): Estate {
  const r = loadEstate(dir);
  if (!r.ok) throw new ConfigValidationError(r.errors);
  return r.estate;
}

function emptyPlatform(): Platform {
  return {
    organization: { id: "unknown", name: "unknown" },
    aws: { region: "us-east-1" },
    tags: { required: [], defaults: {} },
    hospitals: [],
    domains: [],
    origin: { file: "platform.yaml", line: 1, column: 1 },
  };
}
