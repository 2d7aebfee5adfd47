/**
 * One block of a table's rows, generated and encoded: the unit of work that `block-pool.ts`
 * runs on worker threads (or in this thread). Everything it needs travels in plain data
 * (structured-clone-able): the table, the run's options and pools, and the block's key plan.
 */
import type { Table } from "@hdp/config";
import { BlockGenerator, type BadKind, type BlockPlan, type Op, type RowOptions } from "./rows";
import {
  blockEncoder,
  landsAsParquetText,
  loadParquet,
  type DataFormat,
  type EncodedBlock,
} from "./writers";

/** A table to generate, as sent to a worker once. */
export interface TableSpec {
  readonly source: string;
  readonly table: Table;
  readonly format: DataFormat;
  readonly options: RowOptions;
}

export interface BlockTask {
  /** Day index (0-based) and the block's first row within the day. */
  readonly d: number;
  readonly start: number;
  readonly plan: BlockPlan;
}

export interface BlockResult {
  readonly block: EncodedBlock;
  readonly ops: Record<Op, number>;
  readonly bad: Record<BadKind, number>;
}

/** Prepares a table (column generators, the parquet library) and returns its block runner. */
export async function prepareTable(spec: TableSpec): Promise<(task: BlockTask) => BlockResult> {
  const lib = spec.format === "parquet" ? await loadParquet() : undefined;
  const generator = new BlockGenerator(
    spec.source,
    spec.table,
    spec.options,
    spec.format === "parquet" ? landsAsParquetText : undefined,
  );
  return (task) => {
    const encoder = blockEncoder(spec.format, spec.table.columns, lib);
    const ops = { I: 0, U: 0, D: 0 };
    const bad: Record<BadKind, number> = { "null-key": 0, "wrong-type": 0, overflow: 0 };
    generator.generate(task.d, task.start, task.plan, (values, op, b) => {
      encoder.row(values);
      ops[op]++;
      if (b !== undefined) bad[b]++;
    });
    return { block: encoder.finish(), ops, bad };
  };
}
