/**
 * Packing normalized statements into managed-policy documents of a bounded length.
 *
 * A statement too long for one document is cut into pieces by resources (greedy, in canonical
 * order) and, when one resource with all its actions is still too long, by actions. Pieces are
 * packed first-fit, largest first (ties in canonical order); each document then lists its
 * statements in canonical order, and documents are ordered by their first statement. Every step
 * is a function of the canonical statements only, so the split is deterministic.
 */
import type { NormStatement, PolicyDocumentPart, Term } from "./normalize";
import { DOCUMENT_OVERHEAD, duplicateSids, statementMaxLength, withPlaceholders } from "./render";
import { maxLengthOf } from "./size-hints";
import { fail } from "./validate";

/** Options of {@link packStatements}. */
export interface PackOptions {
  readonly label: string;
  readonly maxLength: number;
  readonly unknownLength: number;
}

interface Piece {
  readonly statement: NormStatement;
  readonly size: number;
  readonly order: number;
  readonly sub: number;
}

/** Digits reserved for the numbers appended to the sid of a statement cut into pieces. */
const SID_SUFFIX_DIGITS = 4;

/** Packs statements (already normalized) into as few documents of `maxLength` as it can. */
export function packStatements(
  statements: readonly NormStatement[],
  options: PackOptions,
): PolicyDocumentPart[] {
  const capacity = options.maxLength - DOCUMENT_OVERHEAD;
  const pieces: Piece[] = [];
  statements.forEach((statement, order) => {
    const size = statementMaxLength(statement, options.unknownLength);
    const parts = size <= capacity ? [statement] : cut(statement, capacity, options);
    parts.forEach((s, sub) =>
      pieces.push({
        statement: s,
        size: s === statement ? size : statementMaxLength(s, options.unknownLength),
        order,
        sub,
      }),
    );
  });

  const bins: { pieces: Piece[]; used: number }[] = [];
  const bySize = [...pieces].sort((a, b) => b.size - a.size || a.order - b.order || a.sub - b.sub);
  for (const piece of bySize) {
    const bin = bins.find((b) => b.used + 1 + piece.size <= capacity);
    if (bin === undefined) bins.push({ pieces: [piece], used: piece.size });
    else {
      bin.pieces.push(piece);
      bin.used += 1 + piece.size;
    }
  }
  const byOrder = (a: Piece, b: Piece): number => a.order - b.order || a.sub - b.sub;
  for (const bin of bins) bin.pieces.sort(byOrder);
  bins.sort((a, b) => byOrder(a.pieces[0], b.pieces[0]));

  return bins.map((bin, i) => {
    const docStatements = bin.pieces.map((p) => p.statement);
    const dup = duplicateSids(docStatements);
    if (dup.length > 0) {
      fail(options.label, [`managed policy ${i + 1} would repeat the sids ${dup.join(", ")}`]);
    }
    return { statements: docStatements, maxLength: DOCUMENT_OVERHEAD + bin.used };
  });
}

/** Length of the JSON string literal of a term at its worst case (placeholders need no escapes). */
function quotedLength(term: Term, unknownLength: number): number {
  return typeof term === "string"
    ? JSON.stringify(term).length
    : maxLengthOf(term, unknownLength) + 2;
}

/**
 * Length of `base` with a list field holding items of the given quoted lengths: the empty list
 * renders as `[]`, one item as a plain string, several as an array.
 */
function withList(emptyLength: number, count: number, quotedSum: number): number {
  if (count === 1) return emptyLength - 2 + quotedSum;
  return emptyLength + quotedSum + Math.max(0, count - 1);
}

/** Cuts one statement into pieces that each fit `capacity`. */
function cut(statement: NormStatement, capacity: number, options: PackOptions): NormStatement[] {
  const unknownLength = options.unknownLength;
  const resources = statement.resources ?? [];
  // Size the pieces with room for the sid's number, added once the count is known.
  const base: NormStatement =
    statement.sid === undefined
      ? statement
      : { ...statement, sid: statement.sid + "0".repeat(SID_SUFFIX_DIGITS) };
  const emptyResources = statementMaxLength({ ...base, resources: [] }, unknownLength);
  const quoted = resources.map((r) => quotedLength(r, unknownLength));

  const pieces: NormStatement[] = [];
  let current: number[] = [];
  let sum = 0;
  const flush = (): void => {
    if (current.length > 0) pieces.push({ ...base, resources: current.map((i) => resources[i]) });
    current = [];
    sum = 0;
  };
  resources.forEach((_, i) => {
    if (withList(emptyResources, current.length + 1, sum + quoted[i]) <= capacity) {
      current.push(i);
      sum += quoted[i];
      return;
    }
    flush();
    if (withList(emptyResources, 1, quoted[i]) <= capacity) {
      current = [i];
      sum = quoted[i];
    } else pieces.push(...cutByActions({ ...base, resources: [resources[i]] }, capacity, options));
  });
  flush();

  if (pieces.length > 10 ** SID_SUFFIX_DIGITS - 1) {
    fail(options.label, [`a statement would be cut into ${pieces.length} pieces`]);
  }
  return pieces.map((p, i) =>
    statement.sid === undefined
      ? p
      : { ...p, sid: pieces.length === 1 ? statement.sid : `${statement.sid}${i + 1}` },
  );
}

/** Cuts a one-resource statement by actions; fails when one action does not fit alone. */
function cutByActions(
  statement: NormStatement,
  capacity: number,
  options: PackOptions,
): NormStatement[] {
  const emptyActions = statementMaxLength({ ...statement, actions: [] }, options.unknownLength);
  const quoted = statement.actions.map((a) => JSON.stringify(a).length);
  const pieces: NormStatement[] = [];
  let current: number[] = [];
  let sum = 0;
  const flush = (): void => {
    if (current.length > 0) {
      pieces.push({ ...statement, actions: current.map((i) => statement.actions[i]) });
    }
    current = [];
    sum = 0;
  };
  statement.actions.forEach((action, i) => {
    if (withList(emptyActions, current.length + 1, sum + quoted[i]) <= capacity) {
      current.push(i);
      sum += quoted[i];
      return;
    }
    flush();
    const alone = withList(emptyActions, 1, quoted[i]);
    if (alone > capacity) {
      const resource = withPlaceholders(statement, options.unknownLength).resources?.[0] ?? "";
      fail(options.label, [
        `action "${action}" on resource "${resource.length > 120 ? `${resource.slice(0, 117)}...` : resource}"` +
          ` alone makes a statement of ${alone} characters with its conditions; a managed policy` +
          ` holds at most ${options.maxLength} (${capacity} for statements)`,
      ]);
    }
    current = [i];
    sum = quoted[i];
  });
  flush();
  return pieces;
}
