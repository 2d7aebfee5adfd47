import { dirname } from "node:path";

/**
 * Two copies of @pulumi/pulumi break the mock runtime (`resp.getUnknown is not a function`, hangs):
 * the program, every component package and every provider must resolve the same copy.
 */
describe("toolchain", () => {
  const resolveFrom = (pkg: string, from: string): string =>
    dirname(require.resolve(`${pkg}/package.json`, { paths: [from] }));
  const root = resolveFrom("@pulumi/pulumi", __dirname);

  it("the root program's providers share its @pulumi/pulumi", () => {
    for (const provider of ["@pulumi/aws", "@pulumi/databricks"]) {
      expect(resolveFrom("@pulumi/pulumi", resolveFrom(provider, `${__dirname}/..`))).toBe(root);
    }
  });

  it.each(["lake", "iam", "spark", "airflow", "testing"])(
    "@hdp/%s and its providers share the program's @pulumi/pulumi",
    (name) => {
      const pkgDir = `${__dirname}/../packages/${name}`;
      expect(resolveFrom("@pulumi/pulumi", pkgDir)).toBe(root);
      for (const provider of ["@pulumi/aws", "@pulumi/databricks"]) {
        let providerDir: string;
        try {
          providerDir = resolveFrom(provider, pkgDir);
        } catch {
          continue; // this package does not use that provider
        }
        expect(resolveFrom("@pulumi/pulumi", providerDir)).toBe(root);
      }
    },
  );
});
