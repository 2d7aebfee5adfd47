/**
 * Reads one config file: size and encoding checks, YAML parsing with source positions, and
 * lookup of the line and column of any field path. Nothing here knows the schemas.
 */
import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import jsyaml from "js-yaml";
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

/**
 * A parsed config file. The fast path parses with js-yaml (about ten times faster than the
 * `yaml` library here) and records where every mapping and list starts; the full `yaml`
 * Document, with a position for every node, is built only when an error must point at a field.
 */
export interface ParsedYaml {
  readonly file: string;
  readonly data: unknown;
  /** Where an object or array of `data` starts (its first key or item). */
  start(node: object): Position | undefined;
  /** The position of a field path (the key itself when `key` is set); see {@link positionOf}. */
  locate(path: readonly PropertyKey[], key?: boolean): Position;
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

/**
 * Reads and parses `root/file`; every problem comes back as a {@link ConfigError}, never a throw.
 * `onBytes` sees the bytes read (the parse cache keys a result by them). `given`: the file's
 * bytes when they were just read already (by the tree index), then they are parsed instead.
 */
export function readYamlFile(
  root: string,
  file: string,
  onBytes?: (bytes: Uint8Array) => void,
  given?: Buffer,
): ReadResult {
  const abs = join(root, file);
  let bytes: Buffer;
  try {
    // One read, no stat: a config file is small, and the size check below needs the bytes anyway.
    bytes = given ?? readFileSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EISDIR") {
      return {
        ok: false,
        errors: [fileError(file, "is a directory, but a YAML file is expected here")],
      };
    }
    return { ok: false, errors: [fileError(file, `cannot be read: ${(e as Error).message}`)] };
  }
  onBytes?.(bytes);
  if (bytes.length > MAX_FILE_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
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
  return parseYamlText(file, bytes.toString("utf8").replace(/^\uFEFF/, ""));
}

/** Parses YAML text: the fast path, falling back to the full parser for messages on bad input. */
export function parseYamlText(file: string, text: string): ReadResult {
  // A Map, not a WeakMap: it dies with the file, and ephemeron tables cost the GC far more.
  const starts = new Map<object, number>();
  const open: number[] = [];
  let data: unknown;
  try {
    data = jsyaml.load(text, {
      schema: jsyaml.CORE_SCHEMA,
      filename: file,
      listener(event, state) {
        if (event === "open") open.push(state.position);
        else {
          const at = open.pop();
          const node: unknown = state.result;
          if (at !== undefined && node !== null && typeof node === "object") starts.set(node, at);
        }
      },
    });
  } catch (e) {
    // The full parser words YAML errors better and gives their positions; use its verdict.
    return parseWithDocument(file, text, e);
  }
  if (data === null || data === undefined)
    return { ok: false, errors: [fileError(file, "is empty; expected a YAML mapping")] };
  if (typeof data !== "object" || Array.isArray(data)) {
    return {
      ok: false,
      errors: [
        fileError(file, "must be a YAML mapping of keys to values", lazyDocument(text).locate([])),
      ],
    };
  }
  let lines: number[] | undefined;
  const doc = lazyDocument(text);
  return {
    ok: true,
    parsed: {
      file,
      data,
      start(node) {
        const at = starts.get(node);
        if (at === undefined) return undefined;
        lines ??= lineStarts(text);
        return positionOfOffset(lines, skipTrivia(text, at));
      },
      locate: doc.locate,
    },
  };
}

/** The `yaml` Document of `text`, parsed on first use. */
function lazyDocument(text: string): { locate: ParsedYaml["locate"] } {
  let parsed: { doc: Document; lines: LineCounter } | undefined;
  return {
    locate(path, key = false) {
      if (parsed === undefined) {
        const lines = new LineCounter();
        parsed = { doc: parseDocument(text, { lineCounter: lines, uniqueKeys: true }), lines };
      }
      return positionOf(parsed, path, key);
    },
  };
}

function parseWithDocument(file: string, text: string, jsError: unknown): ReadResult {
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
  // js-yaml refused what the YAML 1.2 parser accepts: an alias to an anchor defined nowhere
  // (before it), a custom tag, a type the config does not use. Say which, where js-yaml saw it.
  return { ok: false, errors: [unsupportedConstruct(file, text, jsError)] };
}

/** A js-yaml error (`reason`, 0-based `mark`) as a config error in words. */
function unsupportedConstruct(file: string, text: string, e: unknown): ConfigError {
  const err = e as { reason?: unknown; mark?: { line?: unknown; column?: unknown } };
  const reason = typeof err.reason === "string" ? err.reason : String(e);
  const pos =
    typeof err.mark?.line === "number" && typeof err.mark.column === "number"
      ? { line: err.mark.line + 1, column: err.mark.column + 1 }
      : { line: 1, column: 1 };
  const alias = /^unidentified alias "(.*)"$/.exec(reason);
  const tag = /^unknown tag !<(.*)>$/.exec(reason);
  // js-yaml marks the end of the node: point at the alias or tag itself when it is on the line.
  const lineText = text.split("\n")[pos.line - 1] ?? "";
  const marker = alias !== null ? `*${alias[1]}` : tag !== null ? "!" : undefined;
  let at = marker === undefined ? -1 : lineText.lastIndexOf(marker, pos.column - 1);
  while (at > 0 && marker === "!" && lineText[at - 1] === "!") at--;
  if (at >= 0) pos.column = at + 1;
  const message =
    alias !== null
      ? `invalid YAML: alias *${alias[1]} refers to no anchor &${alias[1]} defined before it`
      : tag !== null
        ? `invalid YAML: the tag ${tag[1].startsWith("tag:yaml.org,2002:") ? `!!${tag[1].slice(18)}` : tag[1]} is not supported; config values are plain strings, numbers, booleans, lists and mappings (secrets go in secretName, never in the file)`
        : `invalid YAML: ${reason}`;
  return fileError(file, message, pos);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function positionOfOffset(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** Skips spaces, line breaks, comments and a list's "- " to where the node's content begins. */
function skipTrivia(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
    else if (c === "#") {
      const eol = text.indexOf("\n", i);
      i = eol === -1 ? text.length : eol + 1;
    } else if (c === "-" && (text[i + 1] === " " || text[i + 1] === "\n")) i++;
    else break;
  }
  return i;
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
  parsed: { doc: Document; lines: LineCounter },
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
