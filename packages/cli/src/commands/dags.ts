/**
 * `hdp dags render --env ENV --out DIR`: the Airflow DAG files of one environment (and the
 * `requirements.txt` they need), written for review or for teams that deploy DAG folders their
 * own way. The same files `pulumi up` uploads: @hdp/dags renders both. Job ids come from the
 * stacks' `ingestJobIds` outputs (`pulumi stack output ingestJobIds --json > ids.json`, one file
 * per stack of the environment); without them the files name placeholder ids, for review only.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { formatError, loadEstate } from "@hdp/config";
import { airflowRequirements, assertDagModels, dagModels, renderDags } from "@hdp/dags";
import { EXIT, UsageError, type ExitCode } from "../exit-codes";

export interface DagsRenderOptions {
  readonly configs: string;
  readonly env: string;
  readonly out: string;
  /** JSON files mapping pipeline keys (`<source>/<pipeline>`) to Databricks job ids. */
  readonly jobIds: readonly string[];
}

/** What `hdp dags render` did. */
export type DagsRenderResult =
  | {
      readonly kind: "written";
      readonly out: string;
      readonly files: readonly string[];
      /** Pipelines rendered with a placeholder job id (no id given). */
      readonly placeholders: readonly string[];
    }
  | { readonly kind: "problems"; readonly lines: readonly string[] };

/** Placeholder job id of a pipeline when none is given: a review copy, never deployable. */
export const placeholderJobId = (pipelineKey: string): string => `JOB-ID-OF:${pipelineKey}`;

/** Reads `--job-ids` files: JSON objects of string ids; throws UsageError naming a bad file. */
function readJobIds(files: readonly string[], cwd: string): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const f of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(resolve(cwd, f), "utf8"));
    } catch (e) {
      throw new UsageError(`--job-ids ${f}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new UsageError(`--job-ids ${f}: expected a JSON object of pipeline key -> job id`);
    }
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== "string" && typeof v !== "number") {
        throw new UsageError(`--job-ids ${f}: "${k}" must be a job id (string or number)`);
      }
      ids[k] = String(v);
    }
  }
  return ids;
}

/** Renders every DAG of the environment; writes nothing unless all of it rendered. */
export function runDagsRender(o: DagsRenderOptions, cwd: string): DagsRenderResult {
  const loaded = loadEstate(resolve(cwd, o.configs));
  if (!loaded.ok) return { kind: "problems", lines: loaded.errors.map(formatError) };
  const estate = loaded.estate;
  const environment = estate.environments.find((e) => e.name === o.env);
  if (environment === undefined) {
    throw new UsageError(
      `unknown environment "${o.env}" (environments: ${estate.environments.map((e) => e.name).join(", ")})`,
    );
  }
  const given = readJobIds(o.jobIds, cwd);
  const models = dagModels(estate, o.env);
  try {
    assertDagModels(models);
  } catch (e) {
    return { kind: "problems", lines: [e instanceof Error ? e.message : String(e)] };
  }
  const placeholders = models.filter((m) => given[m.pipelineKey] === undefined);
  const ids = Object.fromEntries(
    models.map((m) => [m.pipelineKey, given[m.pipelineKey] ?? placeholderJobId(m.pipelineKey)]),
  );
  const files = [
    ...renderDags(estate, o.env, ids),
    { path: "requirements.txt", content: airflowRequirements(environment.airflow.version) },
  ];
  const out = resolve(cwd, o.out);
  mkdirSync(out, { recursive: true });
  for (const f of files) writeFileSync(join(out, f.path), f.content);
  return {
    kind: "written",
    out,
    files: files.map((f) => f.path),
    placeholders: placeholders.map((m) => m.pipelineKey),
  };
}

export function renderDagsText(r: DagsRenderResult): string {
  if (r.kind === "problems") return `${r.lines.join("\n")}\n`;
  const dags = r.files.filter((f) => f.endsWith(".py")).length;
  const note =
    r.placeholders.length > 0
      ? `\n${r.placeholders.length} DAG(s) name a placeholder job id (no --job-ids entry): for review, not for deploying: ${r.placeholders.join(", ")}`
      : "";
  return `wrote ${dags} DAG files and requirements.txt to ${r.out}${note}\n`;
}

export const dagsRenderExitCode = (r: DagsRenderResult): ExitCode =>
  r.kind === "written" ? EXIT.ok : EXIT.problems;

/** Adds `hdp dags render` to the program. */
export function registerDags(
  program: Command,
  io: {
    readonly stdout: (t: string) => void;
    readonly stderr: (t: string) => void;
    readonly cwd: string;
  },
  setExit: (code: ExitCode) => void,
): void {
  const dags = program.command("dags").description("the Airflow DAG files the config generates");
  dags
    .command("render")
    .description("write one environment's DAG files and requirements.txt to a folder")
    .requiredOption("--env <env>", "the environment")
    .requiredOption("--out <dir>", "the folder to write to (created if missing)")
    .option("--configs <dir>", "the configs directory", "configs")
    .option(
      "--job-ids <file>",
      "JSON of pipeline key -> Databricks job id (`pulumi stack output ingestJobIds --json`); repeatable",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .action((opts: { env: string; out: string; configs: string; jobIds: string[] }) => {
      const result = runDagsRender(
        { configs: opts.configs, env: opts.env, out: opts.out, jobIds: opts.jobIds },
        io.cwd,
      );
      if (result.kind === "problems") io.stderr(renderDagsText(result));
      else io.stdout(renderDagsText(result));
      setExit(dagsRenderExitCode(result));
    });
}
