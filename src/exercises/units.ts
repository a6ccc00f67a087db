/**
 * Units in typed answers: "25.8 min", "1.33 Gbit/s", "2 GB". A number with a unit is
 * converted to the question's unit; a unit of another kind (a rate where a time is
 * asked) gets a message that says so. No DOM: the page, the build and Node tests
 * share it.
 */
import { parseNumber } from './answers';
import { formatSig } from '../../labs/kernel/format';

export type UnitFamily = 'time' | 'rate' | 'size' | 'percent';

interface UnitDefinition {
  family: UnitFamily;
  /** How many of the family's base unit (s, bit/s, bit, %) one of this unit is. */
  factor: number;
  /** The spelling used in messages. */
  symbol: string;
}

/** "a time", for "that is a rate; the question asks for a time". */
const FAMILY_NAMES: Record<UnitFamily, string> = { time: 'a time', rate: 'a rate', size: 'an amount of data', percent: 'a percentage' };

const TABLE: Record<string, UnitDefinition> = {};
function define(family: UnitFamily, factor: number, symbol: string, ...aliases: string[]): void {
  for (const spelling of [symbol, ...aliases]) TABLE[spelling] = { family, factor, symbol };
}

define('time', 1e-3, 'ms');
define('time', 1, 's', 'sec', 'secs', 'second', 'seconds');
define('time', 60, 'min', 'mins', 'minute', 'minutes');
define('time', 3600, 'h', 'hr', 'hrs', 'hour', 'hours');
define('time', 86400, 'days', 'd', 'day');
// Decimal prefixes, as network rates and file sizes are quoted; a byte is 8 bits.
const PREFIXES: Array<[string, number]> = [
  ['', 1],
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
];
for (const [prefix, scale] of PREFIXES) {
  const bigK = prefix === 'k' ? ['K'] : [];
  for (const p of [prefix, ...bigK]) {
    define('rate', scale, `${prefix}bit/s`, `${p}bit/s`, `${p}b/s`, `${p}bps`, `${p}bits/s`);
    define('rate', 8 * scale, `${prefix === 'k' ? 'K' : prefix}B/s`, `${p}B/s`, `${p}Bps`, `${p}byte/s`, `${p}bytes/s`);
    define('size', scale, `${prefix}bit`, `${p}bit`, `${p}bits`, `${p}b`);
    define('size', 8 * scale, `${prefix === 'k' ? 'K' : prefix}B`, `${p}B`, `${p}byte`, `${p}bytes`);
  }
}
define('percent', 1, '%', 'percent');

/** The unit a student or an author wrote, or why it is not one. */
export function lookupUnit(text: string): { unit: UnitDefinition } | { error: string } | null {
  const spelling = text.trim();
  const exact = TABLE[spelling];
  if (exact) return { unit: exact };
  // Case matters only where it tells bits (b) from bytes (B): "MIN" is minutes, "gb" is ambiguous.
  const lower = spelling.toLowerCase();
  const matches = Object.entries(TABLE).filter(([key]) => key.toLowerCase() === lower);
  const distinct = [...new Map(matches.map(([, unit]) => [`${unit.family}:${unit.factor}`, unit])).values()];
  if (distinct.length === 1) return { unit: distinct[0] as UnitDefinition };
  if (distinct.length > 1) {
    const spelled = distinct.map((unit) => `${unit.symbol} (${unit.symbol.includes('B') ? 'bytes' : 'bits'})`);
    return {
      error: `“${spelling}” could mean ${spelled.join(' or ')}: a capital B is a byte, a small b a bit. Write ${distinct.map((unit) => unit.symbol).join(' or ')}.`,
    };
  }
  return null;
}

export interface Quantity {
  /** The value in the question's unit. */
  value: number;
  /** When the student typed another unit of the same kind: "1.33 Gbit/s = 1,330 Mbit/s". */
  conversion?: string;
}

// A unit is the letters, %, µ and / at the end of what was typed ("5.7e3" ends in a digit, so has none).
const TRAILING_UNIT = /^(.*?)\s*([A-Za-zµ%/]+)$/;

/**
 * Reads an answer typed with or without a unit, in the question's `unit`. A bare number
 * is taken to be in that unit. Returns a message, never throws.
 */
export function parseAnswer(raw: string, unit = ''): Quantity | { error: string } {
  const expected = unit.trim() ? lookupUnit(unit) : null;
  // "1.33 Gbit / s" is Gbit/s.
  const match = TRAILING_UNIT.exec(
    raw
      .trim()
      .replace(/\u2212/g, '-')
      .replace(/\s*\/\s*/g, '/'),
  );
  // A question whose unit the table does not know ("peers", "$") keeps the plain rule: its own unit, or none.
  if (!match || !expected || 'error' in expected) {
    if (match && !unit.trim() && lookupUnit(match[2] as string) && 'value' in parseNumber(match[1] as string)) {
      return { error: `This answer is a plain number, without a unit: type only ${(match[1] as string).trim()}.` };
    }
    return parseNumber(raw, unit);
  }
  const [, numberText = '', unitText = ''] = match;
  // Letters alone ("abc", "many") are no number with a unit: say it is not a number.
  if (numberText === '') return parseNumber(raw, unit);
  // Words before it ("fifty thousand") are no number: judge the whole entry, not its first word.
  if (!/^[+-]?[\d.]/.test(numberText)) return parseNumber(raw, unit);
  const number = parseNumber(numberText);
  if ('error' in number) return number;
  const typed = lookupUnit(unitText);
  if (!typed) return { error: `“${unitText}” is not a unit this question knows. Type the number in ${unit}, such as 12.5 ${unit}.` };
  if ('error' in typed) return typed;
  const want = expected.unit;
  if (typed.unit.family !== want.family) {
    return { error: `${unitText} is ${FAMILY_NAMES[typed.unit.family]}; the question asks for ${FAMILY_NAMES[want.family]}, in ${unit}.` };
  }
  const value = (number.value * typed.unit.factor) / want.factor;
  if (typed.unit.factor === want.factor) return { value };
  return { value, conversion: `${formatSig(number.value, 4)} ${typed.unit.symbol} = ${formatSig(value, 4)} ${unit}` };
}

/** The kind of quantity a unit measures, or null when the table does not know it. */
export function unitFamily(unit: string): UnitFamily | null {
  const found = unit.trim() ? lookupUnit(unit) : null;
  return found && 'unit' in found ? found.unit.family : null;
}

/** Examples for the line under a field: "25.8 min or 1,548 s". */
export function unitExamples(unit: string): string {
  switch (unitFamily(unit)) {
    case 'time':
      return 'You may type another unit of time (ms, s, min, h, days); it is converted.';
    case 'rate':
      return 'You may type another rate (kbit/s, Mbit/s, Gbit/s, MB/s); it is converted.';
    case 'size':
      return 'You may type another size (Mbit, Gbit, MB, GB; a byte is 8 bits); it is converted.';
    default:
      return '';
  }
}
