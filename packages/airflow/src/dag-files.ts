import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import { createHash } from "node:crypto";
import { DAG_S3_PREFIX, planDagFiles, validateDagFiles, type DagFile } from "./dag-files-plan";

/**
 * A file to upload whose text may be an Output (a DAG that names a job id, say). Its key and
 * logical name come from the path alone.
 */
export interface DagFileInput extends Omit<DagFile, "content"> {
  readonly content: pulumi.Input<string>;
}

/** The bucket DAG files go to: a `SecureBucket` from `@hdp/lake` fits as it is. */
export interface DagBucketRef {
  readonly bucketName: pulumi.Input<string>;
  /** The bucket's settings (encryption, policy, …): uploads wait for them. */
  readonly settings?: readonly pulumi.Resource[];
}

/** Arguments of {@link DagFiles}. */
export interface DagFilesArgs {
  /** The DAG bucket, e.g. `airflow.dagBucket`. */
  readonly bucket: DagBucketRef;
  /** The rendered files; each becomes `dags/<path>`. */
  readonly files: readonly (DagFile | DagFileInput)[];
  /** Tags for every object (S3 allows at most 10 per object). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** S3's limit of tags per object. */
const MAX_OBJECT_TAGS = 10;

/**
 * Uploads rendered DAG files to the DAG bucket: one `aws.s3.BucketObjectv2` per file under
 * `dags/<path>`, named from the path (stable when files are added, removed or reordered),
 * with a content type and a content hash for change detection. MWAA picks files up from
 * `dags/` by itself; the environment does not depend on them.
 */
export class DagFiles extends pulumi.ComponentResource {
  /** The objects, keyed by S3 key (`dags/<path>`). */
  public readonly objects: Readonly<Record<string, s3.BucketObjectv2>>;

  constructor(name: string, args: DagFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:airflow:DagFiles", name, {}, opts);
    // Keys and names come from paths alone: plan with the string contents (Outputs hashed below).
    const plain = args.files.map((f) => ({
      ...f,
      content: typeof f.content === "string" ? f.content : "",
    }));
    const problems = validateDagFiles(plain);
    const tagCount = Object.keys(args.tags ?? {}).length;
    if (tagCount > MAX_OBJECT_TAGS) {
      problems.push(`tags: ${tagCount} given; S3 allows at most ${MAX_OBJECT_TAGS} per object`);
    }
    if (problems.length > 0) {
      throw new Error(`DagFiles "${name}" has invalid args:\n  - ${problems.join("\n  - ")}`);
    }

    const objects: Record<string, s3.BucketObjectv2> = {};
    const contentOf = new Map(args.files.map((f) => [`${DAG_S3_PREFIX}${f.path}`, f.content]));
    for (const o of planDagFiles(name, plain)) {
      const content = contentOf.get(o.key) as pulumi.Input<string>;
      objects[o.key] = new s3.BucketObjectv2(
        o.logicalName,
        {
          bucket: args.bucket.bucketName,
          key: o.key,
          content,
          contentType: o.contentType,
          sourceHash:
            typeof content === "string"
              ? o.sourceHash
              : pulumi.output(content).apply((c) => createHash("sha256").update(c).digest("hex")),
          ...(args.tags !== undefined ? { tags: { ...args.tags } } : {}),
        },
        { parent: this, dependsOn: [...(args.bucket.settings ?? [])] },
      );
    }
    this.objects = objects;
    this.registerOutputs({ keys: Object.keys(objects) });
  }
}
