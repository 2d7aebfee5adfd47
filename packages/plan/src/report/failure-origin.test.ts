import { loadEstateOrThrow } from "@hdp/config";
import { BASE_TREE } from "../__fixtures__/trees";
import { failureOriginLine, failureOrigins } from "./failure-origin";

describe("failureOrigins", () => {
  const estate = loadEstateOrThrow(BASE_TREE);
  const line = (messages: string[], env = "prod") =>
    failureOriginLine(failureOrigins(messages, estate, env));

  test.each([
    [
      'ClusterPolicy "clinical": invalid arguments:\n  - runtime: "auto:latest" is neither …',
      "config entry behind it: platform.yaml:19 (domain clinical)",
    ],
    [
      'IngestJob "payroll--ingest": invalid arguments',
      "config entry behind it: sources/payroll/source.yaml:1 (pipeline payroll/ingest)",
    ],
    [
      '@hdp/iam: SourceIngestRole "lab-ingest-role": policy too large',
      "config entry behind it: sources/lab/source.yaml:1 (source lab)",
    ],
    [
      'LakeCatalog "catalog": invalid arguments: adminGroup: "account users" is everyone',
      "config entry behind it: environments/prod.yaml:1 (environment prod)",
    ],
  ])("%s", (message, expected) => {
    expect(line([message])).toBe(expected);
  });
});
