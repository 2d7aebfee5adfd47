/** Cycle detection for dependency graphs (tables, pipelines). */

/**
 * Every cycle met by a depth-first search (one per back edge), each reported once, rotated to
 * start at its smallest node, in sorted order (deterministic output). Iterative, so a chain of
 * tens of thousands of tables cannot overflow the stack.
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "active" | "done">();
  const found = new Map<string, string[]>();
  const succ = (n: string): string[] => [...(edges.get(n) ?? [])].sort();
  for (const start of [...edges.keys()].sort()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const iters: { next: string[]; i: number }[] = [{ next: succ(start), i: 0 }];
    state.set(start, "active");
    while (iters.length > 0) {
      const top = iters[iters.length - 1];
      if (top.i >= top.next.length) {
        state.set(path.pop()!, "done");
        iters.pop();
        continue;
      }
      const next = top.next[top.i++];
      const s = state.get(next);
      if (s === "active") {
        const cycle = path.slice(path.indexOf(next));
        const min = cycle.reduce((m, x) => (x < m ? x : m));
        const at = cycle.indexOf(min);
        const rotated = [...cycle.slice(at), ...cycle.slice(0, at)];
        found.set(rotated.join("\u0000"), rotated);
      } else if (s === undefined) {
        state.set(next, "active");
        path.push(next);
        iters.push({ next: succ(next), i: 0 });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.join(",").localeCompare(b.join(",")));
}
