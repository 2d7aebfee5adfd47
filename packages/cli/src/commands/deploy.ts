/**
 * `hdp deploy`, `hdp rollback`, `hdp drift`: the command lines over @hdp/deploy (the
 * orchestration on the Pulumi Automation API). Here only options, renderers and exit codes.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Writable } from "node:stream";
import { InvalidArgumentError, Option, type Command } from "commander";
import { formatError, loadEstate, type Estate } from "@hdp/config";
import {
  automationEngine,
  deploy,
  deployExitCode,
  deployGraph,
  DeployUsageError,
  detectDrift,
  driftExitCode,
  fileLedger,
  gitRollbackHost,
  LedgerFormatError,
  ledgerLocation,
  NoRollbackTarget,
  parseLedger,
  renderDeployText,
  renderDriftMarkdown,
  renderDriftText,
  renderRefusal,
  repositoryRoot,
  rollback,
  s3Ledger,
  stackTarget,
  unchangedSince,
  workingRevision,
  type LedgerStore,
  type StackEngine,
  type StackNode,
} from "@hdp/deploy";
import { EXIT, UsageError, type ExitCode } from "../exit-codes";
import { writeOutput } from "../output";

/** What the commands need of their surroundings (a subset of the CLI's Io). */
export interface DeployIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** stdout as a stream (`--markdown -`); absent: through `stdout`. */
  readonly stdoutStream?: Writable;
}

interface Common {
  readonly env: string;
  readonly configs: string;
  readonly jobs: number;
  readonly ledger?: string;
  /** A module exporting `engine` (a StackEngine) instead of the Automation API (tests). */
  readonly engine?: string;
}

const jobsArg = (v: string): number => {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 1)
    throw new InvalidArgumentError("must be a whole number, 1 or more");
  return x;
};

/** The engine: the Automation API, or the module given with the hidden `--engine`. */
async function engineFor(o: Common, io: DeployIo): Promise<StackEngine> {
  if (o.engine === undefined) {
    // Fail once, clearly, rather than once per stack process with the Automation API's ENOENT.
    const version = spawnSync("pulumi", ["version"], { encoding: "utf8" });
    if (version.error !== undefined || version.status !== 0) {
      throw new UsageError(
        "the pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) and log in to a backend (see the README)",
      );
    }
    return automationEngine({ onOutput: (stack, t) => io.stderr(prefixLines(stack, t)) });
  }
  // A path, not a file URL: the CLI runs as CommonJS, where import() becomes require().
  const mod = (await import(resolve(io.cwd, o.engine))) as { engine?: StackEngine };
  if (mod.engine === undefined) throw new UsageError(`--engine ${o.engine}: exports no "engine"`);
  return mod.engine;
}

const prefixLines = (stack: string, text: string): string =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => `[${stack}] ${l}\n`)
    .join("");

function store(o: Common, io: DeployIo): LedgerStore {
  const where = ledgerLocation(o.ledger, process.env, io.cwd);
  return where.kind === "file" ? fileLedger(where.path) : s3Ledger(where.url);
}

/** The repository (the Pulumi project) and its estate; usage errors for what the user can fix. */
function project(o: Common, io: DeployIo): { root: string; estate: Estate } {
  const root = repositoryRoot(io.cwd);
  if (!existsSync(join(root, "Pulumi.yaml"))) {
    throw new DeployUsageError(`${root} has no Pulumi.yaml: run hdp from the project's repository`);
  }
  const loaded = loadEstate(resolve(io.cwd, o.configs));
  if (!loaded.ok) {
    throw new DeployUsageError(
      `${loaded.errors.map(formatError).join("\n")}\n${loaded.errors.length} config error(s): nothing deployed`,
    );
  }
  return { root, estate: loaded.estate };
}

const progress = (io: DeployIo, verb: string) => (stack: string) =>
  io.stderr(`${verb} ${stack}…\n`);

/** Runs one command body, turning the deploy package's user errors into exit codes. */
async function guarded(io: DeployIo, body: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof DeployUsageError) throw new UsageError(e.message);
    if (e instanceof LedgerFormatError || e instanceof NoRollbackTarget) {
      io.stderr(`hdp: ${e.message}\n`);
      return EXIT.problems;
    }
    throw e;
  }
}

export interface DeployCommandOptions extends Common {
  readonly stack?: readonly string[];
  readonly preview?: boolean;
  readonly changedSince?: string;
  readonly list?: boolean;
  readonly runId?: string;
}

/** `--list`: the stacks in deploy order as JSON (for a CI job matrix); nothing runs. */
export function renderStackList(env: string, nodes: readonly StackNode[]): string {
  const core = nodes.find((n) => nodes.some((m) => m.dependsOn.includes(n.name)))?.name;
  return `${JSON.stringify(
    {
      environment: env,
      stacks: nodes.map((n) => n.name),
      core: core ?? null,
      shards: core === undefined ? [] : nodes.filter((n) => n.name !== core).map((n) => n.name),
    },
    null,
    2,
  )}\n`;
}

export function runDeployCommand(o: DeployCommandOptions, io: DeployIo): Promise<ExitCode> {
  return guarded(io, async () => {
    const { root, estate } = project(o, io);
    let nodes = deployGraph(estate, o.env, o.stack);
    if (o.list === true) {
      io.stdout(renderStackList(o.env, nodes));
      return EXIT.ok;
    }
    const ledger = store(o, io);
    // Before anything deploys: the ledger must be readable and well-formed (entries get appended).
    parseLedger(await ledger.read(), ledger.location);
    let unchanged: readonly string[] = [];
    if (o.changedSince !== undefined) {
      const same = new Set(
        await unchangedSince(resolve(io.cwd, o.configs), o.env, o.changedSince, io.stderr),
      );
      unchanged = nodes.filter((n) => same.has(n.name)).map((n) => n.name);
      const names = nodes.filter((n) => !same.has(n.name)).map((n) => n.name);
      nodes = names.length === 0 ? [] : deployGraph(estate, o.env, names);
    }
    const summary = await deploy({
      environment: o.env,
      nodes,
      jobs: o.jobs,
      preview: o.preview === true,
      kind: "deploy",
      workDir: root,
      revision: workingRevision(root),
      engine: await engineFor(o, io),
      ledger,
      runId: o.runId ?? randomUUID(),
      onStart: progress(io, o.preview === true ? "previewing" : "deploying"),
    });
    io.stdout(renderDeployText(summary, unchanged));
    return deployExitCode(summary);
  });
}

export interface RollbackCommandOptions extends Common {
  readonly to?: string;
  readonly preview?: boolean;
}

export function runRollbackCommand(o: RollbackCommandOptions, io: DeployIo): Promise<ExitCode> {
  return guarded(io, async () => {
    const { root, estate } = project(o, io);
    deployGraph(estate, o.env); // the environment must exist now
    const result = await rollback({
      environment: o.env,
      ...(o.to !== undefined ? { to: o.to } : {}),
      jobs: o.jobs,
      preview: o.preview === true,
      engine: await engineFor(o, io),
      ledger: store(o, io),
      host: gitRollbackHost(root, io.stderr),
      runId: randomUUID(),
      onStart: progress(io, o.preview === true ? "previewing" : "rolling back"),
      onNote: (t) => io.stderr(`${t}\n`),
    });
    if (result.kind === "refused") {
      io.stdout(renderRefusal(result));
      return EXIT.problems;
    }
    io.stdout(renderDeployText(result.summary));
    return deployExitCode(result.summary);
  });
}

export interface DriftCommandOptions extends Common {
  readonly stack?: readonly string[];
  readonly markdown?: string;
}

export function runDriftCommand(o: DriftCommandOptions, io: DeployIo): Promise<ExitCode> {
  return guarded(io, async () => {
    const { root, estate } = project(o, io);
    const report = await detectDrift({
      estate,
      environment: o.env,
      nodes: deployGraph(estate, o.env, o.stack),
      jobs: o.jobs,
      engine: await engineFor(o, io),
      target: (stack) => stackTarget(root, stack, o.env),
      onStart: progress(io, "refresh-previewing"),
    });
    // With `--markdown -` stdout holds the markdown alone: the text report goes to stderr.
    (o.markdown === "-" ? io.stderr : io.stdout)(renderDriftText(report));
    if (o.markdown !== undefined) {
      const stdout = io.stdoutStream ?? io.stdout;
      await writeOutput("--markdown", o.markdown, renderDriftMarkdown(report), io.cwd, stdout);
    }
    return driftExitCode(report);
  });
}

const common = (c: Command): Command =>
  c
    .requiredOption("--env <env>", "the environment (dev, stage, prod, …)")
    .option("--configs <dir>", "the configs directory", "configs")
    .option("--jobs <n>", "stacks at once, each in its own process", jobsArg, 4)
    .option(
      "--ledger <file>",
      "the deploy ledger: a path, file://… or s3://bucket/key (default: .hdp/deploy-ledger.jsonl in the state backend)",
    )
    .addOption(
      new Option("--engine <module>", "a module exporting a StackEngine (tests)").hideHelp(),
    );

/** Adds `deploy`, `rollback` and `drift` to the CLI; `setExit` receives the exit code. */
export function registerDeploy(
  program: Command,
  io: DeployIo,
  setExit: (code: ExitCode) => void,
): void {
  common(
    program
      .command("deploy")
      .description(
        "deploy an environment's stacks (core first, then shards) on the Automation API",
      ),
  )
    .option(
      "--stack <names...>",
      "only these stacks of the environment (its own name: all of them, as in hdp plan)",
    )
    .option("--preview", "preview instead of deploying (with the policy pack)")
    .option("--changed-since <ref>", "only the stacks whose inputs changed since this git revision")
    .option("--list", "print the stacks in deploy order as JSON (core, shards) and stop")
    .option(
      "--run-id <id>",
      "the ledger's run id (default: a new one); CI jobs deploying one environment's shards share one",
    )
    .action(async (o: DeployCommandOptions) => setExit(await runDeployCommand(o, io)));

  common(
    program
      .command("rollback")
      .description("redeploy the last good (or the given) revision from the deploy ledger"),
  )
    .option("--to <rev>", "the git revision to roll back to (default: the last good one)")
    .option("--preview", "preview the rollback instead of running it")
    .action(async (o: RollbackCommandOptions) => setExit(await runRollbackCommand(o, io)));

  common(
    program
      .command("drift")
      .description("refresh-preview every stack (writes no state); exit 1 on drift"),
  )
    .option(
      "--stack <names...>",
      "only these stacks of the environment (its own name: all of them, as in hdp plan)",
    )
    .option(
      "--markdown <file>",
      "also write the report as markdown (a job summary or an issue); - writes it to stdout (the text report goes to stderr)",
    )
    .action(async (o: DriftCommandOptions) => setExit(await runDriftCommand(o, io)));
}
