/**
 * Health-care identifier shapes. Everything is synthetic by construction: SSNs from the 9xx
 * area (never issued as SSNs), phone numbers in 555-0100..0199 (reserved for fiction), e-mail
 * at example.org, ZIP3s of areas above 20,000 people, birth dates that keep every age under 90.
 */
import type { Random } from "../random";

/** Luhn check digit of an NPI's first nine digits (with the 80840 card-issuer prefix). */
export function npiCheckDigit(nine: string): number {
  // The prefix 80840's digits, doubled from the right as the 14 digits place them, sum to 24.
  let sum = 24;
  // Double every second digit from the right of the 14 digits (the check digit would be 15th).
  for (let i = 8, double = true; i >= 0; i--, double = !double) {
    let d = nine.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when a 10-digit NPI's check digit is right. */
export function isValidNpi(npi: string): boolean {
  return /^[12]\d{9}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
}

/** A valid-shaped NPI for provider `k`. */
export function npiFor(k: number): string {
  const nine = `1${String(((k * 7919) % 99_999_999) + 1).padStart(8, "0")}`;
  return `${nine}${npiCheckDigit(nine)}`;
}

/** Medical record number of patient `k` (the SIM prefix marks it synthetic). */
export const mrnFor = (k: number): string => `SIM${String(k).padStart(8, "0")}`;

/** A never-issued SSN shape: area 900-999 is not assigned as an SSN. */
export function fakeSsn(rng: Random): string {
  return `9${rng.int(0, 9)}${rng.int(0, 9)}-${String(rng.int(1, 99)).padStart(2, "0")}-${String(rng.int(1, 9999)).padStart(4, "0")}`;
}

const AREA_CODES = ["312", "414", "515", "612", "316", "402", "608", "913", "605", "701"];
/** A phone number in the 555-0100..0199 range reserved for fictional use. */
export function fakePhone(rng: Random): string {
  return `(${rng.pick(AREA_CODES)}) 555-01${String(rng.int(0, 99)).padStart(2, "0")}`;
}

/**
 * ZIP3 prefixes the Safe Harbor method forbids (areas of 20,000 people or fewer, per the
 * 2000 census list HHS publishes): they must be reported as 000.
 */
export const RESTRICTED_ZIP3 = new Set([
  "036",
  "059",
  "063",
  "102",
  "203",
  "556",
  "692",
  "790",
  "821",
  "823",
  "830",
  "831",
  "878",
  "879",
  "884",
  "890",
  "893",
]);
const ZIP3 = [
  "500",
  "503",
  "515",
  "532",
  "537",
  "551",
  "554",
  "606",
  "631",
  "641",
  "661",
  "680",
  "681",
  "750",
  "802",
];
export const fakeZip3 = (rng: Random): string => rng.pick(ZIP3);

/** ICD-10-CM codes (public code set; common inpatient and outpatient diagnoses). */
export const ICD10 = [
  "E11.9",
  "I10",
  "J18.9",
  "N17.9",
  "I50.9",
  "J44.1",
  "A41.9",
  "E78.5",
  "F32.9",
  "K21.9",
  "M54.5",
  "R07.9",
  "Z00.00",
  "O80",
  "S72.001A",
  "I21.4",
  "C50.911",
  "E66.9",
  "J45.909",
  "G47.33",
];
/** CPT codes (office visits, labs, imaging, procedures). */
export const CPT = [
  "99213",
  "99214",
  "99223",
  "99232",
  "80053",
  "85025",
  "71046",
  "93000",
  "36415",
  "70450",
  "45378",
  "27447",
  "29881",
  "99285",
  "90471",
  "83036",
  "81001",
  "74177",
  "43239",
  "59400",
];
export const LOINC = [
  "2345-7",
  "718-7",
  "2160-0",
  "2951-2",
  "6690-2",
  "4548-4",
  "2823-3",
  "1742-6",
  "777-3",
  "33914-3",
];
/**
 * Organisms a culture identifies, as SNOMED CT concepts (code, preferred name): HL7 v2.5.1
 * ELR reports an isolate's organism as `code^name^SCT` in OBX-5.
 */
export const ORGANISMS: readonly (readonly [string, string])[] = [
  ["3092008", "Staphylococcus aureus"],
  ["112283007", "Escherichia coli"],
  ["56415008", "Klebsiella pneumoniae"],
  ["52499004", "Pseudomonas aeruginosa"],
  ["78065002", "Enterococcus faecalis"],
  ["9861002", "Streptococcus pneumoniae"],
];
/** Antimicrobials of a susceptibility panel, by their WHONET codes (what LIS panels use). */
export const ANTIMICROBIALS = [
  "AMP",
  "AMC",
  "CZO",
  "CRO",
  "FEP",
  "MEM",
  "GEN",
  "CIP",
  "SXT",
  "VAN",
  "OXA",
  "NIT",
];
export const NDC = [
  "0002-8215-01",
  "0078-0357-15",
  "0093-7146-56",
  "0173-0715-20",
  "0409-4888-02",
  "63323-262-01",
];

/** Birth date of patient `k`: 1940-2020, so nobody is 90 or older at a 2025-2030 encounter. */
export function birthDateFor(k: number): string {
  // Days since 1940-01-01 (29,585 days to the end of 2020), then a civil date without Date.
  const days = Math.floor(((Math.imul(k + 1, 2654435761 | 0) >>> 0) / 4294967296) * 29584);
  return civilDate(EPOCH_1940 + days);
}

/** 1940-01-01 as days since 1970-01-01. */
const EPOCH_1940 = -10958;

/** `YYYY-MM-DD` of a day count since 1970-01-01 (Howard Hinnant's civil_from_days). */
export function civilDate(daysSinceEpoch: number): string {
  const z = daysSinceEpoch + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}
