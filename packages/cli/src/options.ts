/** Options several commands share, defined once so they read the same in every command's help. */
import { Option } from "commander";

/** `--configs <dir>`; absent, the repository's configs/ is found from the cwd (paths.ts). */
export const configsOption = (): Option =>
  new Option(
    "--configs <dir>",
    "the configs directory (default: configs/ of the nearest directory above with configs/platform.yaml)",
  );
