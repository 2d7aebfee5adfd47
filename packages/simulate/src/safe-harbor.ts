/**
 * A scan for the real-world shapes of HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2))
 * that simulated data must never contain. Simulated values use reserved or never-issued ranges
 * (9xx SSNs, 555-01xx phones, example.org, documentation IP ranges, SIM-prefixed MRNs); anything
 * else of an identifier's shape is reported. Names and street addresses cannot be told from
 * real ones by shape: they come from Faker's fictional lists.
 */
import { RESTRICTED_ZIP3 } from "./data/health";

export interface SafeHarborFinding {
  /** The identifier class, e.g. "ssn", "phone", "age-over-89". */
  readonly kind: string;
  readonly value: string;
  /** Column (structured records) or "text". */
  readonly field: string;
}

const SSN = /\b(\d{3})-(\d{2})-(\d{4})\b/g;
const PHONE = /(?:\+1[ .-]?)?\(?\b([2-9]\d{2})\)?[ .-]?(\d{3})[ .-](\d{4})\b/g;
const EMAIL = /\b[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g;
const URL = /\bhttps?:\/\/([A-Za-z0-9.-]+)/g;
const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
const VIN = /\b[A-HJ-NPR-Z0-9]{17}\b/g;

const EXAMPLE_DOMAIN = /(^|\.)example\.(org|com|net)$|\.internal$/;
const DOC_IP = /^(192\.0\.2|198\.51\.100|203\.0\.113)\./;

/** Findings in free text (raw files, any string value). */
export function scanText(text: string, field = "text"): SafeHarborFinding[] {
  const out: SafeHarborFinding[] = [];
  for (const m of text.matchAll(SSN)) {
    const [area, group, serial] = [m[1], m[2], m[3]];
    // Never issued: area 000, 666 or 9xx, group 00, serial 0000.
    const issued =
      area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
    if (issued) out.push({ kind: "ssn", value: m[0], field });
  }
  for (const m of text.matchAll(PHONE)) {
    // 555-0100..0199 is reserved for fiction; any other exchange can ring someone.
    if (!(m[2] === "555" && m[3].startsWith("01"))) out.push({ kind: "phone", value: m[0], field });
  }
  for (const m of text.matchAll(EMAIL))
    if (!EXAMPLE_DOMAIN.test(m[1].toLowerCase())) out.push({ kind: "email", value: m[0], field });
  for (const m of text.matchAll(URL))
    if (!EXAMPLE_DOMAIN.test(m[1].toLowerCase())) out.push({ kind: "url", value: m[0], field });
  for (const m of text.matchAll(IPV4)) {
    const octets = m.slice(1, 5).map(Number);
    if (octets.every((o) => o <= 255) && !DOC_IP.test(m[0]))
      out.push({ kind: "ip-address", value: m[0], field });
  }
  for (const m of text.matchAll(VIN))
    if (/\d/.test(m[0]) && /[A-Z]/.test(m[0])) out.push({ kind: "vehicle-id", value: m[0], field });
  return out;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Whole years between two `YYYY-MM-DD…` dates. */
function age(birth: string, at: string): number | undefined {
  const b = DATE.exec(birth);
  const a = DATE.exec(at);
  if (b === null || a === null) return undefined;
  const years = Number(a[1]) - Number(b[1]);
  return Number(a[2]) * 100 + Number(a[3]) < Number(b[2]) * 100 + Number(b[3]) ? years - 1 : years;
}

/**
 * Findings in one structured record: every string value as text, plus the column-aware checks
 * (ZIP3 of small areas, exact ages over 89, MRNs without the synthetic prefix).
 */
export function scanRecord(record: Readonly<Record<string, unknown>>): SafeHarborFinding[] {
  const out: SafeHarborFinding[] = [];
  const dates: string[] = [];
  let birth: string | undefined;
  for (const [field, v] of Object.entries(record)) {
    if (typeof v === "number" && /(^|_)age(_|$)/.test(field) && v > 89)
      out.push({ kind: "age-over-89", value: String(v), field });
    if (typeof v !== "string") continue;
    out.push(...scanText(v, field));
    if (/(^|_)zip3?(_code)?$|postal/.test(field) && RESTRICTED_ZIP3.has(v.slice(0, 3)))
      out.push({ kind: "zip3-small-area", value: v, field });
    if (/mrn/.test(field) && v !== "" && !v.startsWith("SIM"))
      out.push({ kind: "mrn", value: v, field });
    if (/(birth_date|dob)$/.test(field)) birth = v;
    else if (DATE.test(v) && !/death/.test(field)) dates.push(v);
  }
  if (birth !== undefined) {
    for (const d of dates) {
      const years = age(birth, d);
      if (years !== undefined && years > 89) {
        out.push({ kind: "age-over-89", value: `${birth} at ${d}`, field: "birth_date" });
        break;
      }
    }
  }
  return out;
}
