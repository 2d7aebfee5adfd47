import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { s3BucketArn, UnityCatalogStorageRole } from "@hdp/iam";
import type { ManagedStorage } from "./lake-catalog";
import {
  joinUrl,
  type LocationSpec,
  locationNameFor,
  normalizePath,
  resolveLocationUrls,
  validateLocations,
  validateStorageNames,
} from "./unity-catalog-storage-spec";
import {
  type GrantSpec,
  isBroadPrincipal,
  mergeGrants,
  PRIVILEGES_DENIED_TO_BROAD_ON_PHI,
  validateGrantSpecs,
} from "./grants";
import {
  assertValid,
  componentOptions,
  refuseInsecure,
  sortedEntries,
  statefulChildOptions,
} from "./validation";

/** One lake bucket (or a path in it) that gets an external location. */
export interface StorageBucketArgs {
  /** Bucket name; no dots (Unity Catalog rejects them). */
  readonly bucketName: pulumi.Input<string>;
  /** Path inside the bucket. @default "" (the bucket root) */
  readonly path?: string;
  /** Read-only external location. @default false */
  readonly readOnly?: boolean;
  /**
   * Grants on the location besides the admin group's (e.g. `READ_FILES` to the domain's
   * engineers). Files under a location bypass every table grant: all-users groups are refused
   * (`databricks-no-broad-privileges-on-phi`). @default []
   */
  readonly grants?: readonly GrantSpec[];
}

/** The admin group's privileges on the storage credential and every external location. */
export const STORAGE_ADMIN_PRIVILEGES: readonly string[] = ["ALL_PRIVILEGES", "MANAGE"];

/** Arguments of {@link UnityCatalogStorage}. */
export interface UnityCatalogStorageArgs {
  /** Environment id, part of every Unity Catalog name (names are unique per metastore). */
  readonly environment: string;
  /** @default "hdp" */
  readonly namePrefix?: string;
  /** AWS account of the role and the buckets. */
  readonly accountId: pulumi.Input<string>;
  /** IAM role name (plain: the credential needs its ARN first). @default "<prefix>-<env>-unity-catalog" */
  readonly roleName?: string;
  /** Stable id (e.g. the layer) → bucket. Locations are named `<prefix>_<env>_<id>`. */
  readonly buckets: Readonly<Record<string, StorageBucketArgs>>;
  /** Key ARNs (not aliases) encrypting the buckets. */
  readonly kmsKeyArns: readonly pulumi.Input<string>[];
  /** @default the Databricks Unity Catalog master role of AWS commercial regions */
  readonly unityCatalogMasterRoleArn?: string;
  /** @default "<prefix>_<env>_lake" */
  readonly credentialName?: string;
  /**
   * `ISOLATION_MODE_ISOLATED` binds the credential and locations to the deploying workspace,
   * so other workspaces on the metastore (dev next to prod) cannot use them.
   * @default "ISOLATION_MODE_ISOLATED"
   */
  readonly isolationMode?: "ISOLATION_MODE_ISOLATED" | "ISOLATION_MODE_OPEN";
  /** Owner of the credential and locations. @default the deployer */
  readonly owner?: pulumi.Input<string>;
  /**
   * The platform admin group: `ALL_PRIVILEGES` and `MANAGE` on the credential and every
   * location. Grants are authoritative (one `databricks.Grants` per securable, revoking whatever
   * it does not list), so the group is written into each. @default none: no grants are
   * written unless `credentialGrants` or a bucket's `grants` list some (then give it)
   */
  readonly adminGroup?: string;
  /** Grants on the storage credential besides the admin group's. @default [] */
  readonly credentialGrants?: readonly GrantSpec[];
  /**
   * Policy-pack rules whose finding these grants knowingly accept; without them such grants are
   * refused at construction. @default []
   */
  readonly acceptInsecure?: readonly string[];
  /** Tags of the IAM role and its policies. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Unity Catalog's access to the lake: a storage credential, its IAM role (from @hdp/iam) and
 * one external location per bucket, created in the only order that works on AWS:
 *
 * 1. the storage credential, naming the role by its constructed ARN (the role does not exist yet);
 * 2. the role, whose trust policy requires the credential's generated external id;
 * 3. the external locations, after the role's policy attachments, with `skipValidation: true`:
 *    IAM changes take seconds to propagate, and Databricks validates a location on create, so
 *    without it the first `pulumi up` fails at random. Databricks validates again on use.
 *
 * Databricks resources take the workspace-level provider and the role the AWS provider: pass
 * both through the usual resource options (`providers`).
 */
export class UnityCatalogStorage extends pulumi.ComponentResource {
  public readonly credential: databricks.StorageCredential;
  public readonly role: UnityCatalogStorageRole;
  /** Bucket id → external location. */
  public readonly locations: Readonly<Record<string, databricks.ExternalLocation>>;
  /** Bucket id → location URL (`s3://bucket/` or `s3://bucket/path`). */
  public readonly urls: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly credentialName: pulumi.Output<string>;
  /** `credential` or a bucket id → the securable's one authoritative grants (when any). */
  public readonly grants: Readonly<Record<string, databricks.Grants>>;

  constructor(name: string, args: UnityCatalogStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    const prefix = args.namePrefix ?? "hdp";
    const entries = sortedEntries(args.buckets);
    const credentialName = args.credentialName ?? `${prefix}_${args.environment}_lake`;
    const names = Object.fromEntries(
      entries.map(([id]) => [id, locationNameFor(prefix, args.environment, id)]),
    );
    assertValid(`UnityCatalogStorage "${name}"`, validateArgs(args, credentialName, names));
    // Stateful children (credential, locations) take the caller's protect/retainOnDelete; the
    // component itself and its other children do not (see componentOptions).
    super("hdp:spark:UnityCatalogStorage", name, {}, componentOptions(opts));
    const options = statefulChildOptions(this, opts);
    const isolationMode = args.isolationMode ?? "ISOLATION_MODE_ISOLATED";
    const roleName = args.roleName ?? `${prefix}-${args.environment}-unity-catalog`;

    // 1. The credential names the role by its ARN before the role exists.
    this.credential = new databricks.StorageCredential(
      `${name}-credential`,
      {
        name: credentialName,
        awsIamRole: { roleArn: UnityCatalogStorageRole.roleArnFor(args.accountId, roleName) },
        isolationMode,
        owner: args.owner,
        comment: `Lake access of ${args.environment}, managed by health-data-platform`,
      },
      options,
    );
    this.credentialName = this.credential.name;

    // 2. The role trusts Unity Catalog only with the credential's generated external id.
    this.role = new UnityCatalogStorageRole(
      `${name}-role`,
      {
        roleName,
        externalId: this.credential.awsIamRole.apply((r) => {
          if (!r?.externalId)
            throw new Error(`storage credential ${credentialName} has no external id`);
          return r.externalId;
        }),
        accountId: args.accountId,
        bucketArns: uniqueBuckets(entries.map(([, b]) => b.bucketName)).map((b) => s3BucketArn(b)),
        kmsKeyArns: args.kmsKeyArns,
        ...(args.unityCatalogMasterRoleArn !== undefined
          ? { unityCatalogMasterRoleArn: args.unityCatalogMasterRoleArn }
          : {}),
        tags: args.tags ?? {},
      },
      { parent: this },
    );

    // 3. The locations, once the role's permissions are attached.
    const urls = checkedUrls(entries);
    const locations: Record<string, databricks.ExternalLocation> = {};
    for (const [id, bucket] of entries) {
      locations[id] = new databricks.ExternalLocation(
        `${name}-${id}`,
        {
          name: names[id],
          url: urls[id],
          credentialName: this.credential.name,
          readOnly: bucket.readOnly ?? false,
          // Never fall back to the cluster's own credentials when Unity Catalog's are refused.
          fallback: false,
          isolationMode,
          owner: args.owner,
          // IAM propagation races Databricks' create-time validation (see the class comment).
          skipValidation: true,
          comment: `Lake bucket ${id} of ${args.environment}, managed by health-data-platform`,
        },
        { ...options, dependsOn: [...this.role.policyAttachments] },
      );
    }
    this.locations = locations;
    this.urls = urls;
    this.grants = this.createGrants(name, args, entries);
    this.registerOutputs({ credentialName: this.credentialName, urls: this.urls });
  }

  private createGrants(
    name: string,
    args: UnityCatalogStorageArgs,
    entries: readonly [string, StorageBucketArgs][],
  ): Record<string, databricks.Grants> {
    const admin = args.adminGroup !== undefined ? [adminGrant(args.adminGroup)] : [];
    const grants: Record<string, databricks.Grants> = {};
    // Grants are rewritten whole on every change: never protected by the caller's option.
    const options = { parent: this, protect: false };
    const credential = mergeGrants([...admin, ...(args.credentialGrants ?? [])]);
    if (credential.length > 0) {
      grants.credential = new databricks.Grants(
        `${name}-credential-grants`,
        { storageCredential: this.credential.name, grants: toGrants(credential) },
        options,
      );
    }
    for (const [id, bucket] of entries) {
      const location = mergeGrants([...admin, ...(bucket.grants ?? [])]);
      const target = this.locations[id];
      if (location.length === 0 || target === undefined) continue;
      grants[id] = new databricks.Grants(
        `${name}-${id}-grants`,
        { externalLocation: target.name, grants: toGrants(location) },
        options,
      );
    }
    return grants;
  }

  /** Managed storage for a {@link LakeCatalog}: `subPath` under the location of bucket `id`. */
  managedStorage(id: string, subPath = ""): ManagedStorage {
    const location = this.locations[id];
    const url = this.urls[id];
    if (location === undefined || url === undefined) {
      throw new Error(
        `UnityCatalogStorage: no bucket "${id}" (have: ${Object.keys(this.locations).join(", ")})`,
      );
    }
    return { url: url.apply((u) => joinUrl(u, subPath)), location };
  }
}

const adminGrant = (group: string): GrantSpec => ({
  principal: group,
  privileges: STORAGE_ADMIN_PRIVILEGES,
});

const toGrants = (grants: readonly GrantSpec[]): databricks.types.input.GrantsGrant[] =>
  grants.map((g) => ({ principal: g.principal, privileges: [...g.privileges] }));

/**
 * Problems with the grants: spellings, an all-users admin group, and (unless accepted)
 * all-users groups reading or writing files, which bypass every table grant.
 */
function validateStorageGrants(args: UnityCatalogStorageArgs): string[] {
  const problems: string[] = [];
  const admin = args.adminGroup;
  if (admin !== undefined && (admin.trim().length === 0 || isBroadPrincipal(admin))) {
    problems.push(`adminGroup: "${admin}" must name the platform admin group`);
  }
  const lists: [string, string, readonly GrantSpec[]][] = [
    ["credentialGrants", "the storage credential", args.credentialGrants ?? []],
    ...sortedEntries(args.buckets).map(([id, b]): [string, string, readonly GrantSpec[]] => [
      `buckets.${id}.grants`,
      `external location ${id}`,
      b.grants ?? [],
    ]),
  ];
  for (const [field, label, grants] of lists) {
    problems.push(...validateGrantSpecs(field, grants));
    if (grants.length > 0 && admin === undefined) {
      problems.push(
        `${field}: give adminGroup too: the grants are authoritative and would lock the platform admins out`,
      );
    }
    grants.forEach((g, i) => {
      const denied = g.privileges.filter((p) => PRIVILEGES_DENIED_TO_BROAD_ON_PHI.includes(p));
      if (!isBroadPrincipal(g.principal) || denied.length === 0) return;
      problems.push(
        ...refuseInsecure(
          `${field}[${i}]`,
          "databricks-no-broad-privileges-on-phi",
          `the broad group "${g.principal}" would hold ${denied.join(" and ")} on ${label}, whose files bypass every table grant`,
          args.acceptInsecure,
        ),
      );
    });
  }
  return problems;
}

function validateArgs(
  args: UnityCatalogStorageArgs,
  credentialName: string,
  names: Readonly<Record<string, string>>,
): string[] {
  const problems = [
    ...validateStorageNames(credentialName, Object.values(names)),
    ...validateStorageGrants(args),
  ];
  if (Object.keys(args.buckets).length === 0) problems.push("buckets: give at least one bucket");
  const known = Object.fromEntries(
    sortedEntries(args.buckets).flatMap(([id, b]) =>
      typeof b.bucketName === "string" ? [[id, spec(b.bucketName, b.path)]] : [],
    ),
  );
  return [...problems, ...validateLocations(known)];
}

const spec = (bucketName: string, path: string | undefined): LocationSpec => ({
  bucketName,
  path: normalizePath(path ?? ""),
});

/** Plain bucket names once each (Outputs as given: their values are not known yet). */
function uniqueBuckets(buckets: readonly pulumi.Input<string>[]): pulumi.Input<string>[] {
  const seen = new Set<string>();
  return buckets.filter((b) => typeof b !== "string" || (!seen.has(b) && seen.add(b)));
}

/**
 * Location URLs by id. Bucket names given as Outputs are checked for overlaps once known (the
 * plain ones were checked before anything was created).
 */
function checkedUrls(
  entries: readonly [string, StorageBucketArgs][],
): Record<string, pulumi.Output<string>> {
  const all = pulumi
    .all(entries.map(([, b]) => b.bucketName))
    .apply((resolved) =>
      resolveLocationUrls(
        Object.fromEntries(entries.map(([id, b], i) => [id, spec(resolved[i] ?? "", b.path)])),
      ),
    );
  return Object.fromEntries(entries.map(([id]) => [id, all.apply((u) => u[id] ?? "")]));
}
