#!/usr/bin/env node
// The `hdp` command: only wires process I/O to the CLI.
import { run } from "./program";
import { colorEnabled } from "./terminal";

// `hdp query … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}

run(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdoutStream: process.stdout,
  cwd: process.cwd(),
  color: {
    stdout: colorEnabled(process.env, process.stdout.isTTY === true),
    stderr: colorEnabled(process.env, process.stderr.isTTY === true),
  },
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Only a bug gets here: user errors are CliErrors, printed by run() with their exit code.
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exitCode = 3;
  },
);
