/** `configs/platform.yaml`: the organisation, its hospitals and data domains. */
import { z } from "zod";
import { classification, DOMAIN_IDS, kebabId, owner, tags } from "./common";

export const hospital = z.strictObject({
  id: kebabId.describe("Stable hospital id, used in tags and references"),
  name: z.string().min(1),
  /** Region of the state the hospital serves. */
  region: z.enum([
    "north",
    "northeast",
    "east",
    "southeast",
    "south",
    "southwest",
    "west",
    "northwest",
    "central",
  ]),
  /** Licensed beds. */
  beds: z.int().positive(),
  /** Whether the hospital is a teaching hospital (affects research data sharing). */
  teaching: z.boolean().default(false),
});
export type Hospital = z.infer<typeof hospital>;

export const domain = z.strictObject({
  id: z.enum(DOMAIN_IDS),
  name: z.string().min(1),
  description: z.string().min(1),
  owner,
  costCenter: z.string().regex(/^CC-\d{4,6}$/, { message: 'must look like "CC-1234"' }),
  /** The most sensitive data the domain may hold; its sources and tables may not exceed it. */
  maxClassification: classification,
});
export type Domain = z.infer<typeof domain>;

export const platform = z.strictObject({
  $schema: z.string().optional(),
  organization: z.strictObject({
    /** Short id that prefixes every global name (S3 buckets are global). */
    id: z.string().regex(/^[a-z][a-z0-9]{1,7}$/, {
      message: "must be 2-8 lowercase letters or digits, starting with a letter",
    }),
    name: z.string().min(1),
  }),
  aws: z.strictObject({
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, {
      message: 'must be an AWS region such as "us-east-2"',
    }),
  }),
  tags: z.strictObject({
    /** Tags every taggable resource must carry. */
    required: z.array(z.string().min(1)).min(1),
    /** Tags added to every resource. */
    defaults: tags.default({}),
  }),
  hospitals: z.array(hospital).min(1),
  domains: z.array(domain).min(1),
});
export type PlatformConfig = z.infer<typeof platform>;
