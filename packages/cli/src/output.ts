/** Files a command writes (`--json`, `--markdown`, …): all or nothing, and a one-line error. */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, basename, resolve } from "node:path";
import { CliError, EXIT } from "./exit-codes";
import { displayPath } from "./paths";

/**
 * Writes `content` to `file` (relative to `cwd`) through a temporary file beside it, so a
 * reader never sees half a file. A path that cannot be written is a {@link CliError} (exit 1)
 * naming the option and the reason, e.g. `cannot write --json out/plan.json: no such directory`.
 */
export function writeOutput(option: string, file: string, content: string, cwd: string): void {
  const target = resolve(cwd, file);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, content);
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new CliError(
      `cannot write ${option} ${displayPath(target, cwd)}: ${writeFailure(e)}`,
      EXIT.problems,
    );
  }
}

/** Why a write failed, in words (`no such directory`, `permission denied`, …). */
export function writeFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    case "ENOTDIR":
      return "a parent is not a directory";
    case "EROFS":
      return "read-only file system";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
