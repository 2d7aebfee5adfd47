/**
 * A ledger object in S3 (the backend bucket of `pulumi login s3://…`, or `--ledger s3://…`).
 * S3 cannot append, so an append reads the object and writes it back with a conditional write
 * (`If-Match` the ETag read, `If-None-Match: *` for a new ledger) and retries when another
 * writer got there first: no entry is ever lost to a concurrent deploy.
 */
import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { LedgerStore } from "./ledger-store";
import { parseS3Url } from "./ledger-store";

const ATTEMPTS = 8;

/** The ledger at `s3://bucket/key`, with the default AWS credential chain (OIDC in CI). */
export function s3Ledger(url: string, client?: S3Client): LedgerStore {
  const { bucket, key, region } = parseS3Url(url);
  const s3 = client ?? new S3Client(region !== undefined ? { region } : {});
  const get = async (): Promise<{ text: string; etag: string | undefined }> => {
    try {
      const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { text: (await r.Body?.transformToString("utf-8")) ?? "", etag: r.ETag };
    } catch (e) {
      if (e instanceof NoSuchKey) return { text: "", etag: undefined };
      throw e;
    }
  };
  return {
    location: url,
    read: async () => (await get()).text,
    append: async (text) => {
      for (let attempt = 1; ; attempt++) {
        const current = await get();
        try {
          await s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: current.text + text,
              ContentType: "application/x-ndjson",
              ...(current.etag !== undefined ? { IfMatch: current.etag } : { IfNoneMatch: "*" }),
            }),
          );
          return;
        } catch (e) {
          const conflict =
            e instanceof S3ServiceException &&
            (e.$metadata.httpStatusCode === 412 || e.$metadata.httpStatusCode === 409);
          if (!conflict || attempt >= ATTEMPTS) throw e;
        }
      }
    },
  };
}
