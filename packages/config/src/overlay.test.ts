import { setFlagsFromString } from "node:v8";
import { BASE_TREE } from "../../../test/support/fixture-tree";
import { loadEstateOrThrow } from "./load";
import { effectiveEstate, effectiveSource, effectiveTable } from "./overlay";
import type { Estate, Table } from "./estate";

// V8's own check of whether two objects have the same hidden class (map).
setFlagsFromString("--allow-natives-syntax");
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- %HaveSameMap only parses in code compiled after the flag
const haveSameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (
  a: object,
  b: object,
) => boolean;

/** `n` copies of `table` under other ids, as separate parsed objects (as the loader makes them). */
function copies(table: Table, n: number): Table[] {
  return Array.from(
    { length: n },
    (_, i) => JSON.parse(JSON.stringify({ ...table, id: `t${i}`, key: `x/t${i}` })) as Table,
  );
}

describe("environment overlays", () => {
  const estate: Estate = loadEstateOrThrow(BASE_TREE);

  it("keep the base's keys in order, then the overlay's, as an object spread does", () => {
    for (const env of ["dev", "prod"]) {
      const e = effectiveEstate(estate, env);
      for (const [i, t] of e.tables.entries()) {
        const base = estate.tables[i];
        const o = base.environments[env] ?? {};
        const spread = {
          ...base,
          env,
          enabled: t.enabled,
          ...(o.schedule !== undefined || base.schedule !== undefined
            ? { schedule: o.schedule ?? base.schedule }
            : {}),
          retention: t.retention,
        };
        expect(Object.keys(t)).toEqual(Object.keys(spread));
        expect(t).toEqual(spread);
      }
      for (const [i, s] of e.sources.entries()) {
        expect(Object.keys(s)).toEqual([
          ...new Set([
            ...Object.keys(estate.sources[i]),
            "env",
            "enabled",
            "schedule",
            "secretName",
          ]),
        ]);
      }
    }
  });

  it("give effective objects of one shape one hidden class (spread copies got one each)", () => {
    const tables = copies(estate.tables[0], 200).map((t) => effectiveTable(t, "dev", true));
    expect(tables.filter((t) => !haveSameMap(t, tables[0]))).toEqual([]);
    const sources = Array.from({ length: 200 }, () =>
      effectiveSource(
        JSON.parse(JSON.stringify(estate.sources[0])) as (typeof estate.sources)[0],
        "dev",
      ),
    );
    expect(sources.filter((s) => !haveSameMap(s, sources[0]))).toEqual([]);
    // The check itself tells shapes apart.
    expect(haveSameMap(tables[0], { ...tables[0], extra: 1 })).toBe(false);
  });
});
