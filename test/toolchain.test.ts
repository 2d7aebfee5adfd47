import { readFileSync } from "node:fs";
import { dirname } from "node:path";

const PROVIDERS = ["@pulumi/aws", "@pulumi/databricks"];

/**
 * Two copies of @pulumi/pulumi break the mock runtime (`resp.getUnknown is not a function`, hangs):
 * the program, every component package and every provider must resolve the same copy.
 */
describe("toolchain", () => {
  const resolveFrom = (pkg: string, from: string): string =>
    dirname(require.resolve(`${pkg}/package.json`, { paths: [from] }));
  const root = resolveFrom("@pulumi/pulumi", __dirname);

  it("the root program's providers share its @pulumi/pulumi", () => {
    for (const provider of PROVIDERS) {
      expect(resolveFrom("@pulumi/pulumi", resolveFrom(provider, `${__dirname}/..`))).toBe(root);
    }
  });

  it.each(["lake", "iam", "spark", "airflow", "platform", "policy", "recorder", "testing"])(
    "@hdp/%s and the providers it declares share the program's @pulumi/pulumi",
    (name) => {
      const pkgDir = `${__dirname}/../packages/${name}`;
      expect(resolveFrom("@pulumi/pulumi", pkgDir)).toBe(root);
      const manifest = JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8")) as Record<
        string,
        Record<string, string> | undefined
      >;
      const declared = new Set(
        ["dependencies", "devDependencies", "peerDependencies"].flatMap((k) =>
          Object.keys(manifest[k] ?? {}),
        ),
      );
      // A provider the package declares must resolve (no silent skip); one it does not declare
      // is not its concern.
      for (const provider of PROVIDERS.filter((p) => declared.has(p))) {
        expect(resolveFrom("@pulumi/pulumi", resolveFrom(provider, pkgDir))).toBe(root);
      }
    },
  );

  it("every component package declares a provider the check above resolves", () => {
    for (const name of ["lake", "iam", "spark", "airflow"]) {
      const manifest = JSON.parse(
        readFileSync(`${__dirname}/../packages/${name}/package.json`, "utf8"),
      ) as { peerDependencies?: Record<string, string>; dependencies?: Record<string, string> };
      const deps = { ...manifest.dependencies, ...manifest.peerDependencies };
      expect([name, PROVIDERS.some((p) => p in deps)]).toEqual([name, true]);
    }
  });
});
