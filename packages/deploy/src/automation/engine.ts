/**
 * The real {@link StackEngine}: every call forks a process running `stack-process` (one process
 * per stack, see there), which drives the Pulumi CLI through the Automation API.
 */
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { StackEngine } from "../engine";
import type { StackProcessReply, StackProcessRequest, StackProcessResults } from "./protocol";

const fromSource = __filename.endsWith(".ts");

/** Node flags for a stack process: the TypeScript loader when running from sources. */
function execArgv(): string[] {
  return fromSource
    ? ["--import", pathToFileURL(require.resolve("tsx")).href, "--conditions=@hdp/source"]
    : [];
}

/** What a stack process writes (the Pulumi CLI's own messages) goes to `onOutput`. */
export interface AutomationEngineOptions {
  readonly onOutput?: (stack: string, text: string) => void;
}

function call<R extends keyof StackProcessResults>(
  req: StackProcessRequest & { readonly op: R },
  options: AutomationEngineOptions,
): Promise<StackProcessResults[R]> {
  const entry = join(__dirname, `stack-process${fromSource ? ".ts" : ".js"}`);
  if (!existsSync(entry)) throw new Error(`stack process entry missing: ${entry}`);
  return new Promise((resolvePromise, reject) => {
    const child = fork(entry, [], {
      execArgv: execArgv(),
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let reply: StackProcessReply | undefined;
    const out = (chunk: Buffer): void =>
      options.onOutput?.(req.request.stack, chunk.toString("utf8"));
    child.stdout?.on("data", out);
    child.stderr?.on("data", out);
    child.on("message", (m: StackProcessReply) => {
      reply = m;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (reply === undefined) {
        reject(
          new Error(
            `stack process for ${req.request.stack} exited (${signal ?? code}) without a reply`,
          ),
        );
      } else if (reply.op === "error") reject(new Error(reply.message));
      else if (reply.op !== req.op)
        reject(new Error(`stack process replied ${reply.op} to ${req.op}`));
      else resolvePromise(reply.result as StackProcessResults[R]);
    });
    child.send(req);
  });
}

/** The Automation API behind the orchestration; needs the `pulumi` CLI on PATH. */
export function automationEngine(options: AutomationEngineOptions = {}): StackEngine {
  return {
    up: (request) => call<"up">({ op: "up", request }, options),
    refreshPreview: (request) => call<"refreshPreview">({ op: "refreshPreview", request }, options),
    state: (request) => call<"state">({ op: "state", request }, options),
  };
}
