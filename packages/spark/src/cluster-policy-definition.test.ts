import fc from "fast-check";
import {
  buildClusterPolicyDefinition,
  type ClusterPolicySpec,
  renderClusterPolicyDefinition,
  validateAutotermination,
  validateClusterPolicySpec,
} from "./cluster-policy-definition";
import { isRuntimeKey, validateRuntime } from "./runtime";

const TAGS = {
  owner: "data-platform",
  domain: "clinical",
  "data-classification": "phi",
  environment: "prod",
  "cost-center": "cc-1234",
};

const spec = (over: Partial<ClusterPolicySpec> = {}): ClusterPolicySpec => ({
  autoterminationMinutes: 60,
  dataSecurityMode: "SINGLE_USER",
  runtime: "auto:latest-lts",
  compute: { nodeTypes: ["m6i.xlarge", "r6i.xlarge"] },
  maxWorkers: 8,
  tags: TAGS,
  ...over,
});

describe("validateAutotermination", () => {
  it.each([0, 10, 60, 10000])("accepts fixed %i", (v) => {
    expect(validateAutotermination("a", v)).toEqual([]);
  });
  it.each([1, 9, 10001, -5, 12.5])("rejects fixed %p", (v) => {
    expect(validateAutotermination("a", v)).toEqual([
      `a: ${v} must be 0 (never) or an integer from 10 to 10000 minutes`,
    ]);
  });
  it.each([
    [{ min: 10, max: 120 }, []],
    [{ min: 30, max: 30, default: 30 }, []],
    [{ min: 0, max: 60 }, ["a.min: 0 must be an integer from 10 to 10000"]],
    [{ min: 10, max: 20000 }, ["a.max: 20000 must be an integer from 10 to 10000"]],
    [{ min: 60, max: 30 }, ["a: min 60 is above max 30"]],
    [{ min: 10, max: 30, default: 45 }, ["a.default: 45 is outside 10–30"]],
  ])("range %p -> %p", (range, problems) => {
    expect(validateAutotermination("a", range)).toEqual(problems);
  });
  it("agrees with the rule 0 or 10..10000 on every integer", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 20000 }), (v) => {
        const ok = v === 0 || (v >= 10 && v <= 10000);
        expect(validateAutotermination("a", v).length === 0).toBe(ok);
      }),
    );
  });
});

describe("runtime", () => {
  it.each([
    "15.4.x-scala2.12",
    "16.4.x-scala2.13",
    "15.4.x-photon-scala2.12",
    "15.4.x-cpu-ml-scala2.12",
    "14.3.x-gpu-ml-scala2.12",
    "13.3.x-aarch64-scala2.12",
  ])("accepts the real key %s (no -lts in it)", (key) => {
    expect(isRuntimeKey(key)).toBe(true);
    expect(validateRuntime("runtime", [key])).toEqual([]);
  });
  it.each(["15.4-lts", "latest", "15.4.x", "auto:latest-lts", "15.4.x-scala2.12 "])(
    "rejects %p as a key",
    (key) => expect(validateRuntime("runtime", [key])).toHaveLength(1),
  );
  it.each(["auto:latest-lts", "auto:latest-lts-ml"])("accepts the alias %s", (alias) => {
    expect(validateRuntime("runtime", alias)).toEqual([]);
  });
  it.each(["auto:latest", "15.4.x-scala2.12"])("rejects %s as a single string", (v) => {
    expect(validateRuntime("runtime", v)[0]).toContain("is neither");
  });
  it("rejects an empty list and duplicates", () => {
    expect(validateRuntime("runtime", [])).toEqual(["runtime: the list of runtime keys is empty"]);
    expect(validateRuntime("runtime", ["15.4.x-scala2.12", "15.4.x-scala2.12"])).toEqual([
      "runtime: duplicate runtime keys 15.4.x-scala2.12",
    ]);
  });
});

describe("validateClusterPolicySpec", () => {
  it("accepts the house spec", () => expect(validateClusterPolicySpec(spec())).toEqual([]));
  it("collects every problem at once, each naming its field", () => {
    const problems = validateClusterPolicySpec(
      spec({
        autoterminationMinutes: 5,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an invalid value on purpose
        dataSecurityMode: "NONE" as any,
        singleUserName: "svc",
        runtime: ["15.4-lts"],
        compute: { nodeTypes: [] },
        maxWorkers: 0,
      }),
    );
    expect(problems).toEqual([
      "autoterminationMinutes: 5 must be 0 (never) or an integer from 10 to 10000 minutes",
      'runtime: "15.4-lts" is not a Databricks runtime key (expected e.g. "15.4.x-scala2.12" or "15.4.x-photon-scala2.12")',
      "maxWorkers: 0 must be an integer from 1 to 1000",
      'dataSecurityMode: "NONE" is not a Unity Catalog mode; use "SINGLE_USER" or "USER_ISOLATION"',
      'singleUserName: only allowed with dataSecurityMode "SINGLE_USER"',
      "nodeTypes: the allow-list is empty",
    ]);
  });
  it("rejects an empty pool list", () => {
    expect(validateClusterPolicySpec(spec({ compute: { instancePoolIds: [] } }))).toEqual([
      "instancePoolIds: the allow-list is empty",
    ]);
  });
});

describe("buildClusterPolicyDefinition", () => {
  it("renders one rule per attribute for a node-type policy", () => {
    expect(buildClusterPolicyDefinition(spec())).toEqual({
      "autoscale.max_workers": { type: "range", maxValue: 8, isOptional: true },
      autotermination_minutes: { type: "fixed", value: 60 },
      "aws_attributes.instance_profile_arn": { type: "forbidden", hidden: true },
      "custom_tags.cost-center": { type: "fixed", value: "cc-1234" },
      "custom_tags.data-classification": { type: "fixed", value: "phi" },
      "custom_tags.domain": { type: "fixed", value: "clinical" },
      "custom_tags.environment": { type: "fixed", value: "prod" },
      "custom_tags.owner": { type: "fixed", value: "data-platform" },
      data_security_mode: { type: "fixed", value: "SINGLE_USER" },
      driver_instance_pool_id: { type: "forbidden", hidden: true },
      driver_node_type_id: {
        type: "allowlist",
        values: ["m6i.xlarge", "r6i.xlarge"],
        defaultValue: "m6i.xlarge",
      },
      enable_local_disk_encryption: { type: "fixed", value: true },
      instance_pool_id: { type: "forbidden", hidden: true },
      node_type_id: {
        type: "allowlist",
        values: ["m6i.xlarge", "r6i.xlarge"],
        defaultValue: "m6i.xlarge",
      },
      num_workers: { type: "range", maxValue: 8, isOptional: true },
      spark_version: { type: "fixed", value: "auto:latest-lts" },
      "ssh_public_keys.*": { type: "forbidden", hidden: true },
    });
  });

  it("forbids node types, omits custom tags and allows the pools for a pool policy", () => {
    const def = buildClusterPolicyDefinition(
      spec({
        compute: { instancePoolIds: ["0101-pool-a"] },
        runtime: ["15.4.x-scala2.12", "16.4.x-scala2.12"],
        autoterminationMinutes: undefined,
        dataSecurityMode: "USER_ISOLATION",
        clusterType: "job",
        maxDbusPerHour: 40,
        instanceProfileArns: ["arn:aws:iam::123456789012:instance-profile/x"],
      }),
    );
    expect(def.node_type_id).toEqual({ type: "forbidden", hidden: true });
    expect(def.driver_node_type_id).toEqual({ type: "forbidden", hidden: true });
    expect(def.instance_pool_id).toEqual({
      type: "allowlist",
      values: ["0101-pool-a"],
      defaultValue: "0101-pool-a",
    });
    expect(def.driver_instance_pool_id).toMatchObject({ type: "allowlist", isOptional: true });
    expect(Object.keys(def).filter((k) => k.startsWith("custom_tags."))).toEqual([]);
    expect(def.spark_version).toEqual({
      type: "allowlist",
      values: ["15.4.x-scala2.12", "16.4.x-scala2.12"],
      defaultValue: "15.4.x-scala2.12",
    });
    // Job clusters end with their run: no auto-termination rule, cluster_type and DBUs instead.
    expect(def.autotermination_minutes).toBeUndefined();
    expect(def.dbus_per_hour).toEqual({ type: "range", maxValue: 40 });
    expect(def.data_security_mode).toEqual({ type: "fixed", value: "USER_ISOLATION" });
    expect(def.cluster_type).toEqual({ type: "fixed", value: "job" });
    expect(def["aws_attributes.instance_profile_arn"]).toMatchObject({ type: "allowlist" });
  });

  it("keeps a range of auto-termination for policies that allow all-purpose clusters", () => {
    for (const clusterType of ["all-purpose", undefined] as const) {
      const def = buildClusterPolicyDefinition(
        spec({ autoterminationMinutes: { min: 10, max: 120 }, clusterType }),
      );
      expect(def.autotermination_minutes).toEqual({
        type: "range",
        minValue: 10,
        maxValue: 120,
        defaultValue: 10,
      });
    }
  });

  it.each([
    [{ clusterType: "job" as const, autoterminationMinutes: 60 }, "has no effect on job clusters"],
    [
      { clusterType: "all-purpose" as const, autoterminationMinutes: undefined },
      "required for a policy that allows all-purpose clusters",
    ],
    [
      { autoterminationMinutes: undefined },
      "required for a policy that allows all-purpose clusters",
    ],
    [
      { clusterType: "job" as const, autoterminationMinutes: undefined, maxDbusPerHour: 0 },
      "maxDbusPerHour: 0 must be an integer",
    ],
  ])("refuses %p", (over, message) => {
    expect(validateClusterPolicySpec(spec(over)).join("\n")).toContain(message);
  });

  it("fixes single_user_name when given", () => {
    const def = buildClusterPolicyDefinition(spec({ singleUserName: "a1b2-sp" }));
    expect(def.single_user_name).toEqual({ type: "fixed", value: "a1b2-sp" });
  });

  it("is a stable, valid JSON rendering whatever the tag order (property)", () => {
    const tagKey = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
    fc.assert(
      fc.property(
        fc.dictionary(tagKey, fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 10 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 10, max: 10000 })),
        fc.integer({ min: 1, max: 1000 }),
        (tags, auto, maxWorkers) => {
          const reversed = Object.fromEntries(Object.entries(tags).reverse());
          const a = renderClusterPolicyDefinition(
            spec({ tags, autoterminationMinutes: auto, maxWorkers }),
          );
          const b = renderClusterPolicyDefinition(
            spec({ tags: reversed, autoterminationMinutes: auto, maxWorkers }),
          );
          expect(a).toBe(b);
          const parsed = JSON.parse(a) as Record<
            string,
            { type: string; value?: unknown; maxValue?: number }
          >;
          expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
          for (const [k, v] of Object.entries(tags)) {
            expect(parsed[`custom_tags.${k}`]).toEqual({ type: "fixed", value: v });
          }
          expect(parsed.autotermination_minutes).toEqual({ type: "fixed", value: auto });
          expect(parsed["autoscale.max_workers"]?.maxValue).toBe(maxWorkers);
          expect(parsed.num_workers?.maxValue).toBe(maxWorkers);
          expect(parsed.data_security_mode?.value).toBe("SINGLE_USER");
        },
      ),
    );
  });
});
