import * as pulumi from "@pulumi/pulumi";
import { findResource, ofType, record, type RecordedResource, valueOf } from "@hdp/testing";
import { UnityCatalogStorage, type UnityCatalogStorageArgs } from "./unity-catalog-storage";
import { LakeCatalog } from "./lake-catalog";
import { resolveLocationUrls } from "./unity-catalog-storage-spec";
import { HOUSE_TAGS, inventory } from "./__fixtures__";

const CREDENTIAL = "databricks:index/storageCredential:StorageCredential";
const LOCATION = "databricks:index/externalLocation:ExternalLocation";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const KEY_ARN = "arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const MASTER = "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL";

const args = (over: Partial<UnityCatalogStorageArgs> = {}): UnityCatalogStorageArgs => ({
  environment: "prod",
  accountId: "123456789012",
  buckets: {
    bronze: { bucketName: "hdp-prod-clinical-bronze-123456789012" },
    silver: { bucketName: "hdp-prod-clinical-silver-123456789012" },
    gold: { bucketName: "hdp-prod-clinical-gold-123456789012" },
  },
  kmsKeyArns: [KEY_ARN],
  tags: HOUSE_TAGS,
  ...over,
});

interface Statement {
  Effect: string;
  Principal?: { AWS?: string };
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string>>;
}
const statements = (json: unknown): Statement[] =>
  (JSON.parse(json as string) as { Statement: Statement[] }).Statement;

describe("UnityCatalogStorage", () => {
  it("creates the credential, the @hdp/iam role and one location per bucket", async () => {
    const { resources } = await record(() => new UnityCatalogStorage("uc", args()));
    const children = inventory(resources).filter(([type]) => !type.startsWith("aws:iam/policy:"));
    expect(children.filter(([t]) => t !== ATTACHMENT)).toEqual(
      [
        [CREDENTIAL, "uc-credential", "uc"],
        [LOCATION, "uc-bronze", "uc"],
        [LOCATION, "uc-gold", "uc"],
        [LOCATION, "uc-silver", "uc"],
        [ROLE, "uc-role-role", "uc-role"],
        ["hdp:iam:UnityCatalogStorageRole", "uc-role", "uc"],
        ["hdp:spark:UnityCatalogStorage", "uc", ""],
      ].sort((a, b) => (a.join("|") < b.join("|") ? -1 : 1)),
    );
    // The role's managed policies and their attachments belong to the role component.
    const policies = ofType(resources, "aws:iam/policy:Policy");
    const attachments = ofType(resources, ATTACHMENT);
    expect(policies.length).toBeGreaterThan(0);
    expect(attachments).toHaveLength(policies.length);
    const roleComponent = findResource(resources, "hdp:iam:UnityCatalogStorageRole", "uc-role");
    for (const r of [...policies, ...attachments]) expect(r.parent).toBe(roleComponent.urn);

    const credential = findResource(resources, CREDENTIAL, "uc-credential");
    expect(credential.inputs).toMatchObject({
      name: "hdp_prod_lake",
      isolationMode: "ISOLATION_MODE_ISOLATED",
      awsIamRole: { roleArn: "arn:aws:iam::123456789012:role/hdp-prod-unity-catalog" },
    });

    for (const id of ["bronze", "silver", "gold"]) {
      expect(findResource(resources, LOCATION, `uc-${id}`).inputs).toMatchObject({
        name: `hdp_prod_${id}`,
        url: `s3://hdp-prod-clinical-${id}-123456789012/`,
        credentialName: "hdp_prod_lake",
        skipValidation: true,
        readOnly: false,
        fallback: false,
        isolationMode: "ISOLATION_MODE_ISOLATED",
      });
    }
  });

  it("orders the chain credential -> role (trusting its external id) -> locations", async () => {
    let component: UnityCatalogStorage | undefined;
    const { resources } = await record(() => {
      component = new UnityCatalogStorage("uc", args());
    });
    const credential = findResource(resources, CREDENTIAL, "uc-credential");
    const role = findResource(resources, ROLE, "uc-role-role");
    const attachments = ofType(resources, ATTACHMENT);
    const urnsOf = (rs: readonly RecordedResource[]) => rs.map((r) => r.urn);

    // The credential depends on nothing: its role ARN is a constructed string.
    expect(credential.dependencies).toEqual([]);
    // The role depends on the credential, through the external id in its trust policy.
    expect(role.dependencies).toContain(credential.urn);
    const externalId = (await valueOf(component!.credential.awsIamRole))?.externalId;
    expect(externalId).toMatch(/^[0-9a-f-]{36}$/);
    const trust = statements(role.inputs.assumeRolePolicy);
    expect(trust).toHaveLength(2);
    for (const s of trust) {
      expect(s.Condition?.StringEquals?.["sts:ExternalId"]).toBe(externalId);
      expect(s.Action).toEqual("sts:AssumeRole");
    }
    expect(trust.map((s) => s.Principal?.AWS).sort()).toEqual(
      ["arn:aws:iam::123456789012:root", MASTER].sort(),
    );
    const self = trust.find((s) => s.Principal?.AWS === "arn:aws:iam::123456789012:root");
    expect(self?.Condition?.ArnLike?.["aws:PrincipalArn"]).toBe(
      "arn:aws:iam::123456789012:role/hdp-prod-unity-catalog",
    );
    // Every location waits for every policy attachment (and uses the credential).
    for (const loc of ofType(resources, LOCATION)) {
      for (const urn of urnsOf(attachments)) expect(loc.dependencies).toContain(urn);
      expect(loc.dependencies).toContain(credential.urn);
    }
  });

  it("grants the role exactly the lake buckets and the key", async () => {
    const { resources } = await record(() => new UnityCatalogStorage("uc", args()));
    const permissions = ofType(resources, "aws:iam/policy:Policy").flatMap((p) =>
      statements(p.inputs.policy),
    );
    const resourcesOf = (action: string) =>
      permissions
        .filter((s) => [s.Action].flat().includes(action))
        .flatMap((s) => [s.Resource ?? []].flat())
        .sort();
    const buckets = ["bronze", "gold", "silver"].map(
      (l) => `arn:aws:s3:::hdp-prod-clinical-${l}-123456789012`,
    );
    expect(resourcesOf("s3:ListBucket")).toEqual(buckets);
    expect(resourcesOf("s3:GetObject")).toEqual(buckets.map((b) => `${b}/*`));
    expect(resourcesOf("kms:Decrypt")).toEqual([KEY_ARN]);
    expect(resourcesOf("sts:AssumeRole")).toEqual([
      "arn:aws:iam::123456789012:role/hdp-prod-unity-catalog",
    ]);
  });

  it("keeps URNs and inputs when buckets are given in another order", async () => {
    const reversed = Object.fromEntries(Object.entries(args().buckets).reverse());
    const view = (rs: readonly RecordedResource[]) =>
      rs.map((r) => `${r.urn} ${JSON.stringify(r.inputs)}`).sort();
    const a = await record(() => new UnityCatalogStorage("uc", args()));
    const b = await record(() => new UnityCatalogStorage("uc", args({ buckets: reversed })));
    expect(view(b.resources)).toEqual(view(a.resources));
  });

  it("feeds a LakeCatalog whose storage root waits for its location", async () => {
    const { resources } = await record(() => {
      const storage = new UnityCatalogStorage("uc", args());
      return new LakeCatalog("lake", {
        catalogName: "hdp_prod",
        storage: storage.managedStorage("gold", "/managed/"),
        sources: { epic: { classification: "phi" } },
        adminGroup: "hdp-admins",
      });
    });
    const catalog = findResource(resources, "databricks:index/catalog:Catalog", "lake-catalog");
    expect(catalog.inputs.storageRoot).toBe("s3://hdp-prod-clinical-gold-123456789012/managed");
    expect(catalog.dependencies).toContain(findResource(resources, LOCATION, "uc-gold").urn);
  });

  it.each([
    [
      { buckets: { a: { bucketName: "hdp.lake" } } },
      'buckets.a.bucketName: bucket name "hdp.lake" must not contain "." (Unity Catalog rejects such buckets)',
    ],
    [
      {
        buckets: {
          root: { bucketName: "hdp-prod-lake" },
          sub: { bucketName: "hdp-prod-lake", path: "bronze" },
        },
      },
      "buckets.root (s3://hdp-prod-lake/) and buckets.sub (s3://hdp-prod-lake/bronze) overlap; external locations must not be nested",
    ],
    [{ buckets: {} }, "buckets: give at least one bucket"],
    [{ environment: "Prod" }, 'credentialName: Unity Catalog name "hdp_Prod_lake"'],
    [
      { buckets: { a: { bucketName: "hdp-prod-lake", path: "../x" } } },
      'buckets.a.path: "../x" must be a plain S3 path',
    ],
  ] as [Partial<UnityCatalogStorageArgs>, string][])("rejects %p", (over, message) => {
    expect(() => new UnityCatalogStorage("uc", args(over))).toThrow(message);
  });

  it("resolves URLs of buckets given as Outputs, and checks them once known", async () => {
    const { resources } = await record(
      () =>
        new UnityCatalogStorage(
          "uc",
          args({ buckets: { gold: { bucketName: pulumi.output("hdp-prod-gold"), path: "uc/" } } }),
        ),
    );
    expect(findResource(resources, LOCATION, "uc-gold").inputs.url).toBe("s3://hdp-prod-gold/uc");
    // The apply behind those URLs runs this check (an error there fails `pulumi up`).
    expect(() =>
      resolveLocationUrls({
        a: { bucketName: "hdp-prod-lake", path: "" },
        b: { bucketName: "hdp-prod-lake", path: "x" },
      }),
    ).toThrow(
      "buckets.a (s3://hdp-prod-lake/) and buckets.b (s3://hdp-prod-lake/x) overlap; external locations must not be nested",
    );
  });
});

describe("UnityCatalogStorage grants", () => {
  const GRANTS = "databricks:index/grants:Grants";

  it("writes one authoritative Grants per securable, the admin group in each", async () => {
    const { resources } = await record(
      () =>
        new UnityCatalogStorage(
          "uc",
          args({
            adminGroup: "hdp-prod-admins",
            buckets: {
              landing: {
                bucketName: "hdp-prod-clinical-landing-123456789012",
                grants: [{ principal: "hdp-prod-clinical-engineers", privileges: ["READ_FILES"] }],
              },
              gold: { bucketName: "hdp-prod-clinical-gold-123456789012" },
            },
          }),
        ),
    );
    const admin = { principal: "hdp-prod-admins", privileges: ["ALL_PRIVILEGES", "MANAGE"] };
    expect(findResource(resources, GRANTS, "uc-credential-grants").inputs).toEqual({
      storageCredential: "hdp_prod_lake",
      grants: [admin],
    });
    expect(findResource(resources, GRANTS, "uc-landing-grants").inputs).toEqual({
      externalLocation: "hdp_prod_landing",
      grants: [admin, { principal: "hdp-prod-clinical-engineers", privileges: ["READ_FILES"] }],
    });
    expect(findResource(resources, GRANTS, "uc-gold-grants").inputs).toEqual({
      externalLocation: "hdp_prod_gold",
      grants: [admin],
    });
    expect(ofType(resources, GRANTS).every((g) => !g.protect)).toBe(true);
  });

  it("writes no grants without an admin group or grants (the owner keeps them)", async () => {
    const { resources } = await record(() => new UnityCatalogStorage("uc", args()));
    expect(ofType(resources, GRANTS)).toEqual([]);
  });

  it.each([
    [
      { adminGroup: "account users" },
      'adminGroup: "account users" must name the platform admin group',
    ],
    [
      {
        adminGroup: "hdp-prod-admins",
        credentialGrants: [{ principal: "users", privileges: ["READ_FILES"] }],
      },
      'credentialGrants[0]: databricks-no-broad-privileges-on-phi: the broad group "users" would hold READ_FILES on the storage credential',
    ],
    [
      {
        buckets: {
          gold: {
            bucketName: "hdp-prod-gold",
            grants: [{ principal: "hdp-prod-engineers", privileges: ["READ_FILES"] }],
          },
        },
      },
      "buckets.gold.grants: give adminGroup too",
    ],
  ] as [Partial<UnityCatalogStorageArgs>, string][])("refuses %p", (over, message) => {
    expect(() => new UnityCatalogStorage("uc", args(over))).toThrow(message);
  });

  it("takes protect and retainOnDelete as resource options, for the credential and locations only", async () => {
    const { resources } = await record(
      () =>
        new UnityCatalogStorage("uc", args({ adminGroup: "hdp-prod-admins" }), {
          protect: true,
          retainOnDelete: true,
        }),
    );
    const flags = (r: RecordedResource) => [r.type, r.name, r.protect, r.retainOnDelete];
    const stateful = resources.filter((r) => r.type === CREDENTIAL || r.type === LOCATION);
    expect(stateful.length).toBe(4);
    expect(stateful.map(flags)).toEqual(stateful.map((r) => [r.type, r.name, true, true]));
    // The component, its role and its grants stay unprotected: they hold no data.
    const others = resources.filter((r) => r.type !== CREDENTIAL && r.type !== LOCATION);
    expect(others.length).toBeGreaterThan(4);
    expect(others.filter((r) => r.protect).map(flags)).toEqual([]);
  });
});
