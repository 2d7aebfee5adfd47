import fc from "fast-check";
import type { NormStatement } from "./normalize";
import {
  MANAGED_POLICY_MAX_LENGTH,
  splitPolicyDocuments,
  type PolicyDocumentPart,
} from "./policy-document";
import type { PolicyConditions, PolicyStatement } from "./policy-types";
import { documentJson } from "./render";

/** JSON of every part whose values are all known strings (as IAM would receive it). */
function rendered(parts: readonly PolicyDocumentPart[]): string[] {
  return parts.map((p) => documentJson(p.statements as NormStatement<string>[]));
}

interface JsonStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

const asArray = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

/** Every (effect, condition, action, resource) of the rendered documents, repeats kept. */
function pairsOf(documents: readonly string[]): string[] {
  return documents.flatMap((d) =>
    (JSON.parse(d) as { Statement: JsonStatement[] }).Statement.flatMap((s) =>
      asArray(s.Action).flatMap((a) =>
        asArray(s.Resource).map((r) => JSON.stringify([s.Effect, s.Condition ?? null, a, r])),
      ),
    ),
  );
}

/** The same, from input statements, each distinct pair once. */
function inputPairs(statements: readonly PolicyStatement[]): string[] {
  const out = new Set<string>();
  for (const s of statements) {
    const condition =
      s.Condition === undefined
        ? null
        : Object.fromEntries(
            Object.entries(s.Condition)
              .sort()
              .map(([op, byKey]) => [
                op,
                Object.fromEntries(
                  Object.entries(byKey)
                    .sort()
                    .map(([k, v]) => {
                      const values = [...new Set(Array.isArray(v) ? v : [v])].sort();
                      return [k, values.length === 1 ? values[0] : values];
                    }),
                ),
              ]),
          );
    for (const a of s.Action) {
      for (const r of s.Resource) out.add(JSON.stringify([s.Effect, condition, a, r]));
    }
  }
  return [...out];
}

const ACTIONS = [
  "s3:GetObject",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:ListBucket",
  "kms:Decrypt",
  "kms:GenerateDataKey*",
  "sqs:SendMessage",
  "logs:PutLogEvents",
];
const CONDITIONS: (PolicyConditions | undefined)[] = [
  undefined,
  { StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } },
  { StringLike: { "s3:prefix": ["epic/encounters/*", "epic/labs/*"] } },
];

const resourceArb = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{3,12}$/), fc.stringMatching(/^[a-z0-9/_-]{0,90}$/))
  .map(([bucket, key]) => `arn:aws:s3:::${bucket}/${key}*`);

const statementArb: fc.Arbitrary<PolicyStatement> = fc
  .record({
    Effect: fc.constantFrom<"Allow" | "Deny">("Allow", "Deny"),
    Action: fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 5 }),
    Resource: fc.array(resourceArb, { minLength: 1, maxLength: 60, size: "medium" }),
    Condition: fc.constantFrom(...CONDITIONS),
  })
  .map(({ Condition, ...rest }) => (Condition === undefined ? rest : { ...rest, Condition }));

/**
 * Shrinking counterexamples of this size takes minutes: report the first failure as found.
 */
const PROPERTY_RUNS = { numRuns: 100, endOnFailure: true };

const statementsArb = fc.array(statementArb, { minLength: 1, maxLength: 12, size: "medium" });
// Small limits force many splits with little data; about 70% of runs need several documents.
const limitArb = fc.oneof(
  fc.integer({ min: 600, max: 2500 }),
  fc.constant(MANAGED_POLICY_MAX_LENGTH),
);

/** Shuffles statements and every list inside them with a seeded permutation. */
function shuffled(statements: readonly PolicyStatement[], seed: number): PolicyStatement[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state;
  };
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return shuffle(statements).map((s) => ({
    ...s,
    Action: shuffle(s.Action),
    Resource: shuffle(s.Resource),
  }));
}

describe("splitPolicyDocuments properties", () => {
  const options = (limit: number) => ({ maxDocumentLength: limit, maxManagedPolicies: 20 });
  const fits = (statements: PolicyStatement[], limit: number): PolicyDocumentPart[] | undefined => {
    try {
      return splitPolicyDocuments(statements, options(limit));
    } catch (e) {
      // Too many documents for the quota is a legitimate outcome for big inputs.
      if (String(e).includes("managed policies of at most")) return undefined;
      throw e;
    }
  };

  it("keeps every document under the limit, counted without whitespace", () => {
    fc.assert(
      fc.property(statementsArb, limitArb, (statements, limit) => {
        const parts = fits(statements, limit);
        if (parts === undefined) return;
        for (const [i, json] of rendered(parts).entries()) {
          expect(json.length).toBeLessThanOrEqual(limit);
          expect(json).not.toMatch(/\s/);
          expect(json.length).toBe(parts[i].maxLength);
        }
      }),
      PROPERTY_RUNS,
    );
  });

  it("loses and repeats no action×resource pair", () => {
    fc.assert(
      fc.property(statementsArb, limitArb, (statements, limit) => {
        const parts = fits(statements, limit);
        if (parts === undefined) return;
        const out = pairsOf(rendered(parts));
        expect(out.length).toBe(new Set(out).size);
        expect([...out].sort()).toEqual(inputPairs(statements).sort());
      }),
      PROPERTY_RUNS,
    );
  });

  it("is deterministic and independent of the order of its input", () => {
    fc.assert(
      fc.property(statementsArb, limitArb, fc.integer(), (statements, limit, seed) => {
        const parts = fits(statements, limit);
        if (parts === undefined) return;
        expect(rendered(splitPolicyDocuments(statements, options(limit)))).toEqual(rendered(parts));
        expect(rendered(splitPolicyDocuments(shuffled(statements, seed), options(limit)))).toEqual(
          rendered(parts),
        );
      }),
      PROPERTY_RUNS,
    );
  });

  it("uses no more documents than the total size requires, plus packing slack", () => {
    fc.assert(
      fc.property(statementsArb, (statements) => {
        const parts = fits(statements, MANAGED_POLICY_MAX_LENGTH);
        if (parts === undefined) return;
        const total = parts.reduce((a, p) => a + p.maxLength, 0);
        // First fit decreasing never leaves two documents each at most half full.
        expect(
          parts.filter((p) => p.maxLength <= MANAGED_POLICY_MAX_LENGTH / 2).length,
        ).toBeLessThanOrEqual(1);
        expect(parts.length).toBeLessThanOrEqual(
          Math.ceil((2 * total) / MANAGED_POLICY_MAX_LENGTH) + 1,
        );
      }),
      PROPERTY_RUNS,
    );
  });
});

describe("splitPolicyDocuments", () => {
  const get = (r: string): PolicyStatement => ({
    Effect: "Allow",
    Action: ["s3:GetObject"],
    Resource: [r],
  });

  it("merges statements with the same effect, actions and conditions", () => {
    const parts = splitPolicyDocuments([
      get("arn:aws:s3:::b/x/*"),
      get("arn:aws:s3:::a/y/*"),
      get("arn:aws:s3:::b/x/*"),
      {
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject"],
        Resource: ["arn:aws:s3:::c/*"],
      },
    ]);
    expect(JSON.parse(rendered(parts)[0])).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::c/*" },
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: ["arn:aws:s3:::a/y/*", "arn:aws:s3:::b/x/*"],
        },
      ],
    });
  });

  it("keeps statements with different conditions or sids apart", () => {
    const parts = splitPolicyDocuments([
      get("arn:aws:s3:::b/*"),
      { ...get("arn:aws:s3:::b/*"), Condition: { Bool: { "aws:SecureTransport": "true" } } },
      { ...get("arn:aws:s3:::b/*"), Sid: "Named" },
    ]);
    expect((JSON.parse(rendered(parts)[0]) as { Statement: unknown[] }).Statement).toHaveLength(3);
  });

  it("refuses one sid on two statements that cannot merge", () => {
    expect(() =>
      splitPolicyDocuments(
        [
          { ...get("arn:aws:s3:::b/*"), Sid: "Read" },
          {
            Sid: "Read",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: ["arn:aws:s3:::b"],
          },
        ],
        { roleName: "r" },
      ),
    ).toThrow('role "r":\n  - managed policy 1 would repeat the sids Read');
  });

  it("returns no documents for no statements", () => {
    expect(splitPolicyDocuments([])).toEqual([]);
  });

  it("cuts one long statement by resources and numbers its sid", () => {
    const resources = Array.from(
      { length: 200 },
      (_, i) => `arn:aws:s3:::hdp-lake/source/table-${i}/*`,
    );
    const parts = splitPolicyDocuments([
      { Sid: "Ingest", Effect: "Allow", Action: ["s3:PutObject"], Resource: resources },
    ]);
    expect(parts.length).toBeGreaterThan(1);
    const sids = rendered(parts).flatMap((d) =>
      (JSON.parse(d) as { Statement: JsonStatement[] }).Statement.map((s) => s.Sid),
    );
    expect(sids).toEqual(parts.map((_, i) => `Ingest${i + 1}`));
    for (const json of rendered(parts)) expect(json.length).toBeLessThanOrEqual(6144);
  });

  it("cuts one resource with very many actions by actions", () => {
    const actions = Array.from({ length: 400 }, (_, i) => `s3:Action${i}WithALongName`);
    const parts = splitPolicyDocuments([
      { Effect: "Allow", Action: actions, Resource: ["arn:aws:s3:::hdp-lake/*"] },
    ]);
    expect(parts.length).toBeGreaterThan(1);
    expect(pairsOf(rendered(parts))).toHaveLength(400);
  });

  it("fails naming the role and the sizes when the quota is too small", () => {
    const resources = Array.from(
      { length: 1000 },
      (_, i) => `arn:aws:s3:::hdp-prod-landing/epic-clarity/table-number-${i}/*`,
    );
    const statements: PolicyStatement[] = [
      { Effect: "Allow", Action: ["s3:PutObject"], Resource: resources },
    ];
    const needed = splitPolicyDocuments(statements, { maxManagedPolicies: 20 }).length;
    expect(needed).toBeGreaterThan(10);
    expect(() => splitPolicyDocuments(statements, { roleName: "hdp-prod-ingest-epic" })).toThrow(
      new RegExp(
        `role "hdp-prod-ingest-epic":\\n {2}- needs ${needed} managed policies of at most 6144 characters` +
          ` \\(worst-case sizes: (\\d+, ){${needed - 1}}\\d+; \\d+ in all\\) but at most 10 may be attached`,
      ),
    );
  });

  it.each([0, 21, 2.5])("rejects maxManagedPolicies %p", (max) => {
    expect(() =>
      splitPolicyDocuments([get("arn:aws:s3:::b/*")], { roleName: "r", maxManagedPolicies: max }),
    ).toThrow(
      `maxManagedPolicies must be an integer from 1 to 20 (the AWS quota's maximum), got ${max}`,
    );
  });

  it("fails clearly when one action on one resource cannot fit", () => {
    const statement: PolicyStatement = {
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: ["arn:aws:s3:::b/*"],
      Condition: {
        StringLike: { "s3:prefix": Array.from({ length: 1000 }, (_, i) => `p${i}/*`) },
      },
    };
    expect(() => splitPolicyDocuments([statement], { roleName: "r" })).toThrow(
      /action "s3:GetObject" on resource "arn:aws:s3:::b\/\*" alone makes a statement of \d+ characters/,
    );
  });

  it.each<[string, PolicyStatement, string]>([
    [
      "star on star",
      { Effect: "Allow", Action: ["*"], Resource: ["*"] },
      '"*" action on "*" resource is never allowed',
    ],
    [
      "star on star in Deny",
      { Effect: "Deny", Action: ["s3:GetObject", "*"], Resource: ["arn:aws:s3:::b", "*"] },
      '"*" action on "*" resource is never allowed',
    ],
    [
      "principals",
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"], Principal: "*" },
      "identity policies (managed policies) must not name principals",
    ],
    [
      "a bucket name instead of an ARN",
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["hdp-lake"] },
      'resource "hdp-lake" is not an ARN',
    ],
    [
      "a malformed action",
      { Effect: "Allow", Action: ["s3GetObject"], Resource: ["*"] },
      'action "s3GetObject" is not of the form service:Action',
    ],
    ["no actions", { Effect: "Allow", Action: [], Resource: ["*"] }, "statement 1: no actions"],
    [
      "no resources",
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: [] },
      "statement 1: no resources",
    ],
    [
      "a bad sid",
      { Sid: "has space", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] },
      'Sid "has space" may contain only letters and digits',
    ],
    [
      "an unknown condition operator",
      {
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: ["*"],
        Condition: { StringEqual: { "aws:SourceAccount": "123456789012" } },
      },
      'unknown condition operator "StringEqual"',
    ],
  ])("rejects %s", (_name, statement, message) => {
    expect(() => splitPolicyDocuments([statement], { roleName: "r" })).toThrow(message);
  });

  it("accepts qualified condition operators", () => {
    const statement: PolicyStatement = {
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: ["*"],
      Condition: { "ForAnyValue:StringLikeIfExists": { "aws:TagKeys": ["a*"] } },
    };
    expect(splitPolicyDocuments([statement])).toHaveLength(1);
  });

  it("lists every problem at once", () => {
    expect(() =>
      splitPolicyDocuments(
        [
          { Effect: "Allow", Action: ["*"], Resource: ["*"] },
          { Effect: "Allow", Action: ["bad"], Resource: ["bucket"] },
        ],
        { roleName: "r" },
      ),
    ).toThrow(
      [
        '@hdp/iam: role "r":',
        '  - statement 1: "*" action on "*" resource is never allowed',
        '  - statement 2: action "bad" is not of the form service:Action',
        '  - statement 2: resource "bucket" is not an ARN (arn:partition:service:region:account:…) nor "*"',
      ].join("\n"),
    );
  });
});
