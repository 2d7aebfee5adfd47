/** Hand-built inventory entries for tests of the diff, the guard and the reports. */
import type { InventoryResource, StackInventory } from "../inventory/inventory";

/** A custom resource of `stack` (URN `urn:pulumi:<stack>::p::<type>::<name>`), options off. */
export const inventoryResource = (
  stack: string,
  type: string,
  name: string,
  over: Partial<InventoryResource> = {},
): InventoryResource => ({
  urn: `urn:pulumi:${stack}::p::${type}::${name}`,
  type,
  name,
  parent: null,
  custom: true,
  read: false,
  protect: false,
  retainOnDelete: false,
  deleteBeforeReplace: false,
  ignoreChanges: [],
  dependsOn: [],
  provider: null,
  inputs: {},
  ...over,
});

/** A stack's inventory holding `resources` (unsharded, default budget). */
export const stackInventoryOf = (
  stack: string,
  resources: readonly InventoryResource[],
  environment = "dev",
): StackInventory => ({
  stack,
  environment,
  shard: null,
  resourceBudget: 3000,
  resourceCount: resources.length,
  exports: {},
  resources,
});
