/**
 * The packaging test: the packages work when installed from their tarballs, the way another
 * repository gets them.
 *
 * Copies the workspace's sources (no dist/) to a temporary directory and runs `pnpm build` there
 * (every package, from clean), packs every publishable package from that copy with pnpm, and
 * installs the tarballs once into a scratch project outside the workspace (from the local pnpm
 * store, `--prefer-offline`, with exactly one @pulumi/pulumi). Then, as another repository would:
 * compiles a small TypeScript program against the component packages and runs it under Pulumi's
 * mocks; runs `npx hdp validate|plan|query` over its own configs/; and starts the installed
 * policy pack the way the Pulumi CLI's policy runner does. Nothing is written to the workspace.
 *
 * pnpm is found through `npm_execpath` (set when the tests run under `pnpm test`, e.g.
 * `npx --yes pnpm@12.4.2 test` in CI), on PATH, or else started as `npx --yes pnpm@<pinned>`
 * (package.json's `packageManager`), so `npx jest test/packaging.test.ts` runs too.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { findPnpm, type PnpmCommand } from "./support/pnpm";
import { startPolicyPack, type PolicyPackStart } from "./support/pulumi-runner";

const ROOT = join(__dirname, "..");

/** Every publishable (not private) workspace package: what this test builds, packs and installs. */
const PACKAGES = readdirSync(join(ROOT, "packages"))
  .filter((d) => existsSync(join(ROOT, "packages", d, "package.json")))
  .filter(
    (d) =>
      readJson<{ private?: boolean }>(join(ROOT, "packages", d, "package.json")).private !== true,
  )
  .sort();
type PackageDir = string;
/** The component packages the scratch program imports. */
const COMPONENTS = ["naming", "iam", "lake", "spark", "airflow"];

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  engines?: Record<string, string>;
  bin?: Record<string, string>;
  typesVersions?: Record<string, Record<string, string[]>>;
  main?: string;
  types?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Packed {
  readonly dir: PackageDir;
  readonly tarball: string;
  /** Paths inside the tarball, without the leading `package/`. */
  readonly files: readonly string[];
  readonly manifest: Manifest;
}

interface ProgramResult {
  readonly resources: { type: string; name: string; inputs: Record<string, unknown> }[];
  readonly failures: string[];
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Runs a command; throws with its output when it fails. */
function run(
  command: string | PnpmCommand,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): SpawnSyncReturns<string> {
  const cmd: PnpmCommand =
    typeof command !== "string"
      ? command
      : /\.(c|m)?js$/.test(command)
        ? { command: process.execPath, args: [command] }
        : { command, args: [] };
  const result = spawnSync(cmd.command, [...cmd.args, ...args], {
    cwd,
    encoding: "utf8",
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `${basename(cmd.args[0] ?? cmd.command)} ${args.join(" ")} (in ${cwd}) failed` +
        ` (${result.error?.message ?? `exit ${String(result.status)}`}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/**
 * A clean copy of the workspace in `dest`: root manifests and every package's files except
 * dist/ and node_modules/; each package's node_modules is recreated as links (internal @hdp/*
 * links point into the copy, others into the workspace's store) and the root node_modules is a
 * link to the workspace's. So `pnpm build` there starts from nothing built.
 */
function cleanCopy(dest: string): void {
  mkdirSync(join(dest, "packages"), { recursive: true });
  for (const f of ["package.json", "pnpm-workspace.yaml", "pnpm-lock.yaml", "tsconfig.base.json"]) {
    cpSync(join(ROOT, f), join(dest, f));
  }
  mkdirSync(join(dest, "scripts"));
  cpSync(join(ROOT, "scripts", "pack.mjs"), join(dest, "scripts", "pack.mjs"));
  symlinkSync(join(ROOT, "node_modules"), join(dest, "node_modules"), "dir");
  // The ingest code @hdp/platform ships (its prepack copies it into the package).
  cpSync(
    join(ROOT, "pipelines", "src", "hdp_pipelines"),
    join(dest, "pipelines", "src", "hdp_pipelines"),
    {
      recursive: true,
      filter: (src) => !src.includes("__pycache__"),
    },
  );
  for (const dir of readdirSync(join(ROOT, "packages"))) {
    const from = join(ROOT, "packages", dir);
    if (!existsSync(join(from, "package.json"))) continue;
    cpSync(from, join(dest, "packages", dir), {
      recursive: true,
      // Relative links (pnpm's) keep pointing inside the copy, or through its node_modules link.
      verbatimSymlinks: true,
      filter: (src) =>
        !/[/\\]dist$/.test(src) &&
        !/[/\\]packages[/\\][^/\\]+[/\\]node_modules[/\\]\.bin$/.test(src),
    });
  }
}

/** Every regular file of a .tgz, by path (pnpm writes plain ustar entries under `package/`). */
function readTarball(path: string): Map<string, Buffer> {
  const data = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string =>
      header
        .subarray(start, start + length)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = prefix.length > 0 ? `${prefix}/${field(0, 100)}` : field(0, 100);
    if (type === "0" || type === "") {
      files.set(name, data.subarray(offset + 512, offset + 512 + size));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** The `allowBuilds` block of the workspace's pnpm-workspace.yaml, verbatim. */
function allowBuildsBlock(): string {
  const lines = readFileSync(join(ROOT, "pnpm-workspace.yaml"), "utf8").split("\n");
  const start = lines.findIndex((l) => l.startsWith("allowBuilds:"));
  if (start < 0) return "";
  const end = lines.findIndex((l, i) => i > start && l.length > 0 && !/^\s/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

/** The program another repository would write: each package's main component, under mocks. */
const PROGRAM = `
import * as crypto from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { SourceIngestRole } from "@hdp/iam";
import { LakeBuckets } from "@hdp/lake";
import { AirflowEnvironment, bucketArnFor, dagBucketName } from "@hdp/airflow";
import { UnityCatalogStorage } from "@hdp/spark";

const ACCOUNT = "123456789012";
const REGION = "us-east-2";
type Inputs = Record<string, unknown>;
const resources: { type: string; name: string; inputs: Inputs }[] = [];
const failures: string[] = [];
process.on("unhandledRejection", (e) => failures.push(e instanceof Error ? e.message : String(e)));

function uuid(seed: string): string {
  const h = crypto.createHash("sha256").update(seed).digest("hex");
  return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20, 32)].join("-");
}

/** Outputs shaped like AWS's, so ARN checks in the components behave as in a real run. */
function state(type: string, name: string, inputs: Inputs): { id: string; state: Inputs } {
  const str = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);
  switch (type) {
    case "aws:kms/key:Key": {
      const id = uuid(name);
      return { id, state: { ...inputs, keyId: id, arn: \`arn:aws:kms:\${REGION}:\${ACCOUNT}:key/\${id}\` } };
    }
    case "aws:s3/bucket:Bucket": {
      const bucket = str(inputs.bucket, name);
      return { id: bucket, state: { ...inputs, bucket, arn: \`arn:aws:s3:::\${bucket}\` } };
    }
    case "aws:iam/role:Role": {
      const n = str(inputs.name, name);
      return { id: n, state: { ...inputs, name: n, arn: \`arn:aws:iam::\${ACCOUNT}:role/\${n}\` } };
    }
    case "aws:iam/policy:Policy": {
      const arn = \`arn:aws:iam::\${ACCOUNT}:policy/\${str(inputs.name, name)}\`;
      return { id: arn, state: { ...inputs, arn } };
    }
    case "databricks:index/storageCredential:StorageCredential":
      return {
        id: str(inputs.name, name),
        state: {
          ...inputs,
          storageCredentialId: uuid(name),
          awsIamRole: { ...(inputs.awsIamRole as Inputs), externalId: uuid(name + ":external-id") },
        },
      };
    default: {
      const service = type.split(":")[1]?.split("/")[0] ?? "x";
      const arn = type.startsWith("aws:") ? \`arn:aws:\${service}:\${REGION}:\${ACCOUNT}:\${name}\` : undefined;
      return { id: \`\${name}-id\`, state: { ...inputs, ...(arn === undefined ? {} : { arn }) } };
    }
  }
}

async function main(): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Inputs;
        resources.push({ type: args.type, name: args.name, inputs });
        return state(args.type, args.name, inputs);
      },
      call: (args) => args.inputs as Inputs,
    },
    "hdp-packaging",
    "test",
    false,
  );
  const tags = { owner: "data-platform", domain: "clinical", environment: "prod" };
  const dagBucket = dagBucketName({ prefix: "hdp-acme", environment: "prod" });
  const lake = new LakeBuckets("core", {
    namePrefix: "hdp-acme",
    environment: "prod",
    domain: "core",
    accountId: ACCOUNT,
    accessLogs: { additionalSourceBucketArns: [bucketArnFor(dagBucket)] },
    tags,
  });
  new SourceIngestRole("ingest-epic", {
    source: "epic-clarity",
    tables: ["encounters", "labs"],
    bucketNames: [lake.bucketNames.landing],
    kmsKeyArn: lake.kmsKeyArn,
    region: REGION,
    trustedPrincipalArn: "arn:aws:iam::210987654321:role/epic-extract",
    externalId: "epic-extract-7f3a",
    tags,
  });
  new AirflowEnvironment("airflow", {
    environmentName: "hdp-prod",
    accountId: ACCOUNT,
    region: REGION,
    vpcId: "vpc-0a1b2c3d4e5f60718",
    privateSubnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"],
    dagBucketName: dagBucket,
    accessLogs: lake.accessLogBucket.asTarget(),
    tags,
  });
  new UnityCatalogStorage("uc", {
    environment: "prod",
    accountId: ACCOUNT,
    buckets: { silver: { bucketName: "hdp-acme-prod-core-silver" } },
    kmsKeyArns: [lake.kmsKeyArn],
    tags,
  });
  await pulumi.runtime.disconnect();
  await new Promise((resolve) => setImmediate(resolve));
  process.stdout.write(JSON.stringify({ resources, failures }));
}

main().catch((e: unknown) => {
  failures.push(e instanceof Error ? e.stack ?? e.message : String(e));
  process.stdout.write(JSON.stringify({ resources, failures }));
});
`;

describe("packaging", () => {
  const started = Date.now();
  let temp = "";
  let scratch = "";
  const packed = new Map<PackageDir, Packed>();
  /** The name in every tarball the pack command wrote, in file order. */
  const packedNames: string[] = [];
  let program: ProgramResult = { resources: [], failures: [] };
  /** `npx hdp …` in the scratch project: exit code and output. */
  const npxHdp = (args: readonly string[]): SpawnSyncReturns<string> =>
    spawnSync("npx", ["--no", "hdp", ...args], {
      cwd: scratch,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
  let pack: PolicyPackStart | undefined;

  beforeAll(async () => {
    expect(PACKAGES).toEqual(expect.arrayContaining([...COMPONENTS, "cli", "policy", "plan"]));
    const pnpm = findPnpm();
    temp = mkdtempSync(join(tmpdir(), "hdp-packaging-"));
    const tarballs = join(temp, "tarballs");
    const ws = join(temp, "workspace");
    scratch = join(temp, "scratch");

    // `pnpm build` from a clean checkout: nothing built beforehand.
    cleanCopy(ws);
    run(pnpm, ["run", "build"], ws);

    // The documented pack command (README): one `pnpm -r pack` over the publishable packages.
    run(pnpm, ["run", "pack:publishable", tarballs], ws);
    for (const file of readdirSync(tarballs).sort()) {
      const tarball = join(tarballs, file);
      const entries = readTarball(tarball);
      const files = [...entries.keys()].map((f) => f.replace(/^package\//, ""));
      const manifest = JSON.parse(
        (entries.get("package/package.json") ?? "{}").toString(),
      ) as Manifest;
      const dir = manifest.name.replace(/^@hdp\//, "");
      packedNames.push(manifest.name);
      packed.set(dir, { dir, tarball, files, manifest });
    }

    const root = readJson<Manifest>(join(ROOT, "package.json"));
    const typesNode = readJson<Manifest>(
      require.resolve("@types/node/package.json", { paths: [ROOT] }),
    );
    const fileSpec = (dir: PackageDir): string => `file:${packed.get(dir)?.tarball ?? ""}`;
    const hdp = Object.fromEntries(
      PACKAGES.map((dir) => [packed.get(dir)?.manifest.name ?? dir, fileSpec(dir)]),
    );
    mkdirSync(join(scratch, "src"), { recursive: true });
    writeFileSync(
      join(scratch, "package.json"),
      JSON.stringify(
        {
          name: "hdp-packaging-scratch",
          version: "0.0.0",
          private: true,
          // What another repository installs: the components it imports, the CLI and the pack.
          dependencies: {
            ...Object.fromEntries(
              [...COMPONENTS, "cli", "policy"].map((d) => [`@hdp/${d}`, fileSpec(d)]),
            ),
            "@pulumi/pulumi": root.dependencies?.["@pulumi/pulumi"],
            "@pulumi/aws": root.dependencies?.["@pulumi/aws"],
            "@pulumi/databricks": root.dependencies?.["@pulumi/databricks"],
            "@types/node": typesNode.version,
            typescript: root.dependencies?.typescript,
          },
        },
        null,
        2,
      ),
    );
    // The packed packages depend on each other by version: point those at the tarballs too.
    writeFileSync(
      join(scratch, "pnpm-workspace.yaml"),
      [
        "overrides:",
        `  "@pulumi/pulumi": ${JSON.stringify(root.dependencies?.["@pulumi/pulumi"])}`,
        ...Object.entries(hdp).map(
          ([name, spec]) => `  ${JSON.stringify(name)}: ${JSON.stringify(spec)}`,
        ),
        allowBuildsBlock(),
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          skipLibCheck: true,
          types: ["node"],
          outDir: "dist",
          rootDir: "src",
        },
        include: ["src"],
      }),
    );
    writeFileSync(join(scratch, "src", "index.ts"), PROGRAM);
    // The other repository's own estate.
    cpSync(join(ROOT, "test", "fixtures", "base"), join(scratch, "configs"), { recursive: true });

    const store = run(pnpm, ["store", "path"], ROOT).stdout.trim();
    run(
      pnpm,
      [
        "install",
        "--prefer-offline",
        "--no-frozen-lockfile",
        "--store-dir",
        store,
        "--reporter",
        "append-only",
      ],
      scratch,
    );
    const tsc = require.resolve("typescript/bin/tsc", { paths: [scratch] });
    run(tsc, ["-p", join(scratch, "tsconfig.json")], scratch);
    program = JSON.parse(
      run(process.execPath, [join(scratch, "dist", "index.js")], scratch).stdout,
    ) as ProgramResult;
    // `pulumi preview --policy-pack node_modules/@hdp/policy`, as the CLI's runner starts it.
    pack = await startPolicyPack(join(scratch, "node_modules", "@hdp", "policy"), {
      ...process.env,
      NODE_OPTIONS: "",
    });
  }, 600_000);

  afterAll(() => {
    if (temp !== "") rmSync(temp, { recursive: true, force: true });
  });

  it("packs exactly the publishable packages: never the private root or @hdp/testing", () => {
    expect(packedNames.length).toBeGreaterThan(0);
    expect([...packedNames].sort()).toEqual(PACKAGES.map((d) => `@hdp/${d}`).sort());
    expect(packedNames).not.toContain("health-data-platform");
    expect(packedNames).not.toContain("@hdp/testing");
  });

  it("packs every listed package into the temporary directory, not the workspace", () => {
    expect([...packed.keys()].sort()).toEqual([...PACKAGES].sort());
    for (const p of packed.values()) {
      expect(dirname(p.tarball)).toBe(join(temp, "tarballs"));
      expect(p.manifest.name).toBe(`@hdp/${p.dir}`);
    }
    // pnpm wrote nothing into the workspace (its default destination is the package directory).
    const written = [ROOT, ...PACKAGES.map((p) => join(ROOT, "packages", p))].flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith(".tgz") && statSync(join(dir, f)).mtimeMs >= started)
        .map((f) => join(dir, f)),
    );
    expect(written).toEqual([]);
  });

  it("rewrites workspace:* dependencies to the packed versions", () => {
    const versions = new Map(
      [...packed.values()].map((p) => [p.manifest.name, p.manifest.version]),
    );
    for (const p of packed.values()) {
      const source = readJson<Manifest>(join(ROOT, "packages", p.dir, "package.json"));
      for (const field of ["dependencies", "peerDependencies"] as const) {
        for (const [name, spec] of Object.entries(p.manifest[field] ?? {})) {
          expect([p.dir, name, spec.startsWith("workspace:")]).toEqual([p.dir, name, false]);
          if (source[field]?.[name]?.startsWith("workspace:") === true) {
            expect([p.dir, name, spec]).toEqual([p.dir, name, versions.get(name)]);
          }
        }
      }
      // Every internal dependency is packed here too, so the scratch project can install it.
      for (const name of Object.keys(p.manifest.dependencies ?? {}).filter((n) =>
        n.startsWith("@hdp/"),
      )) {
        expect([p.dir, name, versions.has(name)]).toEqual([p.dir, name, true]);
      }
    }
  });

  it("packs dist JavaScript with declarations, and no tests, sources or build info", () => {
    for (const p of packed.values()) {
      const js = p.files.filter((f) => /^dist\/.*\.js$/.test(f));
      expect([p.dir, p.files]).toEqual([
        p.dir,
        expect.arrayContaining(["package.json", "dist/index.js", "dist/index.d.ts"]),
      ]);
      for (const f of js) {
        expect([p.dir, f, p.files.includes(f.replace(/\.js$/, ".d.ts"))]).toEqual([p.dir, f, true]);
      }
      const forbidden = p.files.filter(
        (f) =>
          /\.test\.|(^|\/)src\/|__fixtures__|tsbuildinfo|(^|\/)node_modules\//.test(f) ||
          (f.endsWith(".ts") && !f.endsWith(".d.ts")),
      );
      expect([p.dir, forbidden]).toEqual([p.dir, []]);
      // What a consumer resolves must be in the tarball (no "@hdp/source" condition into src/).
      expect(JSON.stringify(p.manifest.exports)).not.toContain("src/");
      expect(p.files).toContain((p.manifest.types ?? "").replace(/^\.\//, ""));
      expect(p.files).toContain((p.manifest.main ?? "").replace(/^\.\//, ""));
    }
    // @hdp/platform deploys the repository's ingest code: the same Python files, shipped.
    const platform = [...packed.values()].find((p) => p.manifest.name === "@hdp/platform");
    const shipped = (platform?.files ?? []).filter((f) => f.startsWith("pipelines/hdp_pipelines/"));
    expect(shipped).toContain("pipelines/hdp_pipelines/entry.py");
    expect(shipped.filter((f) => !f.endsWith(".py"))).toEqual([
      "pipelines/hdp_pipelines/raw_tables.json",
    ]);
    // @hdp/config validates raw-format tables against the same manifest (its prepack copies it).
    const config = [...packed.values()].find((p) => p.manifest.name === "@hdp/config");
    expect(config?.files).toContain("pipelines/raw_tables.json");
  });

  it("installs exactly one @pulumi/pulumi, 3.248.0, shared by every package", () => {
    const sdkFrom = (from: string): string =>
      realpathSync(dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [from] })));
    // Each package as Node finds it: from the project, else from an installed package using it.
    const dirs = new Map<string, string>();
    const find = (name: string): string | undefined => {
      for (const from of [scratch, ...dirs.values()]) {
        try {
          return realpathSync(dirname(require.resolve(`${name}/package.json`, { paths: [from] })));
        } catch {
          // not from here
        }
      }
      return undefined;
    };
    const program = sdkFrom(scratch);
    expect(readJson<Manifest>(join(program, "package.json")).version).toBe("3.248.0");
    const users = [
      "@pulumi/aws",
      "@pulumi/databricks",
      ...[...packed.values()].map((p) => p.manifest.name),
    ];
    // Resolve in dependency order: keep going while some package becomes findable.
    for (let round = 0; round < users.length; round++) {
      for (const name of users) {
        const dir = dirs.has(name) ? undefined : find(name);
        if (dir !== undefined) dirs.set(name, dir);
      }
    }
    expect(users.filter((n) => !dirs.has(n))).toEqual([]);
    // Every package that uses the SDK (depends on it or takes it as a peer) gets the program's.
    const usesSdk = (name: string): boolean => {
      const m = readJson<Manifest>(join(dirs.get(name) ?? "", "package.json"));
      return "@pulumi/pulumi" in { ...m.dependencies, ...m.peerDependencies };
    };
    // Node's own lookup (node_modules of the package and its parents), never leaving the
    // scratch project: jest's resolver would fall back to the workspace's copy.
    const nodeLookup = (from: string): string | undefined => {
      for (let dir = from; dir.startsWith(scratch); dir = dirname(dir)) {
        const candidate = join(dir, "node_modules", "@pulumi", "pulumi", "package.json");
        if (existsSync(candidate)) return realpathSync(dirname(candidate));
        if (dirname(dir) === dir) break;
      }
      return undefined;
    };
    const sdkUsers = users.filter(usesSdk);
    const loaded = sdkUsers.filter((n) => nodeLookup(dirs.get(n) ?? "") !== undefined);
    // The packages that load the SDK at run time find it, and all find the program's copy.
    expect(loaded).toEqual(
      expect.arrayContaining(["@pulumi/aws", "@pulumi/databricks", "@hdp/lake", "@hdp/cli"]),
    );
    for (const name of loaded) {
      expect([name, nodeLookup(dirs.get(name) ?? "")]).toEqual([name, program]);
    }
  });

  it("ships clean manifests: engines, no private packages named, types for every subpath", () => {
    const names = new Set([...packed.values()].map((p) => p.manifest.name));
    for (const p of packed.values()) {
      expect([p.dir, p.manifest.engines?.node]).toEqual([p.dir, expect.stringMatching(/^>=\d+/)]);
      // A consumer cannot install what was never published (@hdp/testing is private).
      const internal = Object.keys({
        ...p.manifest.dependencies,
        ...p.manifest.peerDependencies,
        ...p.manifest.devDependencies,
      }).filter((n) => n.startsWith("@hdp/"));
      expect([p.dir, internal.filter((n) => !names.has(n))]).toEqual([p.dir, []]);
      // Source maps would point at src/, which is not shipped.
      expect([p.dir, p.files.filter((f) => f.endsWith(".map"))]).toEqual([p.dir, []]);
      // Older resolvers (moduleResolution node10) ignore exports: typesVersions maps subpaths.
      const exportsMap = (p.manifest.exports ?? {}) as Record<string, { types?: string } | string>;
      for (const [sub, target] of Object.entries(exportsMap)) {
        if (sub === "." || typeof target === "string" || target.types === undefined) continue;
        expect([p.dir, sub, p.manifest.typesVersions?.["*"]?.[sub.slice(2)]]).toEqual([
          p.dir,
          sub,
          [target.types],
        ]);
        expect(p.files).toContain(target.types.replace(/^\.\//, ""));
      }
    }
    const bin = packed.get("cli")?.manifest.bin?.hdp ?? "";
    expect(packed.get("cli")?.files).toContain(bin.replace(/^\.\//, ""));
  });

  it("another repository plans its own configs/ with npx hdp validate | plan | query", () => {
    const validate = npxHdp(["validate"]);
    expect({ status: validate.status, stderr: validate.stderr }).toEqual({ status: 0, stderr: "" });
    expect(validate.stdout).toMatch(/^valid: 2 hospitals/);

    for (const extra of [[], ["--program", "@hdp/platform"]]) {
      const plan = npxHdp(["plan", "--stack", "dev", "--no-cache", ...extra]);
      expect([extra, plan.status, plan.stderr]).toEqual([
        extra,
        0,
        expect.stringMatching(/planned 1 stack\(s\)/),
      ]);
      expect(plan.stderr).not.toMatch(/\n\s+at /);
      expect(plan.stdout).toMatch(/^dev: \d+ resources/m);
      expect(plan.stdout).toContain("aws:s3/bucket:Bucket");
    }

    const query = npxHdp([
      "query",
      "--format",
      "paths",
      "SELECT file, line FROM tables ORDER BY key",
    ]);
    expect({ status: query.status, stderr: query.stderr }).toEqual({ status: 0, stderr: "" });
    expect(query.stdout).toBe(
      [
        "configs/sources/lab/tables/orders.yaml:1",
        "configs/sources/lab/tables/results.yaml:1",
        "configs/sources/payroll/tables/employees.yaml:1",
        "configs/sources/payroll/tables/timesheets.yaml:1",
        "",
      ].join("\n"),
    );
  });

  it("the installed policy pack comes up under the Pulumi CLI's policy runner", () => {
    expect({ stderr: pack?.stderr, exitCode: pack?.exitCode }).toEqual({
      stderr: "",
      exitCode: null,
    });
    expect(pack?.port).toBeGreaterThan(0);
  });

  it("compiles a program against the tarballs and runs it under mocks", () => {
    expect(program.failures).toEqual([]);
    const components = program.resources
      .filter((r) => r.type.startsWith("hdp:"))
      .map((r) => `${r.type} ${r.name}`);
    expect(components).toEqual(
      expect.arrayContaining([
        "hdp:lake:LakeBuckets core",
        "hdp:iam:SourceIngestRole ingest-epic",
        "hdp:iam:MwaaExecutionRole airflow-role",
        "hdp:airflow:AirflowEnvironment airflow",
        "hdp:spark:UnityCatalogStorage uc",
      ]),
    );
    expect(components).toContain("hdp:iam:UnityCatalogStorageRole uc-role");

    // The ingest role, built from the packed @hdp/iam, grants exactly its prefixes.
    const ingest = program.resources
      .filter((r) => r.name.startsWith("ingest-epic-"))
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    expect(ingest).toEqual([
      "aws:iam/policy:Policy ingest-epic-policy-1",
      "aws:iam/role:Role ingest-epic-role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment ingest-epic-attachment-1",
    ]);
    const policy = program.resources.find((r) => r.name === "ingest-epic-policy-1");
    const landing = program.resources.find(
      (r) => r.type === "aws:s3/bucket:Bucket" && String(r.inputs.bucket).includes("landing"),
    );
    expect(landing).toBeDefined();
    expect(JSON.parse(String(policy?.inputs.policy))).toMatchObject({
      Statement: expect.arrayContaining([
        expect.objectContaining({
          Resource: [
            `arn:aws:s3:::${String(landing?.inputs.bucket)}/epic-clarity/encounters/*`,
            `arn:aws:s3:::${String(landing?.inputs.bucket)}/epic-clarity/labs/*`,
          ],
        }),
      ]),
    });
    expect(program.resources.some((r) => r.type === "aws:mwaa/environment:Environment")).toBe(true);
    expect(
      program.resources.some(
        (r) => r.type === "databricks:index/externalLocation:ExternalLocation",
      ),
    ).toBe(true);
  });
});
