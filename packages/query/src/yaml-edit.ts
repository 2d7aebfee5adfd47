/**
 * Edits one YAML file through the `yaml` Document API (parseDocument, setIn/deleteIn, String),
 * which keeps comments, key order and the style of the nodes it touches. The rendered document
 * is then merged back into the original text line by line, so lines the edit did not touch stay
 * byte for byte as they were, even where the renderer would have spelled them differently.
 */
import { isDeepStrictEqual } from "node:util";
import { applyPatch, structuredPatch } from "diff";
import {
  isCollection,
  isMap,
  isScalar,
  isSeq,
  parse,
  parseDocument,
  type Document,
  type ToStringOptions,
} from "yaml";
import type { YamlPath } from "./define";

export type YamlEdit =
  | { readonly op: "set"; readonly path: YamlPath; readonly value: unknown }
  | { readonly op: "delete"; readonly path: YamlPath };

export interface EditedText {
  readonly text: string;
  /**
   * True when lines outside the edit had to be re-rendered (the file uses a layout the `yaml`
   * renderer does not reproduce, right next to the change).
   */
  readonly reformatted: boolean;
}

type Key = string | number;

/** Renderer settings closest to the sample configs: no folding, `[a, b]` flow lists. */
const RENDER: ToStringOptions[] = [
  { lineWidth: 0, flowCollectionPadding: false },
  { lineWidth: 0, flowCollectionPadding: true },
];

/** Applies `edits` in order. Throws when a list item named by a path is not in the file. */
export function editYaml(text: string, edits: readonly YamlEdit[]): EditedText {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`cannot edit invalid YAML: ${doc.errors[0].message}`);
  // The renderer settings that reproduce the untouched file best.
  const options = RENDER.find((o) => doc.toString(o) === text) ?? RENDER[0];
  const before = doc.toString(options);
  for (const edit of edits) {
    const path = resolve(doc, edit.path);
    if (edit.op === "set") set(doc, path, edit.value);
    else if (doc.hasIn(path)) {
      doc.deleteIn(path);
      prune(doc, path.slice(0, -1));
    }
  }
  const after = doc.toString(options);
  if (before === text || after === before) return { text: after, reformatted: false };
  return merge(text, before, after);
}

/** Map keys as they are; list matchers become the index of the item they match. */
function resolve(doc: Document, path: YamlPath): Key[] {
  const out: Key[] = [];
  for (const seg of path) {
    if (typeof seg === "string") {
      out.push(seg);
      continue;
    }
    const list = doc.getIn(out, true);
    const index = isSeq(list)
      ? list.items.findIndex((item) =>
          seg.key === undefined
            ? isScalar(item) && String(item.value) === seg.value
            : isMap(item) && String(item.get(seg.key)) === seg.value,
        )
      : -1;
    if (index === -1) {
      throw new Error(
        `no item ${seg.key ?? "value"} "${seg.value}" under ${out.join(".") || "the root"}`,
      );
    }
    out.push(index);
  }
  return out;
}

function set(doc: Document, path: Key[], value: unknown): void {
  const existing = doc.getIn(path, true);
  if (value === null || typeof value !== "object") {
    // A scalar over a scalar: yaml changes the value in place and keeps its quoting.
    doc.setIn(path, value);
    return;
  }
  const node = doc.createNode(value);
  if (isCollection(existing)) {
    node.flow = existing.flow ?? false;
    node.comment = existing.comment;
    node.commentBefore = existing.commentBefore;
  } else if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) {
    node.flow = true; // the house style for short lists: keys: [id]
  }
  if (isScalar(existing)) node.comment = existing.comment;
  doc.setIn(path, node);
}

/** Removes maps left empty by a deletion, up to (not including) the document root. */
function prune(doc: Document, path: Key[]): void {
  for (let p = path; p.length > 0; p = p.slice(0, -1)) {
    const node = doc.getIn(p, true);
    if (!isMap(node) || node.items.length > 0) return;
    doc.deleteIn(p);
  }
}

/**
 * Three-way merge: the change between two renderings of the document, applied to the original
 * text. Falls back to the full rendering when the patch does not apply or would not mean the
 * same data.
 */
function merge(original: string, before: string, after: string): EditedText {
  const patch = structuredPatch("a", "b", before, after, "", "", { context: 1 });
  const merged = applyPatch(original, patch);
  if (merged !== false && isDeepStrictEqual(parse(merged), parse(after)) && merged !== original) {
    return { text: merged, reformatted: false };
  }
  return { text: after, reformatted: true };
}
