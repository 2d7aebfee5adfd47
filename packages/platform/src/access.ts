/**
 * Who may do what, from the environment's `databricks.groups`: the Unity Catalog grants
 * (catalog, schemas, storage credential, external locations) and the workspace permissions
 * (jobs, cluster policies, instance pools) of each group. Pure: the components write them, the
 * platform README's access table documents them, and the policy pack checks them.
 *
 * | group               | catalog              | schemas                              | credential / locations             | jobs           | policies | pools         |
 * | ------------------- | -------------------- | ------------------------------------ | ---------------------------------- | -------------- | -------- | ------------- |
 * | admin               | ALL_PRIVILEGES, MANAGE | ALL_PRIVILEGES, MANAGE             | ALL_PRIVILEGES, MANAGE             | CAN_MANAGE     | CAN_USE  | CAN_MANAGE    |
 * | engineers           | USE_CATALOG, BROWSE  | USE_SCHEMA, SELECT (every domain)    | READ_FILES on landing              | CAN_MANAGE_RUN | CAN_USE  | CAN_ATTACH_TO |
 * | a domain's engineers| USE_CATALOG, BROWSE  | USE_SCHEMA, SELECT, MODIFY (domain)  | READ_FILES on the domain's landing | CAN_MANAGE_RUN (domain) | CAN_USE (domain) | CAN_ATTACH_TO (domain) |
 * | readers             | USE_CATALOG          | USE_SCHEMA, SELECT on gold           | —                                  | CAN_VIEW       | —        | —             |
 * | a domain's readers  | USE_CATALOG          | USE_SCHEMA, SELECT on the domain's gold | —                               | CAN_VIEW (domain) | —     | —             |
 */
import type { Environment, Layer } from "@hdp/config";
import type {
  GrantSpec,
  GroupPermission,
  JobPermissionLevel,
  PoolPermissionLevel,
  SchemaLayer,
} from "@hdp/spark";

type Groups = Environment["databricks"]["groups"];
type Databricks = Pick<Environment["databricks"], "adminGroup" | "groups">;

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

/** The engineers of a domain: the platform's and the domain's own. */
function engineersOf(groups: Groups, domain: string): string[] {
  return uniq([...groups.engineers, ...(domainGroups(groups, domain)?.engineers ?? [])]);
}

function readersOf(groups: Groups, domain: string): string[] {
  return uniq([...groups.readers, ...(domainGroups(groups, domain)?.readers ?? [])]);
}

interface GroupSet {
  readonly engineers: readonly string[];
  readonly readers: readonly string[];
}

function domainGroups(groups: Groups, domain: string): GroupSet | undefined {
  return (groups.domains as Readonly<Record<string, GroupSet | undefined>>)[domain];
}

/** Every engineer and reader group of the environment, platform-wide and per domain. */
function everyone(groups: Groups): { engineers: string[]; readers: string[] } {
  const domains = Object.values(groups.domains).filter((d) => d !== undefined);
  return {
    engineers: uniq([...groups.engineers, ...domains.flatMap((d) => d.engineers)]),
    readers: uniq([...groups.readers, ...domains.flatMap((d) => d.readers)]),
  };
}

/** Catalog grants besides the admin group's: every group may enter the catalog. */
export function catalogGrants(db: Databricks): GrantSpec[] {
  const { engineers, readers } = everyone(db.groups);
  return [
    ...engineers.map((principal) => ({ principal, privileges: ["USE_CATALOG", "BROWSE"] })),
    ...readers.map((principal) => ({ principal, privileges: ["USE_CATALOG"] })),
  ];
}

/** Grants on a source's schema of `layer` in `domain`, besides the admin group's. */
export function schemaGrants(db: Databricks, domain: string, layer: SchemaLayer): GrantSpec[] {
  const g = db.groups;
  const own = domainGroups(g, domain);
  return [
    ...g.engineers.map((principal) => ({ principal, privileges: ["USE_SCHEMA", "SELECT"] })),
    ...(own?.engineers ?? []).map((principal) => ({
      principal,
      privileges: ["USE_SCHEMA", "SELECT", "MODIFY"],
    })),
    ...(layer === "gold"
      ? readersOf(g, domain).map((principal) => ({
          principal,
          privileges: ["USE_SCHEMA", "SELECT"],
        }))
      : []),
  ];
}

/**
 * Grants on the external location of a domain's `layer` bucket, besides the admin group's:
 * engineers read the raw files of landing (debugging an extract). Files of the Delta layers are
 * read through tables, under their grants.
 */
export function locationGrants(db: Databricks, domain: string, layer: Layer): GrantSpec[] {
  if (layer !== "landing") return [];
  return engineersOf(db.groups, domain).map((principal) => ({
    principal,
    privileges: ["READ_FILES"],
  }));
}

/** Permissions on a domain's jobs: admins manage, engineers run, readers watch. */
export function jobAccess(db: Databricks, domain: string): GroupPermission<JobPermissionLevel>[] {
  return [
    { group: db.adminGroup, level: "CAN_MANAGE" },
    ...engineersOf(db.groups, domain).map((group) => ({
      group,
      level: "CAN_MANAGE_RUN" as const,
    })),
    ...readersOf(db.groups, domain).map((group) => ({ group, level: "CAN_VIEW" as const })),
  ];
}

/** Groups that may create clusters under a domain's cluster policy. */
export function policyUsers(db: Databricks, domain: string): string[] {
  return uniq([db.adminGroup, ...engineersOf(db.groups, domain)]);
}

/** Permissions on a domain's instance pool: admins manage, engineers attach. */
export function poolAccess(db: Databricks, domain: string): GroupPermission<PoolPermissionLevel>[] {
  return [
    { group: db.adminGroup, level: "CAN_MANAGE" },
    ...engineersOf(db.groups, domain).map((group) => ({
      group,
      level: "CAN_ATTACH_TO" as const,
    })),
  ];
}
