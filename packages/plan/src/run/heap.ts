/**
 * When a plan worker collects garbage between stacks. A full collection (`gc()`, with
 * `--expose-gc`) marks the whole heap — in a worker holding a 500,000-resource estate, ~0.6–0.9 s
 * of CPU — and the stack after it runs slower (its scavenges cost about twice as much). Collecting
 * after every stack cost more than planning a shard's recording; collecting only once the heap
 * has grown by {@link HEAP_SLACK_BYTES} since the last collection keeps the worker's memory
 * bounded (a shard leaves ~100 MB of old-generation garbage) at a third of the cost. 512 MB
 * took another ~5% off the worker's CPU but its peak passed 1.2 GB at the preset's size.
 */

/** Growth of the used heap, since the last collection, that triggers the next one. */
export const HEAP_SLACK_BYTES = 256 * 2 ** 20;

/** Decides, after each stack, whether to collect now. */
export class BetweenStacks {
  private afterLast: number;
  constructor(
    private readonly gc: (() => void) | undefined,
    private readonly heapUsed: () => number = () => process.memoryUsage().heapUsed,
    private readonly slack: number = HEAP_SLACK_BYTES,
  ) {
    this.afterLast = heapUsed();
  }

  /**
   * Collects when the heap grew by more than the slack since the last collection, or when
   * `now` (a worker moving to another environment: what it let go of is ~100–200 MB at the
   * preset's size, and the new environment's memos come on top); true if it did.
   */
  collect(now = false): boolean {
    if (this.gc === undefined || (!now && this.heapUsed() - this.afterLast <= this.slack))
      return false;
    this.gc();
    this.afterLast = this.heapUsed();
    return true;
  }
}
