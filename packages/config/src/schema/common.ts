/**
 * Building blocks shared by every config schema: ids, classifications, schedules, owners.
 * Strict everywhere: an unknown key is an error, so a typo never silently does nothing.
 */
import { z } from "zod";
import { cronProblems } from "./cron";

/** Kebab-case id used in AWS names (sources, hospitals, environments, shards). */
export const kebabId = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
    message:
      'must be lowercase kebab-case: letters and digits separated by single "-", starting with a letter',
  })
  .max(32, { message: "must be at most 32 characters (it becomes part of AWS resource names)" });

/** snake_case id used as a Unity Catalog or column name (tables, columns). */
export const snakeId = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, {
    message: 'must be lowercase snake_case: letters, digits and "_", starting with a letter',
  })
  .max(128, { message: "must be at most 128 characters" });

/** Data classification, least to most sensitive. */
export const CLASSIFICATIONS = ["public", "internal", "confidential", "pii", "phi"] as const;
export const classification = z.enum(CLASSIFICATIONS);
export type Classification = z.infer<typeof classification>;

/** Rank of a classification: a higher number is more sensitive. */
export function classificationRank(c: Classification): number {
  return CLASSIFICATIONS.indexOf(c);
}

/** The five data domains of the health system. */
export const DOMAIN_IDS = ["clinical", "financial", "workforce", "genomics", "operations"] as const;

/** The Delta Lake layers, in the order data flows. */
export const LAYERS = ["landing", "bronze", "silver", "gold"] as const;
export const layer = z.enum(LAYERS);
export type Layer = z.infer<typeof layer>;

/**
 * A 5-field cron expression with every value in range, or an Airflow preset (see `cron.ts`).
 */
export const cron = z.string().superRefine((s, ctx) => {
  for (const message of cronProblems(s)) ctx.addIssue({ code: "custom", message });
});

const TIME_ZONES = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);

/** An IANA time zone name such as `America/Chicago`. */
export const timezone = z.string().refine((tz) => TIME_ZONES.has(tz), {
  message: 'must be an IANA time zone such as "America/Chicago" or "UTC"',
});

/** When something runs. */
export const schedule = z.strictObject({
  /** Cron expression or preset. */
  cron,
  /** Time zone the cron expression is read in. */
  timezone: timezone.default("America/Chicago"),
});
export type Schedule = z.infer<typeof schedule>;

/** Who answers for a config entry. */
export const owner = z.strictObject({
  team: kebabId.describe("The owning team's id, used in the owner tag"),
  email: z.email({ message: "must be an email address" }),
});
export type Owner = z.infer<typeof owner>;

/**
 * Tag keys the platform sets on every resource from the config itself: a value written under
 * `tags:` would be silently replaced, so it is refused with where the value comes from.
 */
export const PLATFORM_TAG_KEYS: Readonly<Record<string, string>> = {
  owner: "the platform sets it from the entry's owner.team",
  domain: "the platform sets it from the source's domain",
  "data-classification": "the platform sets it from the classification of the entry",
  environment: "the platform sets it to the environment being deployed",
  "cost-center": "the platform sets it from the domain's costCenter in platform.yaml",
};

/** Extra resource tags: keys and values as AWS allows them, none the platform owns. */
export const tags = z
  .record(
    z.string().regex(/^[\w.:/=+@ -]{1,128}$/, {
      message: "tag keys are 1-128 characters of letters, digits, spaces and _.:/=+-@",
    }),
    z.string().max(256, { message: "tag values are at most 256 characters" }),
  )
  .superRefine((t, ctx) => {
    for (const key of Object.keys(t)) {
      const owned = PLATFORM_TAG_KEYS[key.toLowerCase()];
      if (owned !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message:
            key === key.toLowerCase()
              ? `"${key}" is a platform tag: ${owned}, so a value here would be silently replaced; remove it`
              : `"${key}" shadows the platform tag "${key.toLowerCase()}" (${owned}); tags differing only in case confuse cost and access reports: remove it`,
        });
      } else if (key.toLowerCase().startsWith("aws:")) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `"${key}": the aws: prefix is reserved by AWS (tagging fails)`,
        });
      }
    }
  });

/** Retention of a table's data. */
export const retention = z.strictObject({
  /** Days raw files are kept in the landing layer. */
  landingDays: z.int().min(1).max(3650).default(30),
  /** Days data is kept in bronze/silver/gold (0 = forever). */
  days: z.int().min(0).max(36500).default(0),
});
export type Retention = z.infer<typeof retention>;
