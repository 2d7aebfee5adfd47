/**
 * The program as `pulumi preview` runs it: the Node.js language host starts
 * `node <nodeargs from Pulumi.yaml> <@pulumi/pulumi>/cmd/run … .` in the project directory, and
 * the SDK's runner registers its bundled ts-node (with the TypeScript it finds beside
 * @pulumi/pulumi, else its vendored 3.8) over index.ts. Here the same runner code runs under
 * Pulumi's mock monitor (test/support/language-host-run.cjs) and must register the same
 * resources as `hdp plan` — from this checkout, and from a production-only install (no
 * devDependencies), where a TypeScript that understands the tsconfig must still be installed.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { hdp } from "./support/hdp";
import { findPnpm } from "./support/pnpm";

const ROOT = join(__dirname, "..");
const HARNESS = join(__dirname, "support", "language-host-run.cjs");
/** The mock monitor has no shutdown call; the SDK reports that and carries on. */
const MOCK_SHUTDOWN_NOTE =
  /^Error while signaling shutdown: TypeError: .*signalAndWaitForShutdown.*$/gm;

interface Resource {
  type: string;
  name: string;
}

/** `runtime.options.nodeargs` of Pulumi.yaml, split as the language host does (no quoting here). */
function nodeargs(): string[] {
  const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as {
    runtime: { options?: { nodeargs?: string } };
  };
  return (project.runtime.options?.nodeargs ?? "").split(/\s+/).filter((a) => a.length > 0);
}

/** Runs the program in `dir` as the language host would; the registered resources. */
function runUnderLanguageHost(dir: string, env: Record<string, string>): Resource[] {
  const r = spawnSync(
    process.execPath,
    [...nodeargs(), HARNESS, "health-data-platform", "dev", "organization"],
    {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      // What the host sets for `runtime.options.typescript: true`.
      env: { ...process.env, NODE_OPTIONS: "", PULUMI_NODEJS_TYPESCRIPT: "true", ...env },
    },
  );
  expect({ status: r.status, stderr: r.stderr.replace(MOCK_SHUTDOWN_NOTE, "").trim() }).toEqual({
    status: 0,
    stderr: "",
  });
  const out = JSON.parse(r.stdout) as { resources: Resource[] };
  // The engine's root resource: the runner registers it, the offline plan has none.
  return out.resources.filter((x) => x.type !== "pulumi:pulumi:Stack");
}

const key = (r: Resource): string => `${r.type} ${r.name}`;

describe("the program under the Node.js language host", () => {
  let planned: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "hdp-langhost-plan-"));
    try {
      const json = join(dir, "plan.json");
      const r = await hdp(ROOT, [
        "plan",
        "--stack",
        "dev",
        "--jobs",
        "0",
        "--no-cache",
        "--json",
        json,
      ]);
      expect(r.stderr).not.toContain("problem");
      const inventory = JSON.parse(readFileSync(json, "utf8")) as {
        stacks: { stack: string; resources: Resource[] }[];
      };
      planned = (inventory.stacks.find((s) => s.stack === "dev")?.resources ?? []).map(key).sort();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(planned.length).toBeGreaterThan(100);
  }, 300_000);

  it("registers what hdp plan records, type-checked by the runner's ts-node", () => {
    const resources = runUnderLanguageHost(ROOT, {});
    expect(resources.map(key).sort()).toEqual(planned);
  }, 300_000);

  it("runs from a production-only install (typescript is a dependency, not a devDependency)", () => {
    const root = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    expect(root.dependencies?.typescript).toBeDefined();

    const copy = mkdtempSync(join(tmpdir(), "hdp-langhost-prod-"));
    try {
      for (const f of ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "Pulumi.yaml"]) {
        cpSync(join(ROOT, f), join(copy, f));
      }
      for (const f of ["index.ts", "tsconfig.json", "tsconfig.base.json"]) {
        cpSync(join(ROOT, f), join(copy, f));
      }
      cpSync(join(ROOT, "configs"), join(copy, "configs"), { recursive: true });
      cpSync(join(ROOT, "stacks"), join(copy, "stacks"), { recursive: true });
      // The ingest code the program deploys as workspace files.
      cpSync(
        join(ROOT, "pipelines", "src", "hdp_pipelines"),
        join(copy, "pipelines", "src", "hdp_pipelines"),
        {
          recursive: true,
          filter: (src) => !src.includes("__pycache__"),
        },
      );
      for (const p of readdirSync(join(ROOT, "packages"))) {
        mkdirSync(join(copy, "packages", p), { recursive: true });
        cpSync(join(ROOT, "packages", p), join(copy, "packages", p), {
          recursive: true,
          filter: (src) => !/[/\\](node_modules|dist)$/.test(src),
        });
      }
      const pnpm = findPnpm();
      const store = spawnSync(pnpm.command, [...pnpm.args, "store", "path"], {
        cwd: ROOT,
        encoding: "utf8",
      }).stdout.trim();
      const install = spawnSync(
        pnpm.command,
        [
          ...pnpm.args,
          "install",
          "--prod",
          "--frozen-lockfile",
          "--prefer-offline",
          "--store-dir",
          store,
          "--reporter",
          "append-only",
        ],
        { cwd: copy, encoding: "utf8" },
      );
      expect({ status: install.status, stderr: install.stderr }).toEqual({ status: 0, stderr: "" });
      // Deploy pipelines type-check in CI and run transpile-only (see the README).
      const resources = runUnderLanguageHost(copy, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
      expect(resources.map(key).sort()).toEqual(planned);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 300_000);
});
