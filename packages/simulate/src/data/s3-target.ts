/**
 * `--out s3://bucket/prefix`: the same files as the local layout, as objects under the prefix,
 * streamed with the AWS SDK v3 (`@aws-sdk/lib-storage`'s multipart `Upload`: 5 MiB parts, two in
 * flight per file, at most four files uploading at once — memory is bounded by that, never by a
 * file's size). The endpoint is `endpoint`, else the SDK's standard `AWS_ENDPOINT_URL_S3` /
 * `AWS_ENDPOINT_URL`; with an endpoint, path-style addressing (what S3-compatible servers
 * serve). Region: the SDK's chain (`AWS_REGION`, the profile), else us-east-1.
 * Failures of S3 (no credentials, no bucket, access denied, endpoint unreachable) are
 * `TargetError`s with one line that says which.
 */
import { PassThrough } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import { TargetError, type Target } from "./sinks";

export interface S3Location {
  readonly bucket: string;
  /** Key prefix without a trailing slash ("" for the bucket's root). */
  readonly prefix: string;
}

/** `s3://bucket[/prefix]` → bucket and prefix; undefined when `url` is not a valid S3 URL. */
export function parseS3Url(url: string): S3Location | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (m === null) return undefined;
  const prefix = (m[2] ?? "").replace(/\/+$/, "");
  if (prefix.startsWith("/") || prefix.includes("//")) return undefined;
  return { bucket: m[1], prefix };
}

export interface S3TargetOptions {
  /** An S3-compatible endpoint (`http://127.0.0.1:9000`); default: the SDK's environment. */
  readonly endpoint?: string | undefined;
  /** Environment to read `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Files uploading at once (default 4). */
  readonly concurrency?: number;
}

/** The endpoint in effect: the option, else the SDK's standard variables. */
export function s3EndpointOf(o: S3TargetOptions): string | undefined {
  const env = o.env ?? process.env;
  const e = o.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return e === undefined || e === "" ? undefined : e;
}

const PART_SIZE = 5 * 1024 * 1024;

/** One line for an S3 failure: what went wrong and where. */
export function describeS3Error(e: unknown, where: string, endpoint: string | undefined): string {
  const err = e as {
    name?: string;
    message?: string;
    code?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
    cause?: { code?: string };
  };
  const name = err.name ?? err.Code ?? "";
  const status = err.$metadata?.httpStatusCode;
  const net = err.code ?? err.cause?.code;
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(err.message ?? ""))
    return `no AWS credentials for ${where}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  if (name === "NoSuchBucket")
    return `${where}: bucket "${where.slice(5).split("/")[0]}" does not exist`;
  if (name === "InvalidAccessKeyId" || name === "SignatureDoesNotMatch")
    return `${where}: the AWS credentials were rejected (${name})`;
  if (name === "AccessDenied" || name === "Forbidden" || status === 403)
    return `${where}: access denied (the credentials may not list or write this bucket and prefix)`;
  if (net !== undefined && /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN)$/.test(net))
    return `${where}: cannot reach ${endpoint ?? "S3"} (${net})`;
  const msg = (err.message ?? String(e)).split("\n")[0];
  return `${where}: S3 error${name !== "" && name !== "Error" ? ` ${name}` : ""}${status !== undefined ? ` (HTTP ${status})` : ""}: ${msg}`;
}

/** The SDK, loaded on first use (it is large; most hdp commands never need it). */
async function client(endpoint: string | undefined): Promise<S3Client> {
  // On Node 20 the SDK warns on stderr that *later* SDK versions will need Node 22; the version
  // pinned here supports Node 20 (the repository's floor), so the warning would only confuse
  // (the user can still turn it on by setting the variable to "false").
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const { S3Client: Client } = await import("@aws-sdk/client-s3");
  const common = endpoint !== undefined ? { endpoint, forcePathStyle: true } : {};
  const probe = new Client(common);
  let region: string;
  try {
    region = await probe.config.region();
  } catch {
    region = "us-east-1";
  }
  probe.destroy();
  return new Client({ ...common, region });
}

export function s3Target(url: string, o: S3TargetOptions = {}): Target {
  const loc = parseS3Url(url);
  if (loc === undefined)
    throw new TargetError(`${url} is not an S3 URL of the form s3://bucket/prefix`);
  const endpoint = s3EndpointOf(o);
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint))
    throw new TargetError(`the S3 endpoint must be an http(s):// URL (got "${endpoint}")`);
  const keyOf = (path: string): string => (loc.prefix === "" ? path : `${loc.prefix}/${path}`);
  const where = `s3://${loc.bucket}${loc.prefix === "" ? "" : `/${loc.prefix}`}`;
  const fail = (e: unknown, at = where): never => {
    if (e instanceof TargetError) throw e;
    throw new TargetError(describeS3Error(e, at, endpoint));
  };
  let s3: Promise<S3Client> | undefined;
  const sdk = (): Promise<S3Client> => (s3 ??= client(endpoint));
  const limit = Math.max(1, o.concurrency ?? 4);
  const inFlight = new Set<Promise<void>>();
  /** Uploads opened and not closed: aborted when the run fails. */
  const unfinished = new Set<{ upload: { abort(): Promise<void> }; body: PassThrough }>();
  let failure: unknown;
  const settle = async (): Promise<void> => {
    while (inFlight.size >= limit) await Promise.race(inFlight);
    if (failure !== undefined) fail(failure);
  };

  return {
    describe: (path) => `s3://${loc.bucket}/${keyOf(path)}`,
    async isEmpty() {
      const { ListObjectsV2Command } = await import("@aws-sdk/client-s3");
      try {
        const r = await (
          await sdk()
        ).send(
          new ListObjectsV2Command({
            Bucket: loc.bucket,
            Prefix: loc.prefix === "" ? undefined : `${loc.prefix}/`,
            MaxKeys: 1,
          }),
        );
        return (r.KeyCount ?? r.Contents?.length ?? 0) === 0;
      } catch (e) {
        return fail(e);
      }
    },
    async open(path) {
      await settle();
      const { Upload } = await import("@aws-sdk/lib-storage");
      const body = new PassThrough({ highWaterMark: 1 << 20 });
      const key = keyOf(path);
      const upload = new Upload({
        client: await sdk(),
        params: { Bucket: loc.bucket, Key: key, Body: body },
        partSize: PART_SIZE,
        queueSize: 2,
        leavePartsOnError: false,
      });
      // The upload reads the stream as it is written; a failure ends the writes too.
      const done = upload.done().then(
        () => undefined,
        (e: unknown) => {
          failure ??= e;
          body.destroy();
          throw e;
        },
      );
      const failed = done.then(() => new Promise<never>(() => undefined));
      failed.catch(() => undefined);
      const entry = { upload, body };
      unfinished.add(entry);
      return {
        async write(chunk) {
          if (failure !== undefined) fail(failure);
          if (!body.write(chunk)) {
            await Promise.race([
              new Promise<void>((r) => body.once("drain", () => r())),
              failed.catch((e: unknown) => fail(e, `s3://${loc.bucket}/${key}`)),
            ]);
          }
        },
        async close() {
          unfinished.delete(entry);
          body.end();
          const tracked: Promise<void> = done
            .catch(() => undefined)
            .finally(() => {
              inFlight.delete(tracked);
            });
          inFlight.add(tracked);
          await settle();
        },
      };
    },
    async abort() {
      // Not completed, an upload leaves no object; aborting it drops the parts sent so far.
      for (const { upload, body } of unfinished) {
        body.destroy();
        await upload.abort().catch(() => undefined);
      }
      unfinished.clear();
      await Promise.all(inFlight);
      if (s3 !== undefined) (await s3).destroy();
    },
    async finish() {
      await Promise.all(inFlight);
      if (failure !== undefined) fail(failure);
      if (s3 !== undefined) (await s3).destroy();
    },
  };
}
