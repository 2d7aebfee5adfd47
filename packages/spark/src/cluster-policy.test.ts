import * as pulumi from "@pulumi/pulumi";
import { findResource, record, valueOf } from "@hdp/testing";
import { ClusterPolicy, type ClusterPolicyArgs } from "./cluster-policy";
import { HOUSE_TAGS, inventory } from "./__fixtures__";

const POLICY = "databricks:index/clusterPolicy:ClusterPolicy";

const args = (over: Partial<ClusterPolicyArgs> = {}): ClusterPolicyArgs => ({
  policyName: "hdp-prod-clinical-phi",
  nodeTypes: ["m6i.xlarge"],
  maxWorkers: 8,
  tags: HOUSE_TAGS,
  ...over,
});

describe("ClusterPolicy", () => {
  it("creates exactly one policy under the component with the house definition", async () => {
    const { resources } = await record(() => new ClusterPolicy("clinical-phi", args()));
    expect(inventory(resources)).toEqual([
      [POLICY, "clinical-phi-policy", "clinical-phi"],
      ["hdp:spark:ClusterPolicy", "clinical-phi", ""],
    ]);
    const policy = findResource(resources, POLICY, "clinical-phi-policy");
    expect(policy.inputs.name).toBe("hdp-prod-clinical-phi");
    const def = JSON.parse(policy.inputs.definition as string);
    expect(def.autotermination_minutes).toEqual({ type: "fixed", value: 60 });
    expect(def.data_security_mode).toEqual({ type: "fixed", value: "SINGLE_USER" });
    expect(def.spark_version).toEqual({ type: "fixed", value: "auto:latest-lts" });
    expect(def["autoscale.max_workers"]).toEqual({ type: "range", maxValue: 8, isOptional: true });
    expect(def.num_workers).toEqual({ type: "range", maxValue: 8, isOptional: true });
    expect(def.node_type_id).toMatchObject({ type: "allowlist", values: ["m6i.xlarge"] });
    expect(def.instance_pool_id).toEqual({ type: "forbidden", hidden: true });
    expect(def.enable_local_disk_encryption).toEqual({ type: "fixed", value: true });
    expect(def["aws_attributes.instance_profile_arn"]).toEqual({ type: "forbidden", hidden: true });
    for (const [k, v] of Object.entries(HOUSE_TAGS)) {
      expect(def[`custom_tags.${k}`]).toEqual({ type: "fixed", value: v });
    }
  });

  it("resolves pool ids (Outputs) into the allow-list and forbids node types", async () => {
    const { resources, result } = await record(
      () =>
        new ClusterPolicy(
          "pool",
          args({
            nodeTypes: undefined,
            instancePoolIds: [pulumi.output("0101-abc-pool")],
            autoterminationMinutes: { min: 10, max: 30, default: 20 },
            dataSecurityMode: "USER_ISOLATION",
            runtime: ["15.4.x-scala2.12"],
            maxClustersPerUser: 2,
          }),
        ),
    );
    const policy = findResource(resources, POLICY, "pool-policy");
    const def = JSON.parse(policy.inputs.definition as string);
    expect(def.instance_pool_id).toEqual({
      type: "allowlist",
      values: ["0101-abc-pool"],
      defaultValue: "0101-abc-pool",
    });
    expect(def.node_type_id).toEqual({ type: "forbidden", hidden: true });
    expect(def.autotermination_minutes).toEqual({
      type: "range",
      minValue: 10,
      maxValue: 30,
      defaultValue: 20,
    });
    expect(def.data_security_mode.value).toBe("USER_ISOLATION");
    expect(def.spark_version).toEqual({ type: "fixed", value: "15.4.x-scala2.12" });
    expect(policy.inputs.maxClustersPerUser).toBe(2);
    expect(result.usesInstancePools).toBe(true);
    expect(await valueOf(result.definition)).toBe(policy.inputs.definition);
  });

  it("rejects bad arguments with every problem listed", () => {
    expect(
      () =>
        new ClusterPolicy("bad", {
          nodeTypes: ["m6i.xlarge"],
          instancePoolIds: ["p"],
          maxWorkers: 8,
          tags: { owner: "x" },
          maxClustersPerUser: 0,
          autoterminationMinutes: 5,
        }),
    ).toThrow(
      [
        'ClusterPolicy "bad": invalid arguments:',
        '  - tags: missing the house tag(s) "domain", "data-classification", "environment", "cost-center"',
        "  - nodeTypes / instancePoolIds: give exactly one of them",
        "  - maxClustersPerUser: 0 must be a positive integer",
        "  - autoterminationMinutes: 5 must be 0 (never) or an integer from 10 to 10000 minutes",
      ].join("\n"),
    );
    expect(() => new ClusterPolicy("bad", args({ autoterminationMinutes: 5 }))).toThrow(
      "autoterminationMinutes: 5 must be 0 (never) or an integer from 10 to 10000 minutes",
    );
  });

  describe("refuses what the policy pack rejects, unless accepted", () => {
    it("non-LTS runtime keys (databricks-lts-runtime), with the rule's message", () => {
      expect(
        () =>
          new ClusterPolicy(
            "clinical",
            args({ runtime: ["15.4.x-scala2.12", "16.0.x-scala2.12", "15.3.x-photon-scala2.12"] }),
          ),
      ).toThrow(
        'runtime: databricks-lts-runtime: the policy allows non-LTS runtime 16.0.x-scala2.12, 15.3.x-photon-scala2.12 (the policy pack\'s rule; list "databricks-lts-runtime" in acceptInsecure to accept it knowingly)',
      );
    });

    it("autoterminationMinutes 0 where all-purpose clusters are allowed (databricks-autotermination)", () => {
      const message =
        'autoterminationMinutes: databricks-autotermination: the policy lets all-purpose clusters run without auto-termination (the policy pack\'s rule; list "databricks-autotermination" in acceptInsecure to accept it knowingly)';
      expect(() => new ClusterPolicy("analysts", args({ autoterminationMinutes: 0 }))).toThrow(
        message,
      );
      expect(
        () =>
          new ClusterPolicy(
            "analysts",
            args({ autoterminationMinutes: 0, clusterType: "all-purpose" }),
          ),
      ).toThrow(message);
    });

    it("but not LTS keys or aliases", async () => {
      const { resources } = await record(() => [
        new ClusterPolicy("a", args({ runtime: ["15.4.x-scala2.12", "16.4.x-photon-scala2.12"] })),
        new ClusterPolicy("b", args({ runtime: "auto:latest-lts" })),
      ]);
      expect(resources.filter((r) => r.type === POLICY)).toHaveLength(2);
    });

    it("pins cluster_type, not auto-termination, on a job-only policy (job clusters end with their run)", async () => {
      const { resources } = await record(
        () => new ClusterPolicy("c", args({ clusterType: "job", maxDbusPerHour: 50 })),
      );
      const def = JSON.parse(
        findResource(resources, POLICY, "c-policy").inputs.definition as string,
      ) as Record<string, unknown>;
      expect(def.cluster_type).toEqual({ type: "fixed", value: "job" });
      expect(def.dbus_per_hour).toEqual({ type: "range", maxValue: 50 });
      expect(def).not.toHaveProperty("autotermination_minutes");
      expect(
        () => new ClusterPolicy("d", args({ clusterType: "job", autoterminationMinutes: 0 })),
      ).toThrow("autoterminationMinutes: has no effect on job clusters");
    });

    it("and lets them through when acceptInsecure lists the rules", async () => {
      const { resources } = await record(
        () =>
          new ClusterPolicy(
            "analysts",
            args({
              runtime: ["16.0.x-scala2.12"],
              autoterminationMinutes: 0,
              acceptInsecure: ["databricks-lts-runtime", "databricks-autotermination"],
            }),
          ),
      );
      const def = JSON.parse(
        findResource(resources, POLICY, "analysts-policy").inputs.definition as string,
      );
      expect(def.autotermination_minutes).toEqual({ type: "fixed", value: 0 });
      expect(JSON.stringify(def.spark_version)).toContain("16.0.x-scala2.12");
    });
  });
});
