/**
 * URNs as the Pulumi engine builds them. The SDK's mock monitor qualifies a child's type with
 * its immediate parent's type only; the engine chains every ancestor's type
 * (`urn:pulumi:<stack>::<project>::<grandparentType>$<parentType>$<type>::<name>`), and a
 * resource at the top of the program (child of the root stack) carries its bare type.
 */

/** The URN the engine gives `type`/`name` under `parent` (an engine URN, or empty at the top). */
export function engineUrn(
  stack: string,
  project: string,
  parent: string | undefined,
  type: string,
  name: string,
): string {
  const qualified = parent ? `${qualifiedType(parent)}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The qualified type part of a URN: `a$b$c` in `urn:pulumi:s::p::a$b$c::name`. */
export function qualifiedType(urn: string): string {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) {
    throw new Error(`@hdp/recorder: not a URN: ${urn}`);
  }
  return parts[2];
}

/** The URN part of a provider reference (`<urn>::<id>`). */
export function providerRefUrn(ref: string): string | undefined {
  if (ref === "") return undefined;
  const cut = ref.lastIndexOf("::");
  return cut > 0 ? ref.slice(0, cut) : ref;
}
