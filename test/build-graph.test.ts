/**
 * `pnpm build` (`tsc -b packages/*\/tsconfig.build.json`) builds a package only after the
 * packages its tsconfig.build.json references: a workspace dependency missing there builds
 * from a checkout that happens to have the other dist/ already, and fails from a clean one.
 * (test/packaging.test.ts builds every package from a clean copy; this names the culprit.)
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const PACKAGES = readdirSync(join(ROOT, "packages")).filter((d) =>
  existsSync(join(ROOT, "packages", d, "package.json")),
);

interface Manifest {
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const internal = (m: Manifest): string[] =>
  Object.keys({ ...m.dependencies, ...m.peerDependencies })
    .filter((n) => n.startsWith("@hdp/"))
    .map((n) => n.slice("@hdp/".length))
    .sort();

describe("build graph", () => {
  it("finds the workspace packages", () => {
    expect(PACKAGES).toEqual(expect.arrayContaining(["cli", "config", "plan", "policy"]));
  });

  it.each(PACKAGES)("packages/%s/tsconfig.build.json references each @hdp dependency", (dir) => {
    const manifest = JSON.parse(
      readFileSync(join(ROOT, "packages", dir, "package.json"), "utf8"),
    ) as Manifest;
    const build = JSON.parse(
      readFileSync(join(ROOT, "packages", dir, "tsconfig.build.json"), "utf8"),
    ) as { references?: { path: string }[] };
    const refs = (build.references ?? [])
      .map((r) => /^\.\.\/([^/]+)\/tsconfig\.build\.json$/.exec(r.path)?.[1] ?? r.path)
      .sort();
    expect(refs).toEqual(internal(manifest));
  });
});
