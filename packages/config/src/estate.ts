/**
 * The typed, immutable model of the whole config tree that every other package consumes.
 * Entries carry the {@link Origin} of the YAML they came from, so plans, policies and queries
 * can point engineers at the file and line to change.
 */
import type { Origin } from "./errors";
import type {
  Classification,
  ColumnConfig,
  Domain,
  EnvironmentConfig,
  Hospital,
  Layer,
  LoadConfig,
  PlatformConfig,
  Retention,
  Schedule,
  SourceConfig,
  TableConfig,
} from "./schema";

export type { Origin };

export interface HospitalEntry extends Hospital {
  readonly origin: Origin;
}

export interface DomainEntry extends Domain {
  readonly origin: Origin;
}

export interface Platform {
  readonly organization: PlatformConfig["organization"];
  readonly aws: PlatformConfig["aws"];
  readonly tags: PlatformConfig["tags"];
  readonly hospitals: readonly HospitalEntry[];
  readonly domains: readonly DomainEntry[];
  readonly origin: Origin;
}

/** One Pulumi stack: an environment and one of its shards. */
export interface StackSpec {
  /** Stack name: `<env>` when unsharded, else `<env>-core` or `<env>-<shard>`. */
  readonly name: string;
  readonly environment: string;
  /** "core" holds shared objects (keys, buckets, MWAA, catalogs); undefined when unsharded. */
  readonly shard: string | undefined;
  /** Source ids planned in this stack. */
  readonly sources: readonly string[];
}

export interface Environment extends Omit<EnvironmentConfig, "$schema"> {
  readonly origin: Origin;
  readonly stacks: readonly StackSpec[];
}

export interface Source extends Omit<SourceConfig, "$schema" | "pipelines" | "hospitals"> {
  /** Hospital ids, with "all" resolved to every hospital. */
  readonly hospitals: readonly string[];
  readonly origin: Origin;
}

export interface Column extends ColumnConfig {
  readonly origin: Origin;
}

export interface Table extends Omit<TableConfig, "$schema" | "columns"> {
  /** Id of the source the table belongs to (the source directory it sits in). */
  readonly source: string;
  /** `<source>/<table>`, unique across the estate. */
  readonly key: string;
  readonly columns: readonly Column[];
  readonly origin: Origin;
}

/** A group of tables that runs as one Airflow DAG. */
export interface Pipeline {
  readonly source: string;
  readonly id: string;
  /** `<source>/<pipeline>`, unique across the estate. */
  readonly key: string;
  /** Airflow DAG id. */
  readonly dagId: string;
  readonly description: string | undefined;
  /** Table ids of the source, sorted. */
  readonly tables: readonly string[];
  readonly schedule: Schedule;
  /** Pipeline keys that must finish first (declared, plus those implied by table dependencies). */
  readonly dependsOn: readonly string[];
  /**
   * `declared` in source.yaml; the source's implied `default` pipeline (tables in no declared
   * pipeline); or a `table` with a schedule of its own.
   */
  readonly kind: "declared" | "default" | "table";
  /** Whether `schedule` was set on the declared pipeline (else it follows the source). */
  readonly ownSchedule: boolean;
  /** Airflow retries of each task (pipeline, else source, else 2). */
  readonly retries: number;
  /** Longest one task may run, in minutes (pipeline, else source, else 120). */
  readonly timeoutMinutes: number;
  readonly origin: Origin;
}

/** A source as it is in one environment, overlays applied. */
export interface EffectiveSource extends Source {
  readonly env: string;
  readonly enabled: boolean;
  readonly secretName: string | undefined;
}

/** A table as it is in one environment, overlays applied. */
export interface EffectiveTable extends Table {
  readonly env: string;
  readonly enabled: boolean;
  readonly retention: Retention;
}

/** A pipeline as it is in one environment: enabled when any of its tables is. */
export interface EffectivePipeline extends Pipeline {
  readonly env: string;
  readonly enabled: boolean;
}

/** The whole tree, validated. Arrays are sorted by id (tables by key) for deterministic output. */
export interface Estate {
  /** Absolute path of the configs directory. */
  readonly root: string;
  readonly platform: Platform;
  readonly environments: readonly Environment[];
  readonly sources: readonly Source[];
  readonly tables: readonly Table[];
  readonly pipelines: readonly Pipeline[];
}

/** What one environment sees. */
export interface EffectiveEstate {
  readonly environment: Environment;
  readonly sources: readonly EffectiveSource[];
  readonly tables: readonly EffectiveTable[];
  readonly pipelines: readonly EffectivePipeline[];
}

export type { Classification, Layer, LoadConfig, Retention, Schedule };
