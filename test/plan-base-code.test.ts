/**
 * `plan({ base })` when the program's code changed between the base and the working tree: the
 * base revision's own @hdp/config and @hdp/platform run, from a tree extracted with git, with
 * the installed dependencies linked in. Done on a local clone of this repository where a commit
 * changes the program (the default tags of the AWS provider).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plan } from "@hdp/plan";
import { linkDependencies } from "../packages/plan/src/__fixtures__/trees";

const ROOT = join(__dirname, "..");

let clone: string;
beforeAll(() => {
  clone = join(mkdtempSync(join(tmpdir(), "hdp-plan-clone-")), "repo");
  execFileSync("git", ["clone", "-q", "--local", ROOT, clone]);
  linkDependencies(ROOT, clone);
  const tags = join(clone, "packages/platform/src/tags.ts");
  const before = readFileSync(tags, "utf8");
  const after = before.replace("environment: env });", 'environment: env, "plan-test": "yes" });');
  expect(after).not.toBe(before);
  writeFileSync(tags, after);
  execFileSync(
    "git",
    ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "a provider tag"],
    {
      cwd: clone,
    },
  );
}, 120_000);
afterAll(() => rmSync(join(clone, ".."), { recursive: true, force: true }));

it("plans the base with its own program and shows the program's change as an update", async () => {
  const r = await plan({
    configs: join(clone, "configs"),
    // The clone's own program: only when named does a base revision plan with its own code.
    program: join(clone, "packages/platform/src/index.ts"),
    stacks: ["dev"],
    base: "HEAD~1",
    jobs: 0,
    cacheDir: false,
  });
  expect(r.problems).toEqual([]);
  const d = r.diff?.stacks[0];
  expect(d?.updated.map((u) => [u.type, u.name, u.paths])).toEqual([
    ["pulumi:providers:aws", "aws", ["defaultTags{tags.plan-test}"]],
  ]);
  expect([d?.created, d?.deleted, d?.replaced]).toEqual([[], [], []]);
  // The clone's working tree is untouched by reading HEAD~1.
  expect(
    execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      cwd: clone,
      encoding: "utf8",
    }),
  ).toBe("");
}, 300_000);

it("counts the policy pack as code: a changed rule makes --changed-since plan every stack", async () => {
  const rule = join(clone, "packages/policy/src/rules/kms.ts");
  const before = readFileSync(rule, "utf8");
  const options = {
    configs: join(clone, "configs"),
    program: join(clone, "packages/platform/src/index.ts"),
    stacks: ["dev", "stage"],
    changedSince: "HEAD",
    jobs: 0,
    cacheDir: false as const,
  };
  const same = await plan(options);
  expect(same.unchanged).toEqual(["dev", "stage"]);
  try {
    writeFileSync(rule, `${before}\n// a reviewed change to a rule\n`);
    const changed = await plan(options);
    expect(changed.unchanged).toEqual([]);
    expect(changed.head.stacks.map((s) => s.stack)).toEqual(["dev", "stage"]);
    expect(changed.policy.stacks).toEqual(["dev", "stage"]);
  } finally {
    writeFileSync(rule, before);
  }
}, 300_000);

it("plans configs in another repository with this installation's program unless told otherwise", async () => {
  // The clone's program differs (its provider tag): by default it must not run.
  const r = await plan({
    configs: join(clone, "configs"),
    stacks: ["dev"],
    jobs: 0,
    cacheDir: false,
  });
  const inv = JSON.parse(r.inventoryJson()) as {
    stacks: Record<string, { resources: { type: string; inputs: Record<string, unknown> }[] }>;
  };
  const providers = Object.values(inv.stacks).flatMap((s) =>
    s.resources.filter((x) => x.type === "pulumi:providers:aws"),
  );
  expect(providers.length).toBeGreaterThan(0);
  for (const p of providers) expect(JSON.stringify(p.inputs)).not.toContain("plan-test");
  const own = await plan({
    configs: join(clone, "configs"),
    program: join(clone, "packages/platform/src/index.ts"),
    stacks: ["dev"],
    jobs: 0,
    cacheDir: false,
  });
  expect(own.inventoryJson()).toContain("plan-test");
}, 300_000);
