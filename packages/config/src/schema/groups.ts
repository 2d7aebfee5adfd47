/**
 * `databricks.groups:` of an environment: the people's groups and what they may do. The platform
 * turns them into Unity Catalog grants (catalog, schemas, storage credential, external
 * locations) and workspace permissions (jobs, cluster policies, instance pools); see the
 * platform README's access table. The admin group stays `databricks.adminGroup`.
 */
import { z } from "zod";
import { DOMAIN_IDS } from "./common";

/**
 * A Databricks group name (the SCIM display name, e.g. `hdp-prod-engineers`): 1–255 characters,
 * no control characters, no surrounding spaces (Databricks matches the name exactly).
 */
export const DATABRICKS_GROUP_NAME = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,253}[^\s\p{Cc}])?$/u;

export const databricksGroupName = z.string().regex(DATABRICKS_GROUP_NAME, {
  message:
    'must be a Databricks group name such as "hdp-prod-engineers" (1–255 characters, no control characters or surrounding spaces)',
});

const groupList = z
  .array(databricksGroupName)
  .refine((xs) => new Set(xs).size === xs.length, { message: "lists a group twice" });

/** Groups of one scope (the whole platform, or one domain). */
export const groupSet = z.strictObject({
  /**
   * Data engineers: run and watch jobs, use the cluster policies and pools, read the data (and,
   * for a domain's engineers, change it) in the schemas of their scope.
   */
  engineers: groupList.default([]),
  /** Readers (analysts, stewards): see jobs, read the gold schemas of their scope. */
  readers: groupList.default([]),
});
export type GroupSet = z.infer<typeof groupSet>;

export const databricksGroups = z.strictObject({
  ...groupSet.shape,
  /** Per data domain: groups whose rights stop at that domain's jobs, compute and schemas. */
  domains: z.partialRecord(z.enum(DOMAIN_IDS), groupSet).default({}),
});
export type DatabricksGroups = z.infer<typeof databricksGroups>;
