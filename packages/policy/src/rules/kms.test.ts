import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import { contextFor, kmsKey, retag } from "../__fixtures__/resources";
import { kmsPolicies } from "./kms";

const cases: RuleCase[] = [
  { rule: "kms-key-rotation", title: "rotation on", resources: [kmsKey()] },
  {
    rule: "kms-key-rotation",
    title: "asymmetric signing keys cannot rotate",
    resources: [
      kmsKey({
        keyUsage: "SIGN_VERIFY",
        customerMasterKeySpec: "RSA_2048",
        enableKeyRotation: false,
      }),
    ],
  },
  {
    rule: "kms-key-rotation",
    title: "rotation off",
    resources: [kmsKey({ enableKeyRotation: false })],
    violation: { name: "lake-key", message: /enableKeyRotation is not true/ },
  },
  {
    rule: "kms-key-rotation",
    title: "rotation unset (the provider's default is off)",
    resources: [kmsKey({ enableKeyRotation: undefined })],
    violation: { name: "lake-key", message: /enableKeyRotation is not true/ },
  },
  { rule: "kms-key-deletion-window", title: "30 days in prod", resources: [kmsKey()] },
  {
    rule: "kms-key-deletion-window",
    title: "unset means 30",
    resources: [kmsKey({ deletionWindowInDays: undefined })],
  },
  {
    rule: "kms-key-deletion-window",
    title: "7 days in dev",
    resources: retag([kmsKey({ deletionWindowInDays: 7 })], "dev"),
    context: contextFor("dev"),
  },
  {
    rule: "kms-key-deletion-window",
    title: "7 days in prod",
    resources: [kmsKey({ deletionWindowInDays: 7 })],
    violation: {
      name: "lake-key",
      message: /deletionWindowInDays is 7 in prod; production keys keep 30/,
    },
  },
];

describe("KMS rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(kmsPolicies, cases)).toEqual([]);
  });
});
