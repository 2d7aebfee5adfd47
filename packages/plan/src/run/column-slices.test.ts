/**
 * A job's columns travel to a worker as JSON text rendered once per source: parsed back, they
 * equal the columns themselves — for every shard's sources, a core's (none), and all of them.
 */
import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { BASE_TREE, REPO_ROOT } from "../__fixtures__/trees";
import { columnsJson, columnsOf } from "./column-slices";

describe.each([
  ["the repository's configs", join(REPO_ROOT, "configs")],
  ["the base fixture", BASE_TREE],
])("columnsJson over %s", (_, dir) => {
  it("parses back to exactly columnsOf, per stack and for every table", () => {
    const estate = loadEstateOrThrow(dir);
    const stacks = estate.environments.flatMap((e) => e.stacks);
    expect(stacks.length).toBeGreaterThan(1);
    let columns = 0;
    for (const s of stacks) {
      const want = columnsOf(estate, s.sources);
      // Twice: the second time from the parts rendered the first.
      for (let i = 0; i < 2; i++)
        expect(JSON.parse(columnsJson(estate, s.sources))).toStrictEqual(want);
      columns += Object.values(want).reduce((n, c) => n + c.length, 0);
    }
    expect(columns).toBeGreaterThan(0);
    const all = columnsOf(estate, "all");
    expect(Object.keys(all)).toHaveLength(estate.tables.length);
    expect(JSON.parse(columnsJson(estate, "all"))).toStrictEqual(all);
    // A source listed twice, or unknown, changes nothing.
    const some = stacks.find((s) => s.sources.length > 0)?.sources ?? [];
    expect(some.length).toBeGreaterThan(0);
    expect(JSON.parse(columnsJson(estate, [...some, some[0], "no-such-source"]))).toStrictEqual(
      columnsOf(estate, some),
    );
  });
});
