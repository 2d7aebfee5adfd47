/**
 * `hdp explain <source>/<table>`: where reads of a table are recorded in each environment (the
 * audit trail, its locked storage, Databricks' audit log). Data from @hdp/config; here only the
 * command line and the renderer.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { formatError, loadEstate, tableAuditRecord, type TableAuditRecord } from "@hdp/config";
import { EXIT, UsageError, type ExitCode } from "../exit-codes";

export interface ExplainResult {
  readonly kind: "explained" | "config-errors";
  readonly records: readonly TableAuditRecord[];
  readonly lines: readonly string[];
}

/** Loads the estate and explains `table` in `env` (every environment when unset). */
export function runExplain(configs: string, table: string, env?: string): ExplainResult {
  const loaded = loadEstate(configs);
  if (!loaded.ok)
    return { kind: "config-errors", records: [], lines: loaded.errors.map(formatError) };
  const estate = loaded.estate;
  if (!estate.tables.some((t) => t.key === table)) {
    throw new UsageError(
      `unknown table "${table}" (give <source>/<table>, e.g. ${estate.tables[0]?.key ?? "lab/results"})`,
    );
  }
  const envs = estate.environments.map((e) => e.name);
  if (env !== undefined && !envs.includes(env)) {
    throw new UsageError(`unknown environment "${env}" (environments: ${envs.join(", ")})`);
  }
  const records = (env !== undefined ? [env] : envs)
    .map((e) => tableAuditRecord(estate, table, e))
    .filter((r): r is TableAuditRecord => r !== undefined);
  return { kind: "explained", records, lines: [] };
}

/** The text of `hdp explain`. */
export function renderExplainText(r: ExplainResult): string {
  if (r.kind === "config-errors") return `${r.lines.join("\n")}\n`;
  const out: string[] = [];
  for (const x of r.records) {
    out.push(
      `${x.table} in ${x.environment} (${x.classification}${x.enabled ? "" : ", disabled here"})`,
      `  objects:            ${x.objects.join(", ")}`,
      ...(x.catalogTables.length > 0
        ? [`  catalog tables:     ${x.catalogTables.join(", ")}`]
        : []),
      `  S3 reads/writes:    CloudTrail data events, trail ${x.trailArn}${x.organizationTrail ? " (organisation trail)" : ""}`,
      `  kept in:            ${x.trailLogs}${x.lockedDays !== undefined ? ` (object lock COMPLIANCE, ${x.lockedDays} days; log-file validation on)` : ""}`,
      `  Databricks reads:   ${x.databricksAudit}`,
      "",
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}

export function explainExitCode(r: ExplainResult): ExitCode {
  return r.kind === "config-errors" ? EXIT.problems : EXIT.ok;
}

export function registerExplain(
  program: Command,
  io: { readonly stdout: (t: string) => void; readonly cwd: string },
  setExit: (c: ExitCode) => void,
): void {
  program
    .command("explain")
    .description("show where reads of a table (<source>/<table>) are recorded, per environment")
    .argument("<table>", "the table, as <source>/<table>")
    .option("--configs <dir>", "the configs directory", "configs")
    .option("--env <env>", "one environment only")
    .action((table: string, opts: { configs: string; env?: string }) => {
      const r = runExplain(resolve(io.cwd, opts.configs), table, opts.env);
      io.stdout(renderExplainText(r));
      setExit(explainExitCode(r));
    });
}
