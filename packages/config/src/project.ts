/**
 * The Pulumi project and organization this estate deploys as, stated once: the root program
 * (`Pulumi.yaml`'s `name`), the platform's StackReference names and the offline plan's URNs all
 * use them.
 */

/** The project name of the root program (`name` in Pulumi.yaml). */
export const DEFAULT_PROJECT = "health-data-platform";

/** The organization of DIY backends and the default of `pulumi.getOrganization()`. */
export const DEFAULT_PULUMI_ORG = "organization";
