/** Wires the commands to commander. Each command returns data; rendering and exit codes are pure. */
import { resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { EXIT, UsageError, type ExitCode } from "./exit-codes";
import {
  renderValidateJson,
  renderValidateText,
  runValidate,
  validateExitCode,
} from "./commands/validate";
import { registerQuery } from "./commands/query";
import { registerExplain } from "./commands/explain";
import { registerPlan } from "./commands/plan";
import { registerDags } from "./commands/dags";
import type { Io } from "./io";

export type { Io } from "./io";

const formatOption = () =>
  new Option("--format <format>", "output format").choices(["text", "json"]).default("text");

function buildProgram(io: Io, setExit: (code: ExitCode) => void): Command {
  const program = new Command("hdp")
    .description("health-data-platform: validate, plan, query and simulate the data estate")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(run hdp --help for usage)");

  program
    .command("validate")
    .description("check every config file; print all errors as file:line:col  field  message")
    .option("--configs <dir>", "the configs directory", "configs")
    .option("--env <env>", "summarise one environment only")
    .addOption(formatOption())
    .action((opts: { configs: string; env?: string; format: "text" | "json" }) => {
      const result = runValidate({ configs: resolve(io.cwd, opts.configs), env: opts.env });
      io.stdout(opts.format === "json" ? renderValidateJson(result) : renderValidateText(result));
      setExit(validateExitCode(result));
    });

  registerPlan(program, io, setExit);

  registerQuery(program, io, setExit);

  registerExplain(program, io, setExit);

  registerDags(program, io, setExit);

  return program;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.stderr(`hdp: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
