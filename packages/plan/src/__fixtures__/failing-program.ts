/**
 * A program that fails for the stacks of one source, naming a component as components do: its
 * error must reach the plan's problems, with the config entry behind the component.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Estate } from "@hdp/config";
import { buildStack as standin, type BuildOptions } from "./standin-program";

export function buildStack(
  estate: Estate,
  stackName: string,
  options: BuildOptions = {},
): Record<string, unknown> {
  const exports = standin(estate, stackName, options);
  if (stackName === "dev") {
    pulumi.output("x").apply(() => {
      throw new Error('IngestJob "lab--results": the dev stack cannot be built');
    });
  }
  return exports;
}
