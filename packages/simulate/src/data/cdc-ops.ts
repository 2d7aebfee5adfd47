/**
 * What a CDC feed writes in its operation column for an insert, an update and a delete. A table
 * config declares only its delete marker (`load.deletes.values`); the feed's convention, and so
 * the insert and update codes the simulator lands beside it, follows from that marker:
 * - SQL Server CDC `__$operation` (`cdc.fn_cdc_get_net_changes_*`): 1 delete, 2 insert,
 *   4 update (the net-changes function returns the update's after-image only, never 3);
 * - Debezium `op`: `c` create, `u` update, `d` delete;
 * - Oracle LogMiner `OPERATION`: `INSERT`, `UPDATE`, `DELETE`;
 * - AWS DMS `Op`, GoldenGate `op_type` and most extracts: `I`, `U`, `D` (also for a marker
 *   matching none of the above).
 */
export interface CdcCodes {
  readonly insert: string;
  readonly update: string;
  readonly delete: string;
}

const CONVENTIONS: readonly CdcCodes[] = [
  { insert: "I", update: "U", delete: "D" },
  { insert: "2", update: "4", delete: "1" },
  { insert: "c", update: "u", delete: "d" },
  { insert: "INSERT", update: "UPDATE", delete: "DELETE" },
];

/**
 * The codes of the convention whose delete code the marker lists; for another marker, its first
 * value marks deletes and inserts and updates are `I` and `U` (null where the marker lists them
 * too, so they never read as deletes).
 */
export function cdcCodes(deleteValues: readonly string[]): {
  readonly insert: string | null;
  readonly update: string | null;
  readonly delete: string;
} {
  const known = CONVENTIONS.find((c) => deleteValues.includes(c.delete));
  if (known !== undefined) return known;
  const other = (code: string): string | null => (deleteValues.includes(code) ? null : code);
  return { insert: other("I"), update: other("U"), delete: deleteValues[0] };
}
