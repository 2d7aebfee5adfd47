/**
 * Turns the rows an UPDATE or DELETE changed into YAML edits: each changed cell of a writable
 * column becomes a set (or a delete, for NULL) at the column's path under the row's entry; a
 * deleted table row deletes the table's file. Anything that cannot be written is refused as a
 * whole, with one message per column or table.
 */
import { isDeepStrictEqual } from "node:util";
import type { ColumnInfo, EstateView, RowObject, SqlTable, SqlValue, YamlPath } from "./define";
import type { RowChange } from "./database";
import { QueryError } from "./errors";
import type { YamlEdit } from "./yaml-edit";

/** A value the reloaded estate must show for the write to have done what was asked. */
export interface Expectation {
  readonly table: SqlTable;
  /** The row's natural key: column name to value. */
  readonly key: RowObject;
  /** The column and the value it must have; `undefined` column: the row must be gone. */
  readonly column?: ColumnInfo;
  readonly value?: SqlValue;
}

export interface WritePlan {
  /** Edits per file, in the order they apply. */
  readonly edits: ReadonlyMap<string, readonly YamlEdit[]>;
  /** Files to delete. */
  readonly deletes: ReadonlySet<string>;
  readonly expectations: readonly Expectation[];
  /** Rows with at least one change. */
  readonly rows: number;
}

/** Whether two values of a column mean the same (JSON compared as data). */
export function sameValue(col: ColumnInfo, a: SqlValue, b: SqlValue): boolean {
  if (a === b) return true;
  if (col.type !== "json" || typeof a !== "string" || typeof b !== "string") return false;
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

/** Plans the edits of `changes`. Throws an `unsupported` {@link QueryError} listing every refusal. */
export function planWrite(changes: readonly RowChange[], view: EstateView): WritePlan {
  const edits = new Map<string, YamlEdit[]>();
  const deletes = new Set<string>();
  const expectations: Expectation[] = [];
  const refusals = new Set<string>();
  let rows = 0;
  const add = (file: string, edit: YamlEdit) => edits.set(file, [...(edits.get(file) ?? []), edit]);

  for (const ch of changes) {
    const t = ch.table;
    const key = Object.fromEntries(t.key.map((k) => [k, ch.before[k]]));
    if (ch.after === null) {
      rows++;
      const refused = planDelete(ch, view, add, deletes);
      if (refused !== undefined) refusals.add(refused);
      else expectations.push({ table: t, key });
      continue;
    }
    const after = ch.after;
    const changed = t.columns.filter((c) => !sameValue(c, ch.before[c.name], after[c.name]));
    if (changed.length === 0) continue;
    rows++;
    const readOnly = changed.filter((c) => c.write === undefined);
    for (const c of readOnly) refusals.add(notWritable(t, c));
    if (readOnly.length > 0) continue;
    const at = t.locate(ch.before);
    if (typeof at === "string") {
      refusals.add(at);
      continue;
    }
    for (const c of changed) {
      const edit = cellEdit(t, c, at.path, after[c.name]);
      if (typeof edit === "string") refusals.add(edit);
      else {
        add(at.file, edit);
        // NULL removes a key: what the column shows then is a default or an inherited value.
        if (after[c.name] !== null)
          expectations.push({ table: t, key, column: c, value: after[c.name] });
      }
    }
  }
  if (refusals.size > 0) {
    const list = [...refusals];
    throw new QueryError(list.join("\n"), {
      kind: "unsupported",
      hint: "nothing was written; hdp query --schema marks the writable columns",
    });
  }
  // Edits of a file that is deleted anyway are moot.
  for (const f of deletes) edits.delete(f);
  return { edits, deletes, expectations, rows };
}

function notWritable(t: SqlTable, c: ColumnInfo): string {
  const writable = t.columns.filter((x) => x.write !== undefined).map((x) => x.name);
  return writable.length === 0
    ? `${t.name} is read-only (derived from other entries)`
    : `${t.name}.${c.name} is not writable; writable columns of ${t.name}: ${writable.join(", ")}`;
}

/** The YAML edit for one changed cell, or why it cannot be written. */
function cellEdit(t: SqlTable, c: ColumnInfo, base: YamlPath, v: SqlValue): YamlEdit | string {
  const w = c.write!;
  const path = [...base, ...w.path];
  if (v === null) return { op: "delete", path: [...base, ...(w.nullPath ?? w.path)] };
  const converted = toYaml(t, c, v);
  if ("error" in converted) return converted.error;
  const value = converted.value;
  if (w.enabledOverride === true) {
    // Entries are enabled unless an overlay says otherwise: enabling removes the override.
    return value === true ? { op: "delete", path } : { op: "set", path, value: false };
  }
  return { op: "set", path, value };
}

function toYaml(
  t: SqlTable,
  c: ColumnInfo,
  v: string | number,
): { value: unknown } | { error: string } {
  const name = `${t.name}.${c.name}`;
  switch (c.type) {
    case "boolean":
      if (v === 0 || v === 1) return { value: v === 1 };
      return { error: `${name} is 0 or 1 (true or false), not ${JSON.stringify(v)}` };
    case "json":
      try {
        return { value: JSON.parse(String(v)) as unknown };
      } catch {
        return { error: `${name} holds JSON, and ${JSON.stringify(v)} is not valid JSON` };
      }
    case "integer":
    case "text":
      return { value: v };
  }
}

function planDelete(
  ch: RowChange,
  view: EstateView,
  add: (file: string, edit: YamlEdit) => void,
  deletes: Set<string>,
): string | undefined {
  const t = ch.table;
  const row = ch.before;
  if (t.delete === "file") {
    deletes.add(String(row.file));
    // A declared pipeline lists the table by id: take it out of the list too.
    const source = view.estate.sources.find((s) => s.id === row.source);
    for (const p of view.estate.pipelines) {
      if (p.kind !== "declared" || p.source !== row.source || !p.tables.includes(String(row.id)))
        continue;
      add(source!.origin.file, {
        op: "delete",
        path: ["pipelines", { key: "id", value: p.id }, "tables", { value: String(row.id) }],
      });
    }
    return undefined;
  }
  if (t.delete === "entry") {
    const at = t.locate(row);
    if (typeof at === "string") return at;
    add(at.file, { op: "delete", path: at.path });
    return undefined;
  }
  return `DELETE FROM ${t.name} cannot be written back: DELETE removes tables (their files) and columns (from their table file)`;
}
