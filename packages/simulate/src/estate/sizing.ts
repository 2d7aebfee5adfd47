/**
 * Sizes a generated estate the way a platform engineer would: stacks (shards) under the
 * resource budget, an MWAA class that runs every DAG, quotas raised where the account needs
 * them. Resource counts are estimates from the platform's shape (measured with `hdp plan` on
 * generated estates): they err high, so a shard never exceeds the real budget.
 */

/** DAG capacity per MWAA environment class (AWS documentation; see @hdp/airflow). */
export const MWAA_CLASSES: readonly (readonly [string, number])[] = [
  ["mw1.micro", 25],
  ["mw1.small", 50],
  ["mw1.medium", 200],
  ["mw1.large", 1000],
  ["mw1.xlarge", 2000],
  ["mw1.2xlarge", 4000],
];

/** Most DAGs a generated environment gets: the largest class's capacity, less headroom. */
export const MAX_DAGS = 3960;

/**
 * The share of the resource budget (@hdp/config's `DEFAULT_RESOURCE_BUDGET`, which every
 * generated environment declares) a shard is filled to, by @hdp/config's estimate
 * `sourceResources`; the rest is headroom (a role whose policy document splits, the stack's
 * providers and core reference).
 */
export const SHARD_FILL = 2600;

/**
 * Most tasks in one Databricks job (a task per table and Spark layer): Databricks' limit, which
 * `@hdp/spark` enforces. A source with more tables runs them as several pipelines (DAGs).
 */
export const MAX_JOB_TASKS = 100;

/**
 * Splits tables (their task counts, in order) into consecutive groups of at most
 * {@link MAX_JOB_TASKS} tasks: the pipelines that run them. Returns the group sizes.
 */
export function groupByTasks(tasks: readonly number[]): number[] {
  const groups: number[] = [];
  let n = 0;
  let sum = 0;
  for (const t of tasks) {
    if (n > 0 && sum + t > MAX_JOB_TASKS) {
      groups.push(n);
      n = 0;
      sum = 0;
    }
    n++;
    sum += t;
  }
  if (n > 0) groups.push(n);
  return groups;
}

/** The smallest MWAA class that runs `dags` DAGs. */
export function environmentClassFor(dags: number): string {
  const fit = MWAA_CLASSES.find(([, cap]) => dags <= cap);
  if (fit === undefined) throw new Error(`${dags} DAGs exceed the largest MWAA class (4,000)`);
  return fit[0];
}

export interface SourceSize {
  readonly id: string;
  readonly domain: string;
  readonly weight: number;
}

export interface ShardSpec {
  readonly id: string;
  readonly domains: readonly string[];
  readonly sources: readonly string[];
}

/**
 * Shards for an environment: none when everything fits one stack; otherwise whole domains
 * packed together while they fit, and a large domain split into `<domain>`, `<domain>-2`, …
 * (the first takes the domain, the others take their sources explicitly).
 */
export function planShards(sources: readonly SourceSize[], coreWeight: number): ShardSpec[] {
  const total = sources.reduce((n, s) => n + s.weight, coreWeight);
  if (total <= SHARD_FILL) return [];
  const domains = [...new Set(sources.map((s) => s.domain))];
  const byDomain = new Map(domains.map((d) => [d, sources.filter((s) => s.domain === d)]));
  const weightOf = (d: string): number => byDomain.get(d)!.reduce((n, s) => n + s.weight, 0);
  const shards: ShardSpec[] = [];
  let packed: string[] = [];
  let packedWeight = 0;
  const flush = (): void => {
    if (packed.length === 0) return;
    shards.push({
      id: packed.length === 1 ? packed[0] : packed.join("-").slice(0, 32).replace(/-$/, ""),
      domains: packed,
      sources: [],
    });
    packed = [];
    packedWeight = 0;
  };
  for (const d of domains) {
    const w = weightOf(d);
    if (w <= SHARD_FILL) {
      if (packedWeight + w > SHARD_FILL) flush();
      packed.push(d);
      packedWeight += w;
      continue;
    }
    // Split: greedy chunks in source order; the last chunk keeps the domain.
    const chunks: SourceSize[][] = [[]];
    let cw = 0;
    for (const s of byDomain.get(d)!) {
      if (cw + s.weight > SHARD_FILL && chunks[chunks.length - 1].length > 0) {
        chunks.push([]);
        cw = 0;
      }
      chunks[chunks.length - 1].push(s);
      cw += s.weight;
    }
    chunks.forEach((c, i) => {
      if (i === chunks.length - 1) shards.push({ id: d, domains: [d], sources: [] });
      else shards.push({ id: `${d}-${i + 2}`, domains: [], sources: c.map((s) => s.id) });
    });
  }
  flush();
  return shards;
}
