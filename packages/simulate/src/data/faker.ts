/**
 * @faker-js/faker (pinned exactly: one seed gives other values across versions) is an ES module;
 * this CommonJS package loads it with a dynamic import.
 */
import type * as FakerModule from "@faker-js/faker" with { "resolution-mode": "import" };
import type { Faker } from "@faker-js/faker" with { "resolution-mode": "import" };

export type { Faker };

let loaded: Promise<typeof FakerModule> | undefined;

/** A Faker seeded with `seed`, English locale. */
export async function seededFaker(seed: number): Promise<Faker> {
  loaded ??= import("@faker-js/faker");
  const { Faker: FakerClass, en, base } = await loaded;
  const f = new FakerClass({ locale: [en, base] });
  f.seed(seed);
  return f;
}
