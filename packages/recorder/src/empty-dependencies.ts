/**
 * A cost lever: for every input property of every resource, the SDK's `prepareResource` awaits
 * `getAllTransitivelyReferencedResourceURNs(directDependencies, exclude)` (`runtime/dependsOn.js`)
 * — and once more for the explicit `dependsOn`. For a property that depends on no resource (a
 * plain input: nearly all of them) that is three nested async functions, two Sets, an array and a
 * `Promise.all` to answer a new empty Set. While the lever is on, no resources at all (an empty
 * Set or list, or none) answers a new empty Set at once; anything else goes to the SDK's own
 * function. The answer is the same (a fresh Set per call, which `prepareResource` may add to).
 *
 * Touches an SDK internal (`getAllTransitivelyReferencedResourceURNs`, which `runtime/resource.js`
 * and `runtime/rpc.js` call through the module's exports): checked before use.
 */

type Urns = (resources: unknown, exclude: Set<unknown>) => Promise<Set<string>>;

/** True when `resources` names no resource: none, an empty Set or an empty list. */
function isEmpty(resources: unknown): boolean {
  if (resources === undefined || resources === null) return true;
  if (resources instanceof Set) return resources.size === 0;
  return Array.isArray(resources) && resources.length === 0;
}

/** Installs the lever; returns the function that removes it. */
export function shortcutEmptyDependencies(): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an SDK internal, no types
  const dependsOn = require("@pulumi/pulumi/runtime/dependsOn") as {
    getAllTransitivelyReferencedResourceURNs?: unknown;
  };
  const original = dependsOn.getAllTransitivelyReferencedResourceURNs;
  if (typeof original !== "function" || original.length !== 2) {
    throw new Error(
      "@hdp/recorder: the SDK's getAllTransitivelyReferencedResourceURNs (runtime/dependsOn) changed shape; update packages/recorder/src/empty-dependencies.ts",
    );
  }
  const sdk = original as Urns;
  const shortcut: Urns = (resources, exclude) =>
    isEmpty(resources) ? Promise.resolve(new Set<string>()) : sdk(resources, exclude);
  dependsOn.getAllTransitivelyReferencedResourceURNs = shortcut;
  return () => {
    dependsOn.getAllTransitivelyReferencedResourceURNs = original;
  };
}
