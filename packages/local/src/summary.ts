/** The run's summary: what `hdp_pipelines.local_run` writes, plus the simulator's numbers. */
import type { DataResult } from "@hdp/simulate";

export type LayerName = "bronze" | "silver" | "gold" | "quarantine";

/** One task (table x layer x day) as the Python side ran it. */
export interface TaskSummary {
  readonly date: string;
  readonly dag: string;
  readonly table: string;
  readonly layer: "bronze" | "silver" | "gold";
  readonly status: "ok" | "failed" | "skipped";
  readonly seconds: number;
  readonly rows?: number;
  readonly files?: number;
  readonly rowsIn?: number;
  readonly accepted?: number;
  readonly quarantined?: number;
  readonly deletedKeys?: number;
  readonly error?: string;
}

/** One table after the run, its counts read back from the Delta tables. */
export interface TableSummary {
  readonly key: string;
  readonly table: string;
  readonly dag: string;
  readonly load: string;
  readonly format: string;
  readonly layers: Partial<
    Record<LayerName, { table: string; rows: number | null; location: string | null }>
  >;
  /** Quarantined rows per reason (the offending value left out), most frequent first. */
  readonly quarantineReasons: Readonly<Record<string, number>>;
}

/** `summary.json` of the Python side. */
export interface SparkSummary {
  readonly planVersion: number;
  readonly source: string;
  readonly environment: string;
  readonly dates: readonly string[];
  readonly ok: boolean;
  readonly tasks: readonly TaskSummary[];
  readonly tables: readonly TableSummary[];
  readonly timings: {
    readonly sparkStartSeconds: number;
    readonly tasksSeconds: number;
    readonly layerSeconds: Readonly<Record<"bronze" | "silver" | "gold", number>>;
    readonly totalSeconds: number;
  };
}

/** What `hdp local run --format json` prints. */
export interface LocalRunSummary {
  readonly source: string;
  readonly environment: string;
  readonly ok: boolean;
  readonly dates: readonly string[];
  readonly paths: {
    readonly out: string;
    readonly landing: string;
    readonly specs: string;
    readonly warehouse: string;
    readonly plan: string;
    readonly log: string;
  };
  readonly simulated: {
    readonly rows: number;
    readonly tables: readonly {
      readonly table: string;
      readonly format: string;
      readonly rows: number;
      readonly files: number;
      readonly ops: DataResult["tables"][number]["ops"];
      readonly badOnPurpose: number;
    }[];
  };
  readonly tables: SparkSummary["tables"];
  readonly tasks: SparkSummary["tasks"];
  readonly timings: SparkSummary["timings"] & {
    readonly simulateSeconds: number;
    readonly wallSeconds: number;
  };
}
