// Money typed the way staff write it (5亿元, 2000万元, 1.2亿, 500,000,000, 500000000元) to the
// exact decimal string of yuan the case file wants, and back to words. Only string and BigInt
// arithmetic: a float would turn 0.1亿 or 12345678901234567 into something else.

const UNITS = [
  ['亿元', 8], ['亿', 8], ['万元', 4], ['万', 4], ['元', 0], ['yuan', 0], ['cny', 0],
];

/**
 * Parse money to yuan as a plain decimal string (`"500000000"`, `"12.5"`), or return
 * `{error}`. Negative amounts are refused: the vocabulary says money is at least zero.
 */
export function parseMoney(input) {
  let s = String(input ?? '').trim().toLowerCase().replace(/[\s,，_]/g, '');
  if (s === '') return { empty: true };
  if (s.startsWith('cny')) s = s.slice(3);
  if (s.startsWith('¥') || s.startsWith('￥')) s = s.slice(1);
  let shift = 0;
  for (const [unit, power] of UNITS) {
    if (s.endsWith(unit)) {
      s = s.slice(0, -unit.length);
      shift = power;
      break;
    }
  }
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return { error: true };
  return { value: shiftDecimal(m[1], m[2] ?? '', shift) };
}

/** `int.frac × 10^shift` as a normalised decimal string. */
function shiftDecimal(int, frac, shift) {
  let digits = int + frac;
  let point = int.length + shift; // digits before the decimal point
  if (point > digits.length) digits = digits.padEnd(point, '0');
  let whole = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  let rest = digits.slice(point).replace(/0+$/, '');
  return rest ? `${whole}.${rest}` : whole;
}

/** `"500000000"` → `"500,000,000"`, exactly. */
export function grouped(value) {
  const [whole, frac] = String(value).split('.');
  const g = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${g}.${frac}` : g;
}

/**
 * Money for people, exact: `5亿元（500,000,000元）` / `CNY 500,000,000`. The large unit is only
 * used when it divides the amount into at most four decimal places, so nothing is rounded.
 */
export function showMoney(value, lang) {
  const v = String(value);
  if (!/^\d+(\.\d+)?$/.test(v)) return v;
  if (lang === 'en') return `CNY ${grouped(v)}`;
  const [whole] = v.split('.');
  const exact = `${grouped(v)}元`;
  for (const [unit, power] of [['亿元', 8], ['万元', 4]]) {
    if (whole.length > power) {
      const scaled = shiftDecimal(whole, v.split('.')[1] ?? '', -power);
      const decimals = (scaled.split('.')[1] ?? '').length;
      if (decimals <= 4) return `${grouped(scaled)}${unit}（${exact}）`;
    }
  }
  return exact;
}

/** Parse a non-negative integer exactly (counts, years). */
export function parseCount(input) {
  const s = String(input ?? '').trim().replace(/[\s,，]/g, '');
  if (s === '') return { empty: true };
  if (!/^\d+$/.test(s)) return { error: true };
  const n = BigInt(s);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? { value: Number(n) } : { error: true };
}

/** A decimal or percent as typed, kept as an exact string. */
export function parseDecimal(input) {
  const s = String(input ?? '').trim().replace(/[\s,，%％]/g, '');
  if (s === '') return { empty: true };
  if (!/^-?\d+(\.\d+)?$/.test(s)) return { error: true };
  return { value: s };
}
