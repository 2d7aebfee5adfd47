/**
 * Colour on a terminal, through picocolors with our own decision (picocolors alone colours
 * under `CI` and looks at stdout only): `NO_COLOR` (any non-empty value) turns it off,
 * `FORCE_COLOR` (non-empty) turns it on, except `0`/`false` which turn it off as in Node.js,
 * `TERM=dumb` turns it off, else the stream must be a terminal. Empty values count as unset.
 * https://no-color.org, https://force-color.org
 */
import { createColors } from "picocolors";

export type Colors = ReturnType<typeof createColors>;

/** Whether to colour a stream that `isTty` describes, under `env`. */
export function colorEnabled(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if ((env.NO_COLOR ?? "") !== "") return false;
  const force = env.FORCE_COLOR ?? "";
  if (force !== "") return !["0", "false"].includes(force.toLowerCase());
  if (env.TERM === "dumb") return false;
  return isTty;
}

/** Colour functions that colour when `enabled`, else return their text unchanged. */
export const colors = (enabled: boolean): Colors => createColors(enabled);
