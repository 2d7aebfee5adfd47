/**
 * A program whose process dies while planning the dev stack — but only in a plan worker (never
 * in the test runner's own process): the pool must turn the dead worker into a failed outcome.
 */
import type { Estate } from "@hdp/config";
import { buildStack as standin, type BuildOptions } from "./standin-program";

export function buildStack(
  estate: Estate,
  stackName: string,
  options: BuildOptions = {},
): Record<string, unknown> {
  if (stackName === "dev" && /[\\/]run[\\/]worker\.[jt]s$/.test(process.argv[1] ?? "")) {
    process.kill(process.pid, "SIGKILL");
  }
  return standin(estate, stackName, options);
}
