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
import { registerQuery } from "./commands/query";
import { registerExplain } from "./commands/explain";
import { registerPlan } from "./commands/plan";
import { registerSimulate } from "./commands/simulate";
import { registerDeploy } from "./commands/deploy";
import { registerDags } from "./commands/dags";
import { registerLocal } from "./commands/local";

/** This package's version (package.json sits one level above src/ and dist/). */
export const VERSION = (
  JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }
).version;

const formatOption = () =>
  new Option("--format <format>", "output format").choices(["text", "json"]).default("text");

function buildProgram(ctx: CommandContext): Command {
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

  program
    .command("validate")
    .description("check every config file; print all errors as file:line:col  field  message")
    .addOption(configsOption())
    .option("--env <env>", "summarise one environment only")
    .addOption(formatOption())
    .action((opts: { configs?: string; env?: string; format: "text" | "json" }) => {
      const result = runValidate({ configs: configsDir(opts.configs, io.cwd), env: opts.env });
      io.stdout(
        opts.format === "json"
          ? renderValidateJson(result)
          : renderValidateText(result, io.cwd, ctx.out),
      );
      ctx.setExit(validateExitCode(result));
    });

  registerPlan(program, ctx);
  registerQuery(program, ctx);

  registerExplain(program, io, ctx.setExit);

  registerSimulate(program, io, ctx.setExit);

  registerDeploy(program, io, ctx.setExit);

  registerDags(program, io, ctx.setExit);

  registerLocal(program, ctx);

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
  const program = buildProgram(ctx);
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
