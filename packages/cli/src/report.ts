/** Pieces of output every command shares: config errors, `hdp:` messages, colour. */
import { join } from "node:path";
import type { ConfigError } from "@hdp/config";
import { displayPath } from "./paths";
import type { Colors } from "./terminal";

/**
 * One config error as `file:line:col  field  message`, the file relative to `cwd` (clickable in a
 * terminal and in editors' output panes); `root` is the configs directory the error's file is in.
 */
export function configErrorLine(e: ConfigError, root: string, cwd: string, c: Colors): string {
  const at = `${displayPath(join(root, e.file), cwd)}:${e.line}:${e.column}`;
  return `${c.bold(at)}  ${c.cyan(e.field || "(file)")}  ${c.red(e.message)}`;
}

/** A message from hdp itself on stderr: `hdp: …`, red on a terminal. */
export const hdpMessage = (message: string, c: Colors): string => `${c.red(`hdp: ${message}`)}\n`;
