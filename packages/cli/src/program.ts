/**
 * Wires the commands to commander. Each command returns data; rendering and exit codes are pure.
 * Shared here, so every command (and the ones to come) behaves alike: exit codes and the errors
 * that carry them (exit-codes.ts), colour (terminal.ts), paths shown relative to where hdp runs
 * and the configs directory found from a subdirectory (paths.ts), output files (output.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { CliError, EXIT, UsageError, type ExitCode } from "./exit-codes";
import type { CommandContext, Io } from "./context";
import { configsOption } from "./options";
import { configsDir } from "./paths";
import { hdpMessage } from "./report";
import { colors } from "./terminal";

export type { CommandContext, Io } from "./context";
import {
  renderValidateJson,
  renderValidateText,
  runValidate,
  validateExitCode,
} from "./commands/validate";
import { indexCacheOptions, indexCacheRoot } from "./options";
import type * as QueryCommand from "./commands/query";
import type * as PlanCommand from "./commands/plan";
import type * as ExplainCommand from "./commands/explain";
import type * as SimulateCommand from "./commands/simulate";
import type * as DeployCommand from "./commands/deploy";
import type * as DagsCommand from "./commands/dags";
import type * as LocalCommand from "./commands/local";

/** This package's version (package.json sits one level above src/ and dist/). */
export const VERSION = (
  JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }
).version;

const formatOption = () =>
  new Option("--format <format>", "output format").choices(["text", "json"]).default("text");

/**
 * The commands answered like a local tool (`hdp validate`, `hdp query`): when one of them is
 * what runs, only they are loaded — the others pull in Pulumi, the planner and the simulator,
 * a second of start-up that such a command never needs.
 */
const LIGHT_COMMANDS = new Set(["validate", "query"]);

function buildProgram(ctx: CommandContext, argv: readonly string[]): Command {
  const { io } = ctx;
  const program = new Command("hdp")
    .description("health-data-platform: validate, plan and query the data estate under configs/")
    .version(VERSION, "-v, --version", "print hdp's version")
    .helpCommand("help [command]", "show help for a command")
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(ctx.err.red(text)),
    })
    .showHelpAfterError("(run hdp --help for usage)");

  const validate = program
    .command("validate")
    .description("check every config file; print all errors as file:line:col  field  message")
    .addOption(configsOption())
    .option("--env <env>", "summarise one environment only")
    .addOption(formatOption());
  for (const o of indexCacheOptions()) validate.addOption(o);
  validate.action(
    (opts: {
      configs?: string;
      env?: string;
      format: "text" | "json";
      cache?: boolean;
      cacheDir?: string;
    }) => {
      const configs = configsDir(opts.configs, io.cwd);
      const result = runValidate({
        configs,
        env: opts.env,
        cacheDir: indexCacheRoot(opts, configs, io.cwd),
      });
      io.stdout(
        opts.format === "json"
          ? renderValidateJson(result)
          : renderValidateText(result, io.cwd, ctx.out),
      );
      ctx.setExit(validateExitCode(result));
    },
  );

  // Help lists every command, so it loads them all.
  const help = argv.includes("--help") || argv.includes("-h");
  const query = (): typeof QueryCommand =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see LIGHT_COMMANDS
    require("./commands/query") as typeof QueryCommand;
  if (LIGHT_COMMANDS.has(argv[0] ?? "") && !help) {
    // `hdp validate` needs neither the SQL engine nor the query command.
    if (argv[0] === "query") query().registerQuery(program, ctx);
    return program;
  }
  // Loaded only here (require, as the plan package loads its runner): see LIGHT_COMMANDS.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see LIGHT_COMMANDS
  const plan = require("./commands/plan") as typeof PlanCommand;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see LIGHT_COMMANDS
  const explain = require("./commands/explain") as typeof ExplainCommand;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see LIGHT_COMMANDS
  const simulate = require("./commands/simulate") as typeof SimulateCommand;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see LIGHT_COMMANDS
  const deploy = require("./commands/deploy") as typeof DeployCommand;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see LIGHT_COMMANDS
  const dags = require("./commands/dags") as typeof DagsCommand;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see LIGHT_COMMANDS
  const local = require("./commands/local") as typeof LocalCommand;
  plan.registerPlan(program, ctx);
  query().registerQuery(program, ctx);

  explain.registerExplain(program, io, ctx.setExit);

  simulate.registerSimulate(program, io, ctx.setExit);

  deploy.registerDeploy(program, io, ctx.setExit);

  dags.registerDags(program, io, ctx.setExit);

  local.registerLocal(program, ctx);

  return program;
}

/** `hdp help <name>` for a name that is no command: a usage error naming it (commander would print the general help and exit 0). */
function checkHelpTopic(program: Command, argv: readonly string[]): void {
  if (argv[0] !== "help" || argv.length < 2) return;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (!names.includes(argv[1])) {
    throw new UsageError(
      `unknown command '${argv[1]}' (commands: ${program.commands.map((c) => c.name()).join(", ")})`,
    );
  }
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const err = colors(io.color?.stderr ?? false);
  const ctx: CommandContext = {
    io,
    out: colors(io.color?.stdout ?? false),
    err,
    setExit: (c) => {
      code = c;
    },
  };
  const program = buildProgram(ctx, argv);
  try {
    checkHelpTopic(program, argv);
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliError) {
      io.stderr(hdpMessage(e.message, err));
      return e.code;
    }
    throw e;
  }
}
