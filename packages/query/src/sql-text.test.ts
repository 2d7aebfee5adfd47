import fc from "fast-check";
import { lineColumn, locateError, referencedNames, statementKind, tokenize } from "./sql-text";

describe("tokenize", () => {
  it("skips comments and whitespace, unquotes identifiers and strings", () => {
    const sql = `SELECT "my col", [t].x, \`y\` -- comment ; DELETE\n/* block; */ FROM tables WHERE a = 'it''s' AND b->>'$.c' >= 1.5;`;
    expect(tokenize(sql).map((t) => [t.kind, t.value])).toEqual([
      ["word", "SELECT"],
      ["quoted", "my col"],
      ["punct", ","],
      ["quoted", "t"],
      ["punct", "."],
      ["word", "x"],
      ["punct", ","],
      ["quoted", "y"],
      ["word", "FROM"],
      ["word", "tables"],
      ["word", "WHERE"],
      ["word", "a"],
      ["punct", "="],
      ["string", "it's"],
      ["word", "AND"],
      ["word", "b"],
      ["punct", "->>"],
      ["string", "$.c"],
      ["punct", ">="],
      ["number", "1.5"],
      ["punct", ";"],
    ]);
  });

  it("never throws and covers the text in order (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const tokens = tokenize(s);
        for (let i = 1; i < tokens.length; i++)
          expect(tokens[i].start).toBeGreaterThanOrEqual(tokens[i - 1].end);
        for (const t of tokens) expect(s.slice(t.start, t.end)).toBe(t.text);
      }),
    );
  });
});

test.each([
  ["select * from tables", "SELECT"],
  ["  -- why\n  with x as (select 1) delete from tables", "WITH"],
  ["/* c */ UPDATE tables SET a = 1", "UPDATE"],
  ["pragma query_only = 0", "PRAGMA"],
  ["", ""],
  ["-- only a comment", ""],
])("statementKind(%j) = %j", (sql, kind) => {
  expect(statementKind(sql)).toBe(kind);
});

test("referencedNames includes quoted identifiers and strings, lowercased", () => {
  const names = referencedNames(
    `SELECT * FROM "Columns" c JOIN [TABLES] t ON 1 WHERE x IN (SELECT name FROM pragma_table_info('effective_tables'))`,
  );
  for (const n of ["columns", "tables", "effective_tables", "pragma_table_info"])
    expect(names.has(n)).toBe(true);
});

test.each([
  ["abc", 0, { line: 1, column: 1 }],
  ["abc", 2, { line: 1, column: 3 }],
  ["ab\ncd", 3, { line: 2, column: 1 }],
  ["ab\ncd\nef", 7, { line: 3, column: 2 }],
])("lineColumn(%j, %d)", (sql, offset, expected) => {
  expect(lineColumn(sql, offset)).toEqual(expected);
});

describe("locateError", () => {
  const none = () => undefined;
  test.each([
    ["SELECT nope FROM tables", "no such column: nope", "nope"],
    ["SELECT t.nope FROM tables t", "no such column: t.nope", "t.nope"],
    ["SELECT key FROM tabels", "no such table: tabels", "tabels"],
    ["SELECT key FROM main.tabels", "no such table: main.tabels", "main.tabels"],
    ["SELECT frob(key) FROM tables", "no such function: frob", "frob"],
    ["SELECT id FROM tables JOIN sources", "ambiguous column name: id", "id"],
    [
      "SELECT json_extract() FROM tables",
      "wrong number of arguments to function json_extract()",
      "json_extract",
    ],
    ["SELECT 'abc FROM tables", `unrecognized token: "'abc FROM tables"`, "'abc FROM tables"],
  ])("%s: %s", (sql, message, culprit) => {
    const span = locateError(sql, message, none);
    expect(span).toBeDefined();
    expect(sql.slice(span!.start, span!.end)).toBe(culprit);
  });

  it("puts incomplete input at the end", () => {
    expect(locateError("SELECT * FROM tables WHERE  ", "incomplete input", none)).toEqual({
      start: 26,
      end: 26,
    });
  });

  it("finds the occurrence of a syntax error's token that the engine stops at", () => {
    // The first "and" is fine; the engine stops at the second.
    const sql = "SELECT key FROM tables WHERE a = 1 and and b = 2";
    const probe = (prefix: string) =>
      /and and$/.test(prefix) ? 'near "and": syntax error' : undefined;
    const span = locateError(sql, 'near "and": syntax error', probe)!;
    expect(span.start).toBe(sql.lastIndexOf("and"));
  });
});
