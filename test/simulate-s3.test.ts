/**
 * `hdp simulate data --out s3://bucket/prefix` against a real S3-compatible server: moto in
 * server mode, from the pinned Python environment (python/requirements.lock), on loopback. The
 * real `hdp` runs in its own process with dummy credentials in its environment only; the
 * objects are read back over plain HTTP (moto does not check signatures), independently of the
 * SDK that wrote them, and compared byte for byte with a local run of the same seed.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = join(__dirname, "..");
const BIN = join(ROOT, "node_modules", ".bin", "hdp");
const PYTHON = join(ROOT, ".venv", "bin", "python");
const CONFIGS = join(ROOT, "configs");
/** Preloaded to terminate a worker thread mid-run (see test/simulate-data-crash.test.ts). */
const KILL_WORKER = join(__dirname, "support/kill-block-worker.cjs");
/** `hdp` from its sources in this process's node, so a preload reaches the command itself. */
const HDP_FROM_SOURCE = [
  "--import",
  pathToFileURL(require.resolve("tsx", { paths: [ROOT] })).href,
  "--conditions=@hdp/source",
  join(ROOT, "packages/cli/src/bin.ts"),
];

let moto: ChildProcess;
/** Everything moto has logged: its request log (one line per request). */
let motoLog = "";
let endpoint: string;
let dir: string;

/** The environment without any AWS setting of the machine running the tests. */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
const DUMMY = {
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
};

function hdp(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  command: readonly string[] = [BIN],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], [...command.slice(1), ...argv], { cwd: dir, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A request to moto as the dummy user (it checks who asks, not the signature; objects are private). */
const s3 = (path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${endpoint}/${path}`, {
    ...init,
    headers: {
      Authorization:
        "AWS4-HMAC-SHA256 Credential=testing/20250106/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0",
    },
  });

/** Every key under `prefix` (ListObjectsV2, following continuation tokens). */
async function keys(bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const q = new URLSearchParams({ "list-type": "2", prefix });
    if (token !== undefined) q.set("continuation-token", token);
    const xml = await (await s3(`${bucket}?${q.toString()}`)).text();
    out.push(...[...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]));
    token = /<NextContinuationToken>([^<]*)</.exec(xml)?.[1];
  } while (token !== undefined);
  return out.sort();
}

/** Keys of the multipart uploads started and neither completed nor aborted under `prefix`. */
async function uploads(bucket: string, prefix: string): Promise<string[]> {
  const q = new URLSearchParams({ uploads: "", prefix });
  const r = await s3(`${bucket}?${q.toString()}`);
  expect(r.status).toBe(200);
  const xml = await r.text();
  expect(xml).toContain("ListMultipartUploadsResult");
  return [...xml.matchAll(/<Upload>[\s\S]*?<Key>([^<]*)<\/Key>/g)].map((m) => m[1]).sort();
}

const object = async (bucket: string, key: string): Promise<Buffer> => {
  const r = await s3(`${bucket}/${key}`);
  expect(r.status).toBe(200);
  return Buffer.from(await r.arrayBuffer());
};

/** Files under `root`, relative, sorted. */
function files(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

beforeAll(async () => {
  if (!existsSync(PYTHON))
    throw new Error(
      `${PYTHON} is missing: run \`node scripts/python-env.mjs\` (the test command does)`,
    );
  dir = mkdtempSync(join(tmpdir(), "hdp-sim-s3-"));
  moto = spawn(PYTHON, ["-m", "moto.server", "-H", "127.0.0.1", "-p", "0"], {
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  endpoint = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`moto did not start:\n${seen}`)), 60_000);
    const onData = (d: Buffer): void => {
      motoLog += d.toString();
      seen += d.toString();
      const m = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    // Both pipes are read for the server's whole life, so its request log never blocks it.
    moto.stdout!.on("data", onData);
    moto.stderr!.on("data", onData);
    moto.once("exit", (code) => reject(new Error(`moto exited (${code}):\n${seen}`)));
  });
  expect((await s3("landing", { method: "PUT" })).status).toBe(200);
}, 90_000);

afterAll(async () => {
  if (moto !== undefined && moto.exitCode === null) {
    const exited = new Promise((r) => moto.once("exit", r));
    moto.kill("SIGTERM");
    await exited;
  }
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const data = (source: string, out: string, ...extra: string[]): string[] =>
  sized(source, out, 40, 2, ...extra);
const sized = (
  source: string,
  out: string,
  rows: number,
  days: number,
  ...extra: string[]
): string[] => [
  "simulate",
  "data",
  "--configs",
  CONFIGS,
  "--env",
  "dev",
  "--source",
  source,
  "--rows",
  String(rows),
  "--days",
  String(days),
  "--seed",
  "7",
  "--out",
  out,
  ...extra,
];

describe("hdp simulate data --out s3://", () => {
  test("writes the local layout's keys under the prefix, with the local run's bytes (parquet and HL7)", async () => {
    for (const source of ["epic-clarity", "sunquest-lab"]) {
      const local = await hdp(data(source, join(dir, source)), cleanEnv());
      expect(local.stderr).toBe("");
      expect(local.code).toBe(0);
      // The endpoint from the flag for one source, from the SDK's standard variable for the other.
      const viaFlag = source === "epic-clarity";
      const remote = await hdp(
        data(source, `s3://landing/raw/${source}`, ...(viaFlag ? ["--s3-endpoint", endpoint] : [])),
        { ...cleanEnv(), ...DUMMY, ...(viaFlag ? {} : { AWS_ENDPOINT_URL_S3: endpoint }) },
      );
      expect(remote.stderr).toBe("");
      expect(remote.code).toBe(0);
      expect(remote.stdout).toMatch(/^wrote [\d,]+ rows .* files to s3:\/\/landing\/raw\//);
      const want = files(join(dir, source));
      expect(want.length).toBeGreaterThan(source === "epic-clarity" ? 20 : 1);
      expect(want.some((f) => /\/dt=2025-01-07\/part-00000\.(parquet|hl7)$/.test(f))).toBe(true);
      const got = await keys("landing", `raw/${source}/`);
      expect(got).toEqual(want.map((f) => `raw/${source}/${f}`));
      for (const f of want)
        expect(
          (await object("landing", `raw/${source}/${f}`)).equals(
            readFileSync(join(dir, source, f)),
          ),
        ).toBe(true);
    }
  }, 360_000);

  test("a file larger than a multipart part streams up in parts, byte for byte", async () => {
    const args = (out: string): string[] =>
      sized("epic-clarity", out, 25_000, 1, "--table", "encounters", "--format", "ndjson");
    const local = await hdp(args(join(dir, "big")), cleanEnv());
    expect(local.code).toBe(0);
    const [file] = files(join(dir, "big"));
    const bytes = readFileSync(join(dir, "big", file));
    expect(bytes.length).toBeGreaterThan(6 * 1024 * 1024);
    const remote = await hdp(args("s3://landing/big"), {
      ...cleanEnv(),
      ...DUMMY,
      AWS_ENDPOINT_URL: endpoint,
    });
    expect(remote.stderr).toBe("");
    expect(remote.code).toBe(0);
    expect(await keys("landing", "big/")).toEqual([`big/${file}`]);
    const head = await s3(`landing/big/${file}`, { method: "HEAD" });
    // A multipart object's ETag is "<md5 of the parts' md5s>-<parts>".
    expect(head.headers.get("etag")).toMatch(/-2"$/);
    expect((await object("landing", `big/${file}`)).equals(bytes)).toBe(true);
  }, 240_000);

  test("refuses a non-empty prefix like a non-empty directory (exit 2, nothing written), unless --overwrite", async () => {
    const env = { ...cleanEnv(), ...DUMMY };
    const first = await hdp(
      data("bed-management", "s3://landing/again", "--s3-endpoint", endpoint),
      env,
    );
    expect(first.code).toBe(0);
    const before = await keys("landing", "again/");
    expect(before.length).toBeGreaterThan(0);
    const refused = await hdp(
      data("epic-clarity", "s3://landing/again", "--s3-endpoint", endpoint),
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "hdp: s3://landing/again is not empty: simulate data writes into a new or empty prefix (--overwrite to write into it)\n",
    );
    expect(await keys("landing", "again/")).toEqual(before);
    // A prefix that only shares the beginning of the name is another prefix.
    const sibling = await hdp(
      data("bed-management", "s3://landing/ag", "--s3-endpoint", endpoint),
      env,
    );
    expect(sibling.code).toBe(0);
    const over = await hdp(
      data("bed-management", "s3://landing/again", "--s3-endpoint", endpoint, "--overwrite"),
      env,
    );
    expect(over.code).toBe(0);
    expect(await keys("landing", "again/")).toEqual(before);
  }, 300_000);

  test("a missing bucket, missing credentials or an unreachable endpoint is one line and exit 1", async () => {
    const noBucket = await hdp(
      data("bed-management", "s3://no-such-bucket/x", "--s3-endpoint", endpoint),
      {
        ...cleanEnv(),
        ...DUMMY,
      },
    );
    expect(noBucket.code).toBe(1);
    expect(noBucket.stderr).toBe(
      'hdp: s3://no-such-bucket/x: bucket "no-such-bucket" does not exist\n',
    );

    const home = mkdtempSync(join(dir, "home-"));
    const noCredentials = await hdp(
      data("bed-management", "s3://landing/nocreds", "--s3-endpoint", endpoint),
      {
        ...cleanEnv(),
        HOME: home,
        AWS_CONFIG_FILE: join(home, "none"),
        AWS_SHARED_CREDENTIALS_FILE: join(home, "none"),
        AWS_EC2_METADATA_DISABLED: "true",
      },
    );
    expect(noCredentials.code).toBe(1);
    expect(noCredentials.stderr).toMatch(
      /^hdp: no AWS credentials for s3:\/\/landing\/nocreds: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n$/,
    );

    const down = await hdp(
      data("bed-management", "s3://landing/down", "--s3-endpoint", "http://127.0.0.1:9"),
      {
        ...cleanEnv(),
        ...DUMMY,
        AWS_MAX_ATTEMPTS: "1",
      },
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(
      "hdp: s3://landing/down: cannot reach http://127.0.0.1:9 (ECONNREFUSED)\n",
    );
    expect(await keys("landing", "nocreds/")).toEqual([]);
    expect(await keys("landing", "down/")).toEqual([]);
  }, 240_000);

  test("a worker thread dying mid-run aborts the multipart upload under way: nothing is left behind", async () => {
    // One source, two row tables (pharmacy-1/patients, then pharmacy-1/providers), ndjson: 12
    // blocks of 10,000 rows each (~1.7 MB a block of providers), 100,000 rows a part file.
    const est = join(dir, "crash-estate");
    const estate = spawnSync(
      BIN,
      [
        "simulate",
        "estate",
        "--sources",
        "1",
        "--tables-per-source",
        "2",
        "--seed",
        "3",
        "--out",
        est,
      ],
      { encoding: "utf8" },
    );
    expect(estate.status).toBe(0);
    const args = (out: string): string[] => [
      "simulate",
      "data",
      "--configs",
      est,
      "--env",
      "dev",
      "--rows",
      "120000",
      "--threads",
      "2",
      "--format",
      "ndjson",
      "--out",
      out,
    ];
    const local = await hdp(args(join(dir, "crash-whole")), cleanEnv());
    expect(local.code).toBe(0);
    const whole = files(join(dir, "crash-whole"));
    const patients = whole.filter((f) => f.startsWith("pharmacy-1/patients/"));
    expect(patients).toHaveLength(2);
    expect(whole.filter((f) => f.startsWith("pharmacy-1/providers/"))).toHaveLength(2);
    // Blocks 1-12 are the first table's (two part files); the thread given block 22 dies while
    // the second table's first file is being uploaded: more than a 5 MiB part has been written.
    const logFrom = motoLog.length;
    const crashed = await hdp(
      args("s3://landing/crash"),
      { ...cleanEnv(), ...DUMMY, AWS_ENDPOINT_URL_S3: endpoint, HDP_TEST_KILL_AT_BLOCK: "22" },
      [process.execPath, "--require", KILL_WORKER, ...HDP_FROM_SOURCE],
    );
    expect(crashed.stdout).toBe("");
    expect(crashed.stderr).toMatch(
      /^hdp: simulate data failed: a worker thread generating rows died \(exit code 1\) before finishing its blocks/,
    );
    expect(crashed.code).toBe(1);
    // What the server saw: the second table's multipart upload started (and, unless the machine
    // is slow to send them, parts of it uploaded), then aborted.
    const requests = motoLog.slice(logFrom);
    const providers = "/landing/crash/pharmacy-1/providers/dt%3D2025-01-06/part-00000.json";
    expect(requests).toContain(`"POST ${providers}?uploads=`);
    expect(requests).toMatch(
      new RegExp(`"DELETE ${providers}\\?uploadId=[^&"]+&x-id=AbortMultipartUpload`),
    );
    // Left behind: the first table's objects, whole; of the second, no object and no upload.
    expect(await keys("landing", "crash/")).toEqual(patients.map((f) => `crash/${f}`));
    for (const f of patients) {
      expect(
        (await object("landing", `crash/${f}`)).equals(readFileSync(join(dir, "crash-whole", f))),
      ).toBe(true);
    }
    expect(await uploads("landing", "crash/")).toEqual([]);
    // The check can see an upload left behind: one started and not completed is listed.
    const started = await s3("landing/crash/left-open.json?uploads", { method: "POST" });
    expect(started.status).toBe(200);
    expect(await uploads("landing", "crash/")).toEqual(["crash/left-open.json"]);
  }, 300_000);
});
