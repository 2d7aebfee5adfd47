/**
 * Starts code the way the Pulumi CLI's Node.js language host does, without the CLI (which is
 * not installable here): the runner scripts @pulumi/pulumi ships (`cmd/run-policy-pack`,
 * `cmd/run`), started with plain node from the directory the host uses.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";

/** `@pulumi/pulumi`'s directory as code in `from` resolves it (what the language host locates). */
export function pulumiSdkDir(from: string): string {
  return dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [from] }));
}

export interface PolicyPackStart {
  /** The port the pack's analyzer printed (what the CLI reads to connect), if it came up. */
  readonly port: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code when the runner ended before printing a port. */
  readonly exitCode: number | null;
}

/**
 * `pulumi preview --policy-pack <packDir>`: the language host's RunPlugin for an analyzer runs
 * `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <packDir>` with the pack's folder
 * as working directory (sdk/nodejs/cmd/pulumi-language-nodejs, RunPlugin). The pack is up when
 * it prints its gRPC port on stdout; the process is then stopped.
 */
export function startPolicyPack(
  packDir: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<PolicyPackStart> {
  const runner = join(pulumiSdkDir(packDir), "cmd", "run-policy-pack");
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [runner, "127.0.0.1:1", packDir], {
      cwd: packDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let done = false;
    const finish = (port: number | undefined, exitCode: number | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill("SIGTERM");
      resolvePromise({ port, stdout, stderr, exitCode });
    };
    const timer = setTimeout(() => finish(undefined, null), timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const m = /^(\d+)\s*$/m.exec(stdout);
      if (m !== null) finish(Number(m[1]), null);
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("exit", (code) => finish(undefined, code));
  });
}
