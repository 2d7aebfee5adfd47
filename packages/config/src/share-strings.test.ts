import { deserialize, serialize } from "node:v8";
import { shareStrings } from "./share-strings";

describe("shareStrings", () => {
  it("leaves the value equal (deeply) and counts the strings it shared", () => {
    const make = () => ({
      tables: [
        {
          id: "t1",
          columns: [
            { name: "id", type: "string", origin: { file: "sources/a/tables/t1.yaml", line: 3 } },
            { name: "at", type: "string", origin: { file: "sources/a/tables/t1.yaml", line: 5 } },
          ],
          tags: ["phi", "phi", null, 7],
        },
      ],
      nested: { deeper: { list: [["string", "id"]] } },
    });
    const copy = deserialize(serialize(make())) as ReturnType<typeof make>;
    // Seen again: column 2's type and file, the second "phi", the nested "string" and "id".
    expect(shareStrings(copy)).toBe(5);
    expect(copy).toEqual(make());
    expect(JSON.stringify(copy)).toBe(JSON.stringify(make()));
  });

  it("skips frozen objects and an own __proto__ key", () => {
    const frozen = Object.freeze({ a: "x", b: "x" });
    const proto = JSON.parse('{"__proto__": "x", "y": "x"}') as Record<string, unknown>;
    const root = { frozen, proto, list: ["x"] };
    expect(() => shareStrings(root)).not.toThrow();
    expect(root.frozen).toEqual({ a: "x", b: "x" });
    expect(Object.getOwnPropertyDescriptor(proto, "__proto__")?.value).toBe("x");
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(root.list).toEqual(["x"]);
  });
});
