import { describe, expect, it } from 'vitest';
import { lookupUnit, parseAnswer, unitExamples, unitFamily } from './units';

const read = (text: string, unit: string) => {
  const parsed = parseAnswer(text, unit);
  return 'value' in parsed ? parsed.value : parsed.error;
};

describe('parseAnswer', () => {
  it.each([
    ['13.3 h', 's', 13.3 * 3600],
    ['25.8 min', 's', 1548],
    ['1,548 s', 's', 1548],
    ['1548', 's', 1548],
    ['2 days', 'h', 48],
    ['250 ms', 's', 0.25],
    ['3600 s', 'h', 1],
    ['1.33 Gbit/s', 'Mbit/s', 1330],
    ['1.33 Gbps', 'Mbit/s', 1330],
    ['500 kbit/s', 'Mbit/s', 0.5],
    ['1.33 Gbit / s', 'Mbit/s', 1330],
    ['10 MB/s', 'Mbit/s', 80],
    ['2 GB', 'Gbit', 16],
    ['16,000 Mbit', 'Gbit', 16],
    ['2 GB', 'MB', 2000],
    ['4 KB', 'B', 4000],
    ['4 kB', 'B', 4000],
    ['42 %', '%', 42],
    ['42%', '%', 42],
    ['5.7e3 s', 's', 5700],
    ['5.7e3', 's', 5700],
    ['3 MIN', 's', 180],
  ])('reads %j in %s as %d', (text, unit, expected) => {
    expect(read(text, unit)).toBeCloseTo(expected, 9);
  });

  it('says what a converted answer was read as', () => {
    expect(parseAnswer('1.33 Gbit/s', 'Mbit/s')).toEqual({ value: 1330, conversion: '1.33 Gbit/s = 1,330 Mbit/s' });
    expect(parseAnswer('25.8 min', 's')).toEqual({ value: 1548, conversion: '25.8 min = 1,548 s' });
    // The question's own unit, in any spelling, is no conversion.
    expect(parseAnswer('1548 seconds', 's')).toEqual({ value: 1548 });
  });

  it('explains a unit of the wrong kind instead of converting it', () => {
    expect(read('13 Mbit/s', 's')).toBe('Mbit/s is a rate; the question asks for a time, in s.');
    expect(read('2 GB', 'Mbit/s')).toBe('GB is an amount of data; the question asks for a rate, in Mbit/s.');
    expect(read('3 h', 'Gbit')).toBe('h is a time; the question asks for an amount of data, in Gbit.');
    expect(read('40 %', 's')).toBe('% is a percentage; the question asks for a time, in s.');
  });

  it('asks whether a unit that only case could tell apart means bits or bytes', () => {
    expect(read('2 gb', 'Gbit')).toMatch(/“gb” could mean (GB \(bytes\) or Gbit \(bits\)|Gbit \(bits\) or GB \(bytes\))/);
    expect(read('10 mbps', 'Mbit/s')).toMatch(/a capital B is a byte, a small b a bit/);
  });

  it('rejects unknown units, units without a number, and a unit where the answer is a plain number', () => {
    expect(read('12 furlongs', 's')).toMatch(/“furlongs” is not a unit this question knows/);
    expect(read('abc', 's')).toMatch(/“abc” is not a number/);
    expect(read('fifty thousand', 's')).toMatch(/“fifty thousand” is not a number/);
    expect(read('', 's')).toBe('Type a number first.');
    expect(read('1,5 h', 's')).toMatch(/point for decimals/);
    expect(read('5 s', '')).toMatch(/plain number, without a unit: type only 5/);
  });

  it('keeps the plain rule for a unit it does not know', () => {
    expect(read('1,200 peers', 'peers')).toBe(1200);
    expect(read('1200', 'peers')).toBe(1200);
    expect(read('1200 h', 'peers')).toMatch(/not a number/);
  });
});

describe('units', () => {
  it('knows the families and spellings the questions use', () => {
    expect(unitFamily('s')).toBe('time');
    expect(unitFamily('Mbit/s')).toBe('rate');
    expect(unitFamily('GB')).toBe('size');
    expect(unitFamily('%')).toBe('percent');
    expect(unitFamily('peers')).toBeNull();
    expect(lookupUnit('Mbit/s')).toEqual({ unit: { family: 'rate', factor: 1e6, symbol: 'Mbit/s' } });
    expect(lookupUnit('GB')).toEqual({ unit: { family: 'size', factor: 8e9, symbol: 'GB' } });
  });

  it('offers examples for the units it converts, none for others', () => {
    expect(unitExamples('s')).toMatch(/min, h, days/);
    expect(unitExamples('Mbit/s')).toMatch(/Gbit\/s/);
    expect(unitExamples('peers')).toBe('');
  });
});
