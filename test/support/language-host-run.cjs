// Runs the Pulumi program in the current directory the way the Node.js language host does
// (`pulumi preview`: node <nodeargs> <@pulumi/pulumi>/cmd/run … .), but against Pulumi's mock
// monitor instead of an engine: the SDK's own `cmd/run` code registers its bundled ts-node with
// the project's tsconfig.json, resolves the entry point from package.json and runs it inside the
// root Stack resource. Prints {resources} as JSON on stdout when the process exits.
//
// usage: node <nodeargs> language-host-run.cjs <project> <stack> [organization]
"use strict";
const { createHash } = require("node:crypto");
const { writeSync } = require("node:fs");
const { dirname, join } = require("node:path");

const [project, stack, organization = "organization"] = process.argv.slice(2);
const sdk = dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd()] }));
const pulumi = require(sdk);
const ACCOUNT = "123456789012";
const REGION = "us-east-2";
const resources = [];

const hex = (seed) => createHash("sha256").update(seed).digest("hex").slice(0, 12);
/** Outputs shaped like the providers' (ids, ARNs), so the program's applies see real shapes. */
function state(type, name, inputs) {
  const id = typeof inputs.name === "string" ? inputs.name : `${name}-${hex(type + name)}`;
  const service = type.split(":")[1]?.split("/")[0] ?? "x";
  const extra = {};
  if (type === "aws:s3/bucket:Bucket") {
    const bucket = typeof inputs.bucket === "string" ? inputs.bucket : id;
    Object.assign(extra, { bucket, arn: `arn:aws:s3:::${bucket}` });
  } else if (type === "aws:iam/role:Role") {
    extra.arn = `arn:aws:iam::${ACCOUNT}:role/${id}`;
  } else if (type === "aws:iam/policy:Policy") {
    extra.arn = `arn:aws:iam::${ACCOUNT}:policy/${id}`;
  } else if (type === "aws:kms/key:Key") {
    Object.assign(extra, { keyId: id, arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${hex(id)}` });
  } else if (type === "databricks:index/storageCredential:StorageCredential") {
    Object.assign(extra, {
      storageCredentialId: hex(`${id}:credential`),
      awsIamRole: { ...inputs.awsIamRole, externalId: hex(`${id}:external-id`) },
    });
  } else if (type.startsWith("aws:")) {
    extra.arn = `arn:aws:${service}:${REGION}:${ACCOUNT}:${id}`;
  }
  return { id, state: { ...inputs, ...extra } };
}

pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      resources.push({ type: args.type, name: args.name });
      return state(args.type, args.name, args.inputs);
    },
    call: (args) =>
      args.token === "aws:index/getCallerIdentity:getCallerIdentity"
        ? { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/mock`, userId: "mock" }
        : args.token === "aws:index/getRegion:getRegion"
          ? { name: REGION, region: REGION, id: REGION }
          : args.inputs,
  },
  project,
  stack,
  true,
  organization,
);

// Whatever ends the run (the program finishing, or the runner exiting on an error), report what
// was registered; the runner's own exit code and stderr tell the test how it went.
process.on("exit", () => writeSync(1, JSON.stringify({ resources })));
// The arguments the language host passes (sdk/nodejs/cmd/pulumi-language-nodejs, Run): the
// monitor is the mock one set above, so its address is never dialled.
process.argv = [
  process.argv[0],
  join(sdk, "cmd", "run"),
  "--monitor=127.0.0.1:1",
  `--organization=${organization}`,
  `--project=${project}`,
  `--stack=${stack}`,
  `--root-directory=${process.cwd()}`,
  `--pwd=${process.cwd()}`,
  "--dry-run",
  ".",
];
require(join(sdk, "cmd", "run"));
