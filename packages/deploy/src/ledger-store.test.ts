import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import {
  NoSuchKey,
  PutObjectCommand,
  S3ServiceException,
  type GetObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { backendUrl, fileLedger, ledgerLocation } from "./ledger-store";
import { s3Ledger } from "./s3-ledger";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-ledger-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("ledgerLocation", () => {
  it("defaults to a file in a file:// backend", () => {
    expect(
      ledgerLocation(undefined, { PULUMI_BACKEND_URL: `file://${dir}/.pulumi` }, "/x"),
    ).toEqual({
      kind: "file",
      path: join(dir, ".pulumi", ".hdp", "deploy-ledger.jsonl"),
    });
    expect(ledgerLocation(undefined, { PULUMI_BACKEND_URL: "file://~" }, "/x")).toEqual({
      kind: "file",
      path: join(homedir(), ".hdp", "deploy-ledger.jsonl"),
    });
  });

  it("defaults to an object beside the state in an s3:// backend, keeping the query", () => {
    expect(
      ledgerLocation(
        undefined,
        { PULUMI_BACKEND_URL: "s3://state-bucket/pulumi?region=us-east-2" },
        "/x",
      ),
    ).toEqual({
      kind: "s3",
      url: "s3://state-bucket/pulumi/.hdp/deploy-ledger.jsonl?region=us-east-2",
    });
  });

  it("reads the backend pulumi login chose when PULUMI_BACKEND_URL is unset", () => {
    writeFileSync(join(dir, "credentials.json"), JSON.stringify({ current: "file:///srv/state" }));
    expect(backendUrl({ PULUMI_HOME: dir })).toBe("file:///srv/state");
    expect(backendUrl({ PULUMI_HOME: join(dir, "none") })).toBeUndefined();
  });

  it("takes --ledger as given: a relative path, file:// or s3://", () => {
    expect(ledgerLocation("led.jsonl", {}, "/repo")).toEqual({
      kind: "file",
      path: "/repo/led.jsonl",
    });
    expect(ledgerLocation("file:///l/x.jsonl", {}, "/repo")).toEqual({
      kind: "file",
      path: "/l/x.jsonl",
    });
    expect(ledgerLocation("s3://b/k.jsonl", {}, "/repo")).toEqual({
      kind: "s3",
      url: "s3://b/k.jsonl",
    });
  });

  it("asks for --ledger where no file can be kept, saying how", () => {
    expect(() =>
      ledgerLocation(undefined, { PULUMI_BACKEND_URL: "https://api.pulumi.com" }, "/x"),
    ).toThrow("the backend https://api.pulumi.com keeps no files: pass --ledger");
    expect(() => ledgerLocation(undefined, { PULUMI_HOME: join(dir, "none") }, "/x")).toThrow(
      "no Pulumi backend chosen: run `pulumi login file://$PWD/.pulumi`",
    );
    expect(() => ledgerLocation("gs://b/k", {}, "/x")).toThrow(
      "only a file path, file://… or s3://",
    );
  });
});

describe("fileLedger", () => {
  it("reads nothing before the first append, then everything appended", async () => {
    const l = fileLedger(join(dir, "deep", "l.jsonl"));
    await expect(l.read()).resolves.toBe("");
    await l.append("a\n");
    await l.append("b\n");
    expect(readFileSync(join(dir, "deep", "l.jsonl"), "utf8")).toBe("a\nb\n");
  });
});

/** An S3 stand-in keeping one object with an ETag, honouring If-Match / If-None-Match. */
function fakeS3(conflictsFirst = 0) {
  let body: string | undefined;
  let etag = 0;
  let conflicts = conflictsFirst;
  const puts: Record<string, unknown>[] = [];
  const fail = (code: number, name: string) =>
    new S3ServiceException({
      name,
      $fault: "client",
      $metadata: { httpStatusCode: code },
      message: name,
    });
  const client = {
    send: (cmd: GetObjectCommand | PutObjectCommand) => {
      const input = cmd.input as unknown as Record<string, unknown>;
      if (cmd instanceof PutObjectCommand) {
        puts.push(input);
        if (conflicts > 0) {
          conflicts--;
          body = `${body ?? ""}other\n`;
          etag++;
          return Promise.reject(fail(412, "PreconditionFailed"));
        }
        const ok = body === undefined ? input.IfNoneMatch === "*" : input.IfMatch === `"${etag}"`;
        if (!ok) return Promise.reject(fail(412, "PreconditionFailed"));
        body = input.Body as string;
        etag++;
        return Promise.resolve({});
      }
      if (body === undefined) {
        return Promise.reject(new NoSuchKey({ message: "none", $metadata: {} }));
      }
      return Promise.resolve({
        ETag: `"${etag}"`,
        Body: { transformToString: () => Promise.resolve(body) },
      });
    },
  };
  return { client: client as unknown as S3Client, puts, body: () => body };
}

describe("s3Ledger", () => {
  it("creates the object with If-None-Match, then appends with If-Match of what it read", async () => {
    const s3 = fakeS3();
    const l = s3Ledger("s3://state/.hdp/deploy-ledger.jsonl", s3.client);
    await expect(l.read()).resolves.toBe("");
    await l.append("a\n");
    await l.append("b\n");
    expect(s3.body()).toBe("a\nb\n");
    expect(s3.puts.map((p) => [p.Bucket, p.Key, p.IfNoneMatch, p.IfMatch])).toEqual([
      ["state", ".hdp/deploy-ledger.jsonl", "*", undefined],
      ["state", ".hdp/deploy-ledger.jsonl", undefined, '"1"'],
    ]);
  });

  it("retries when another writer appended first, keeping both lines", async () => {
    const s3 = fakeS3(2);
    const l = s3Ledger("s3://state/l.jsonl", s3.client);
    await l.append("mine\n");
    expect(s3.body()).toBe("other\nother\nmine\n");
  });
});
