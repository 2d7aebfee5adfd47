/**
 * Reads one config file: size and encoding checks, YAML parsing with source positions, and
 * lookup of the line and column of any field path. Nothing here knows the schemas.
 */
import { isUtf8 } from "node:buffer";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from "yaml";
import type { ConfigError, Position } from "./errors";

/** Config files larger than this are refused: split them (one file per table). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** A parsed YAML file whose positions can still be looked up. */
export interface ParsedYaml {
  readonly file: string;
  readonly data: unknown;
  readonly doc: Document;
  readonly lines: LineCounter;
}

export type ReadResult = { ok: true; parsed: ParsedYaml } | { ok: false; errors: ConfigError[] };

const fileError = (
  file: string,
  message: string,
  pos: Position = { line: 1, column: 1 },
): ConfigError => ({
  file,
  line: pos.line,
  column: pos.column,
  field: "",
  message,
});

/** Reads and parses `root/file`; every problem comes back as a {@link ConfigError}, never a throw. */
export function readYamlFile(root: string, file: string): ReadResult {
  const abs = join(root, file);
  let size: number;
  try {
    const st = statSync(abs);
    if (st.isDirectory()) {
      return {
        ok: false,
        errors: [fileError(file, "is a directory, but a YAML file is expected here")],
      };
    }
    size = st.size;
  } catch (e) {
    return { ok: false, errors: [fileError(file, `cannot be read: ${(e as Error).message}`)] };
  }
  if (size > MAX_FILE_BYTES) {
    const mb = (size / 1024 / 1024).toFixed(1);
    return {
      ok: false,
      errors: [
        fileError(
          file,
          `is ${mb} MiB; config files are limited to 1 MiB (one file per table keeps them small)`,
        ),
      ],
    };
  }
  const bytes = readFileSync(abs);
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    return {
      ok: false,
      errors: [
        fileError(
          file,
          `contains bytes that are not UTF-8 (0x${bytes[offset].toString(16).padStart(2, "0")} at byte ${offset}); save the file as UTF-8`,
          positionOfByte(bytes, offset),
        ),
      ],
    };
  }
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  return parseYamlText(file, text);
}

/** Parses YAML text; exported for tests and for in-memory trees (query write-back). */
export function parseYamlText(file: string, text: string): ReadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((err) => {
        const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
        const message = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        return fileError(file, `invalid YAML: ${message}`, { line: pos.line, column: pos.col });
      }),
    };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return { ok: false, errors: [fileError(file, "is empty; expected a YAML mapping")] };
  }
  if (!isMap(doc.contents)) {
    const pos = positionOfNode(doc.contents, lines);
    return {
      ok: false,
      errors: [fileError(file, "must be a YAML mapping of keys to values", pos)],
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, errors: [fileError(file, `invalid YAML: ${(e as Error).message}`)] };
  }
  return { ok: true, parsed: { file, data, doc, lines } };
}

function positionOfNode(node: Node | null | undefined, lines: LineCounter): Position {
  const offset = node?.range?.[0] ?? 0;
  const p = lines.linePos(offset);
  return { line: p.line, column: p.col };
}

/**
 * The position of a field: the value at `path`, or its key when `key` is set (for unknown keys).
 * A path that does not exist (a missing field) resolves to the nearest existing parent.
 */
export function positionOf(
  parsed: Pick<ParsedYaml, "doc" | "lines">,
  path: readonly PropertyKey[],
  key = false,
): Position {
  let node: unknown = parsed.doc.contents;
  let at: unknown = node;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (pair === undefined) break;
      const last = i === path.length - 1;
      at = last && key ? pair.key : (pair.value ?? pair.key);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
      node = node.items[seg];
      at = node;
    } else {
      break;
    }
  }
  return positionOfNode(at as Node, parsed.lines);
}

/** Offset of the first byte that breaks UTF-8 (the caller knows there is one). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b < 0xe0
          ? 1
          : b >= 0xe0 && b < 0xf0
            ? 2
            : b >= 0xf0 && b < 0xf5
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

function positionOfByte(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
