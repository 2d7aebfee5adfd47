import fc from "fast-check";
import { isPyIdentifier, pyComment, pyStr } from "./python";

describe("pyStr", () => {
  it.each([
    ["plain", '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["back\\slash", '"back\\\\slash"'],
    ["two\nlines\r\t", '"two\\nlines\\r\\t"'],
    ['"""', '"\\"\\"\\""'],
    ["\u0000", '"\\x00"'],
    ["é", '"\\xe9"'],
    ["\u202e", '"\\u202e"'],
    ["\u{1F489}", '"\\U0001f489"'],
    ["\ud800", '"\\ud800"'],
  ])("%j -> %s", (input, literal) => {
    expect(pyStr(input)).toBe(literal);
  });

  it("is always one line of printable ASCII that no inner quote ends", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const lit = pyStr(s);
        expect(lit).toMatch(/^"[\x20-\x7e]*"$/);
        // Every quote inside is escaped: strip escapes, no quote is left.
        expect(lit.slice(1, -1).replace(/\\./g, "")).not.toContain('"');
      }),
    );
  });
});

describe("pyComment", () => {
  it("keeps a comment on one printable line", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(pyComment(s)).toMatch(/^[\x20-\x7e]*$/);
      }),
    );
    expect(pyComment("a\nimport os")).toBe("a\\x0aimport os");
  });
});

describe("isPyIdentifier", () => {
  it.each([
    ["patients_group", true],
    ["class", false],
    ["None", false],
    ["2x", false],
    ["a-b", false],
    ["é", false],
  ])("%s: %s", (name, ok) => {
    expect(isPyIdentifier(name)).toBe(ok);
  });
});
