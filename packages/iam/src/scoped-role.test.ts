import { findResource, ofType, record } from "@hdp/testing";
import * as iam from "@pulumi/aws/iam";
import { fingerprint, policies, trustPolicy, tree } from "./__fixtures__/helpers";
import type { PolicyStatement } from "./policy-types";
import { ScopedRole, type ScopedRoleArgs } from "./scoped-role";

const TAGS = {
  owner: "platform",
  domain: "clinical",
  "data-classification": "phi",
  environment: "prod",
  "cost-center": "cc-1",
};

const read = (prefix: string): PolicyStatement => ({
  Effect: "Allow",
  Action: ["s3:GetObject"],
  Resource: [`arn:aws:s3:::hdp-prod-lake/${prefix}/*`],
});

const args = (statements: PolicyStatement[]): ScopedRoleArgs => ({
  trustStatements: [{ Principal: { Service: "ec2.amazonaws.com" } }],
  statements,
  tags: TAGS,
});

describe("ScopedRole", () => {
  it("creates exactly the role, one policy and its attachment", async () => {
    const { resources } = await record(
      () => new ScopedRole("reader", args([read("a"), read("b")])),
    );
    expect(tree(resources)).toEqual([
      "aws:iam/policy:Policy reader-policy-1 <- reader",
      "aws:iam/role:Role reader-role <- reader",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment reader-attachment-1 <- reader",
      "hdp:iam:ScopedRole reader",
    ]);
    const role = findResource(resources, "aws:iam/role:Role", "reader-role");
    expect(role.inputs).toMatchObject({
      name: "reader",
      maxSessionDuration: 3600,
      tags: TAGS,
      description: "Managed by @hdp/iam",
    });
    expect(role.inputs.permissionsBoundary).toBeUndefined();
    expect(trustPolicy(resources)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
    const policy = findResource(resources, "aws:iam/policy:Policy", "reader-policy-1");
    expect(policy.inputs).toMatchObject({ name: "reader-policy-1", tags: TAGS });
    expect(policies(resources)["reader-policy-1"]).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: ["arn:aws:s3:::hdp-prod-lake/a/*", "arn:aws:s3:::hdp-prod-lake/b/*"],
        },
      ],
    });
    const attachment = findResource(
      resources,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "reader-attachment-1",
    );
    expect(attachment.inputs).toEqual({
      role: "reader",
      policyArn: "arn:aws:iam::123456789012:policy/reader-policy-1",
    });
    expect(attachment.dependencies).toEqual([policy.urn, role.urn].sort());
  });

  it("splits many statements into several managed policies, each under 6,144 characters", async () => {
    const statements = Array.from({ length: 300 }, (_, i) => read(`source/table-${i}`));
    const { resources } = await record(() => new ScopedRole("big", args(statements)));
    const docs = ofType(resources, "aws:iam/policy:Policy");
    expect(docs.length).toBeGreaterThan(1);
    expect(ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toHaveLength(
      docs.length,
    );
    for (const d of docs) expect((d.inputs.policy as string).length).toBeLessThanOrEqual(6144);
    const granted = Object.values(policies(resources)).flatMap((doc) =>
      (doc as { Statement: { Resource: string[] }[] }).Statement.flatMap((s) => s.Resource),
    );
    expect(granted.sort()).toEqual(statements.map((s) => s.Resource[0] as string).sort());
  });

  it("fails before creating anything when the statements need too many policies", async () => {
    const statements = Array.from({ length: 2000 }, (_, i) => read(`source/table-${i}`));
    const { resources } = await record(() => {
      expect(
        () => new ScopedRole("huge", { ...args(statements), roleName: "hdp-prod-huge" }),
      ).toThrow(
        /role "hdp-prod-huge":\n {2}- needs \d+ managed policies of at most 6144 characters/,
      );
    });
    expect(resources).toEqual([]);
  });

  it("resolves roleArn only after every policy is attached", async () => {
    const { resources } = await record(() => {
      const role = new ScopedRole("dep", args([read("a")]));
      new iam.InstanceProfile("consumer", { role: role.roleArn });
    });
    const consumer = findResource(resources, "aws:iam/instanceProfile:InstanceProfile", "consumer");
    const attachment = findResource(
      resources,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "dep-attachment-1",
    );
    expect(consumer.dependencies).toContain(attachment.urn);
  });

  it("creates only the role when there are no statements", async () => {
    const { resources } = await record(() => new ScopedRole("bare", args([])));
    expect(tree(resources)).toEqual([
      "aws:iam/role:Role bare-role <- bare",
      "hdp:iam:ScopedRole bare",
    ]);
  });

  it("shortens a long role name stably and passes options to its children", async () => {
    const long = `hdp-prod-${"very-long-source-name-".repeat(4)}ingest`;
    const { resources } = await record(
      () =>
        new ScopedRole(
          "long",
          {
            ...args([read("a")]),
            roleName: long,
            maxSessionDurationSeconds: 7200,
            permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/boundary",
          },
          { protect: true },
        ),
    );
    const role = findResource(resources, "aws:iam/role:Role", "long-role");
    const name = role.inputs.name as string;
    expect(name.length).toBe(64);
    expect(name.startsWith("hdp-prod-very-long-source-name-")).toBe(true);
    expect(role.inputs.maxSessionDuration).toBe(7200);
    expect(role.inputs.permissionsBoundary).toBe("arn:aws:iam::123456789012:policy/boundary");
    expect(findResource(resources, "aws:iam/policy:Policy", "long-policy-1").inputs.name).toBe(
      `${name}-policy-1`,
    );
    for (const r of resources) expect([r.name, r.protect]).toEqual([r.name, true]);
  });

  it.each([1800, 50000, 3600.5])("rejects maxSessionDurationSeconds %p", (seconds) => {
    expect(
      () => new ScopedRole("bad", { ...args([]), maxSessionDurationSeconds: seconds }),
    ).toThrow(`maxSessionDurationSeconds must be 3600 to 43200, got ${seconds}`);
  });

  it("gives the same URNs and inputs when statements and resources are reordered", async () => {
    const statements = [
      read("a"),
      read("b"),
      { ...read("c"), Action: ["s3:GetObject", "s3:PutObject"] },
    ];
    const reordered = [
      { ...statements[2], Action: ["s3:PutObject", "s3:GetObject"] },
      statements[1],
      statements[0],
    ];
    const first = await record(() => new ScopedRole("stable", args(statements)));
    const second = await record(() => new ScopedRole("stable", args(reordered)));
    expect(fingerprint(second.resources)).toEqual(fingerprint(first.resources));
  });

  describe("refuses what the policy pack's iam-no-passrole-wildcard rejects", () => {
    const MESSAGE =
      'statements[1]: iam-no-passrole-wildcard: statement Pass allows iam:PassRole on * (the policy pack\'s rule; list "iam-no-passrole-wildcard" in acceptInsecure to accept it knowingly)';
    const pass = (actions: string[], resources: string[]): PolicyStatement => ({
      Sid: "Pass",
      Effect: "Allow",
      Action: actions,
      Resource: resources,
    });

    it("iam:PassRole on every role, with the rule's message", () => {
      expect(
        () => new ScopedRole("deployer", args([read("a"), pass(["iam:PassRole"], ["*"])])),
      ).toThrow(MESSAGE);
    });

    it.each([
      ["a wildcard action covering it", ["iam:Pass*"], ["*"]],
      ["every role of an account", ["iam:PassRole"], ["arn:aws:iam::123456789012:role/*"]],
    ])("%s", (_what, actions, resources) => {
      expect(() => new ScopedRole("deployer", args([pass(actions, resources)]))).toThrow(
        "iam-no-passrole-wildcard: statement Pass allows iam:PassRole on",
      );
    });

    it("but not iam:PassRole on named roles", async () => {
      const named = pass(["iam:PassRole"], ["arn:aws:iam::123456789012:role/hdp-prod-glue-*"]);
      const { resources } = await record(() => new ScopedRole("deployer", args([named])));
      expect(Object.keys(policies(resources))).toEqual(["deployer-policy-1"]);
    });

    it("and lets it through when acceptInsecure lists the rule", async () => {
      const { resources } = await record(
        () =>
          new ScopedRole("deployer", {
            ...args([pass(["iam:PassRole"], ["*"])]),
            acceptInsecure: ["iam-no-passrole-wildcard"],
          }),
      );
      expect(JSON.stringify(policies(resources))).toContain("iam:PassRole");
    });
  });
});
