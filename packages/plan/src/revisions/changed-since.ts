/**
 * `--changed-since`: which stacks' inputs (code, config slice, and for a shard its core's
 * exports) differ between a git revision and the working tree.
 */
import type { Revision } from "./revision";
import { exportsHash, planStacks, type ScheduleContext } from "../run/schedule";
import { hasTableDigests } from "@hdp/config";
import { findStack, sliceHash } from "./slices";

/**
 * The selected stacks whose inputs changed since `since`: all of them when the program's code
 * changed; else those whose config slice changed, that are new, or whose core's exports
 * changed (planned at both revisions when the core's own slice changed; cached after).
 */
export async function changedStacks(
  head: Revision,
  since: Revision,
  selected: readonly string[],
  ctx: ScheduleContext,
): Promise<Set<string>> {
  if (head.codeHash !== since.codeHash) return new Set(selected);
  const changed = new Set<string>();
  // Tables by their files' digests only when both revisions have them (else by their content).
  const tables =
    hasTableDigests(head.estate) && hasTableDigests(since.estate) ? "files" : "entries";
  const sliceChanged = (s: string): boolean =>
    findStack(since.estate, s) === undefined ||
    sliceHash(head.estate, s, tables) !== sliceHash(since.estate, s, tables);
  const coresToCompare = new Set<string>();
  for (const s of selected) {
    if (sliceChanged(s)) {
      changed.add(s);
      continue;
    }
    const found = findStack(head.estate, s);
    const core = found?.env.stacks.find((x) => x.shard === "core")?.name;
    if (
      found?.spec.shard !== undefined &&
      found.spec.shard !== "core" &&
      core !== undefined &&
      sliceChanged(core)
    ) {
      coresToCompare.add(core);
    }
  }
  if (coresToCompare.size > 0) {
    const cores = [...coresToCompare];
    const [now, then] = await Promise.all([
      planStacks(head, cores, ctx),
      planStacks(since, cores, ctx),
    ]);
    for (const s of selected) {
      const found = findStack(head.estate, s);
      const core = found?.env.stacks.find((x) => x.shard === "core")?.name;
      if (core === undefined || !coresToCompare.has(core) || changed.has(s)) continue;
      const a = now.get(core);
      const b = then.get(core);
      if (
        a === undefined ||
        b === undefined ||
        !a.ok ||
        !b.ok ||
        exportsHash(a.exports) !== exportsHash(b.exports)
      ) {
        changed.add(s);
      }
    }
  }
  return changed;
}
