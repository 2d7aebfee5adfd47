import fc from "fast-check";
import { snapshot } from "../values";
import {
  conditionKeys,
  countedLength,
  grantsAction,
  isAnyone,
  principalAccount,
  statementsOf,
  wildcardMatches,
  type Statement,
} from "./documents";

test.each([
  ["*", "iam:PassRole", true],
  ["iam:*", "iam:PassRole", true],
  ["iam:Pass*", "iam:passrole", true], // IAM actions are case-insensitive
  ["iam:Get*", "iam:PassRole", false],
  ["s3:?etObject", "s3:GetObject", true],
  ["arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", true],
  ["arn:aws:s3:::b", "arn:aws:s3:::b/x", false],
  ["arn:aws:s3:::b.c", "arn:aws:s3:::bxc", false], // dots are literal
])("wildcardMatches(%p, %p) is %p", (pattern, value, expected) => {
  expect(wildcardMatches(pattern, value)).toBe(expected);
});

/** The reference: the pattern compiled to a case-insensitive regex, as IAM's matcher reads it. */
function wildcardReference(pattern: string, value: string): boolean {
  const esc = (x: string): string => x.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  const body = pattern
    .split("*")
    .map((part) => part.split("?").map(esc).join("."))
    .join(".*");
  return new RegExp(`^${body}$`, "i").test(value);
}

test("wildcardMatches answers as the compiled regex does (its literal-prefix shortcut included)", () => {
  // Case variants, wildcards, regex metacharacters, a newline, and non-ASCII characters whose
  // lower case is ASCII (the Kelvin sign, dotted capital I) or whose case folds outside ASCII,
  // and the two lower-case sigmas (the regex matches them to each other: one upper case).
  const chars = [
    "a",
    "A",
    "k",
    "K",
    "\u212a",
    "i",
    "I",
    "\u0130",
    "\u00e9",
    "\u00c9",
    "\u03c2",
    "\u03c3",
    ":",
    ".",
    "/",
    "\n",
    "*",
    "?",
  ];
  const text = fc.array(fc.constantFrom(...chars), { maxLength: 8 }).map((a) => a.join(""));
  let matched = 0;
  fc.assert(
    fc.property(text, text, (pattern, value) => {
      const expected = wildcardReference(pattern, value);
      if (expected) matched++;
      expect(wildcardMatches(pattern, value)).toBe(expected);
    }),
    { numRuns: 3000 },
  );
  // Both sides of the shortcut were exercised, not only rejections.
  expect(matched).toBeGreaterThan(50);
  expect(wildcardMatches("arn:aws:KMS:*", "arn:aws:kms:us-east-1:1:key/x")).toBe(true);
  expect(wildcardMatches("arn:aws:s3:::b/*", "arn:aws:kms:us-east-1:1:key/x")).toBe(false);
});

test.each([
  ["123456789012", "123456789012"],
  ["arn:aws:iam::123456789012:root", "123456789012"],
  ["arn:aws:iam::123456789012:role/path/x", "123456789012"],
  ["arn:aws-us-gov:sts::123456789012:assumed-role/x/y", "123456789012"],
  ["arn:aws:iam::123:root", undefined],
  ["*", undefined],
])("principalAccount(%p) is %p", (principal, account) => {
  expect(principalAccount(principal)).toBe(account);
});

/** The statements of a document, which must be one. */
function statements(doc: unknown): Statement[] {
  const s = statementsOf(snapshot(JSON.stringify(doc)));
  if (!Array.isArray(s)) throw new Error("not a policy document");
  return s;
}

describe("statementsOf", () => {
  it("normalizes single values to lists and reads principals and conditions", () => {
    const [s] = statements({
      Statement: {
        Sid: "A",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": "x" } },
      },
    });
    expect(s).toMatchObject({
      sid: "A",
      effect: "Allow",
      actions: ["sts:AssumeRole"],
      principal: { AWS: ["arn:aws:iam::123456789012:root"] },
      unknown: false,
    });
    if (s === undefined) throw new Error("no statement");
    expect(grantsAction(s, "sts:AssumeRole")).toBe(true);
    expect(conditionKeys(s)).toEqual(["sts:externalid"]);
    expect(isAnyone(s.principal)).toBe(false);
  });

  it("tells an anonymous principal", () => {
    const [a, b] = statements({ Statement: [{ Principal: "*" }, { Principal: { AWS: ["*"] } }] });
    expect([isAnyone(a?.principal), isAnyone(b?.principal)]).toEqual([true, true]);
  });

  it("is undefined for text that is not a policy document", () => {
    expect(statementsOf(snapshot("{nope"))).toBeUndefined();
  });
});

describe("countedLength", () => {
  it("does not count whitespace (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(4), (v, indent) => {
        expect(countedLength(JSON.stringify(v, null, indent))).toBe(
          countedLength(JSON.stringify(v)),
        );
      }),
    );
  });
});
