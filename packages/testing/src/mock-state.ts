/**
 * Realistic outputs for resources and provider functions under Pulumi's mock runtime. They live
 * in @hdp/plan's recorder (the offline plan uses the same mocks); re-exported for tests.
 */
export {
  MOCK_ACCOUNT_ID,
  MOCK_REGION,
  mockCallResult,
  mockResourceState,
  type MockContext,
} from "@hdp/recorder";
