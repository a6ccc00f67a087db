/** Human-readable numbers for summaries and verdicts, shared by every lab. */

/**
 * A decimal numeral with thousands separators, as toLocaleString('en-US') writes it. Written out
 * because the first Intl call on a page loads the browser's locale data: about 100 ms on the main
 * thread of a slow phone, the longest task of a lab page's load.
 */
export function groupDigits(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  // String() switches to exponent notation from 1e21 on; integers that large are exact in BigInt.
  const plain = abs >= 1e21 ? BigInt(Math.round(abs)).toString() : String(abs);
  const point = plain.indexOf('.');
  const whole = point < 0 ? plain : plain.slice(0, point);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${point < 0 ? '' : plain.slice(point)}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  const abs = Math.abs(seconds);
  if (abs < 1e-3) return `${formatSig(seconds * 1e6)} µs`;
  if (abs < 1) return `${formatSig(seconds * 1e3)} ms`;
  if (abs < 120) return `${formatSig(seconds)} s`;
  if (abs < 7200) return `${formatSig(seconds / 60)} min`;
  if (abs < 172800) return `${formatSig(seconds / 3600)} h`;
  return `${formatSig(seconds / 86400)} days`;
}

/** Three significant figures, without trailing zeros or exponent notation for everyday sizes. */
export function formatSig(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : 'n/a';
  if (value === 0) return '0';
  const rounded = Number(value.toPrecision(digits));
  return Math.abs(rounded) >= 1e9 || Math.abs(rounded) < 1e-3 ? rounded.toExponential(digits - 1) : groupDigits(rounded);
}

export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Whole counts in full, with separators ("1,000,000"): formatSig would round 1,265 to 1,270. */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? groupDigits(Math.round(value)) : '∞';
}

/** "1 route", "4 routes". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/** A key number as a reader sees it, by its output format. */
/**
 * An availability (a fraction near 1) with as many decimals as it takes to show two
 * digits of the downtime: 99.79%, 99.950%, where three significant figures would say 100%.
 */
export function formatAvailability(fraction: number): string {
  if (fraction >= 1) return '100%';
  const downPercent = (1 - fraction) * 100;
  const digits = Math.min(6, Math.max(1, Math.ceil(-Math.log10(downPercent)) + 1));
  const text = formatPercent(fraction, digits);
  return text.startsWith('100') ? '≈ 100%' : text;
}

export function formatOutput(value: number, format: 'number' | 'duration' | 'percent' | 'count', unit?: string, digits = 3): string {
  if (Number.isNaN(value)) return 'none';
  switch (format) {
    case 'duration':
      return formatDuration(value);
    case 'percent':
      // Near 100%, three significant figures would hide the part that matters.
      return value >= 99 ? formatAvailability(value / 100) : `${formatSig(value)}%`;
    case 'count':
      return formatCount(value);
    default:
      return unit ? `${formatSig(value, digits)} ${unit}` : formatSig(value, digits);
  }
}

const PRINTED_UNITS: Record<string, number> = { µs: 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600, days: 86400 };

/**
 * The number a printed text stands for, so a sentence's comparison is made on what the
 * reader sees: "20,100" → 20100, "5.6%" → 5.6, "1.2e-4" → 0.00012, and a duration as
 * formatDuration prints it in seconds ("2.08 h" → 7488). NaN for text that is no number.
 */
export function printedNumber(text: string): number {
  const match = /^\s*[≈~]?\s*\$?([-−]?[\d,]*\.?\d+(?:e[-+]?\d+)?)\s*(µs|ms|s|min|h|days)?\b/i.exec(text.replace('−', '-'));
  if (!match) return NaN;
  const value = Number((match[1] as string).replace(/,/g, ''));
  return match[2] ? value * (PRINTED_UNITS[match[2]] as number) : value;
}

/**
 * −1, 0 or 1: how a and b compare as `format` prints them ("20,100" against "10,000"), so a
 * sentence that says "fewer than" or "the same" is chosen by the very numbers it shows.
 */
export function comparePrinted(a: number, b: number, format: (value: number) => string = formatSig): -1 | 0 | 1 {
  return printedOrder(format(a), format(b));
}

/** −1, 0 or 1: how two printed numbers compare ("5.61%" against "5.6%", "$10,000" against "$9,999"). */
export function printedOrder(a: string, b: string): -1 | 0 | 1 {
  const x = printedNumber(a);
  const y = printedNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
