/** Cycle detection for dependency graphs (tables, pipelines). */

/**
 * Every elementary cycle found by a depth-first search, each reported once, rotated to start
 * at its smallest node, in sorted order (deterministic output).
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const found = new Map<string, string[]>();
  const visit = (node: string): void => {
    state.set(node, "active");
    stack.push(node);
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      const s = state.get(next);
      if (s === "active") {
        const cycle = stack.slice(stack.indexOf(next));
        const min = cycle.reduce((m, x) => (x < m ? x : m));
        const rotated = [...cycle.slice(cycle.indexOf(min)), ...cycle.slice(0, cycle.indexOf(min))];
        found.set(rotated.join("\u0000"), rotated);
      } else if (s === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found.values()].sort((a, b) => a.join(",").localeCompare(b.join(",")));
}
