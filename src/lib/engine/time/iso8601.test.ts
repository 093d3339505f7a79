import { describe, expect, it } from 'vitest';
import { addDuration, durationMs, isValidTimer, parseCycle, parseDateTime, parseDuration } from './iso8601.js';

const at = (iso: string): number => Date.parse(iso);

describe('engine/time/iso8601', () => {
  describe('parseDuration', () => {
    it.each([
      ['PT5M', { minutes: 5 }],
      ['P1D', { days: 1 }],
      ['P2W', { weeks: 2 }],
      ['P1Y2M3DT4H5M6S', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 }],
      ['PT0.5S', { seconds: 0.5 }],
      ['PT1,25S', { seconds: 1.25 }],
      ['PT36H', { hours: 36 }],
      [' PT10S ', { seconds: 10 }]
    ])('given %s then it reads the designators', (text, parts) => {
      const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
      expect(parseDuration(text)).toEqual({ ...zero, ...parts });
    });

    it.each(['', 'P', 'PT', '5M', 'P1H', 'PT1D', 'P1.5D', 'PT5M3H', '-PT5M', 'P1DT', 'pt5m', '=PT5M'])(
      'given %j then it is not a duration',
      (text) => {
        expect(parseDuration(text)).toBeNull();
      }
    );
  });

  describe('durationMs', () => {
    it.each([
      ['PT5M', 300_000],
      ['P1DT1S', 86_401_000],
      ['P1W', 604_800_000],
      ['PT0.25S', 250]
    ])('given %s then %d ms', (text, ms) => {
      expect(durationMs(parseDuration(text)!)).toBe(ms);
    });

    it('given years or months then it has no fixed length', () => {
      expect(durationMs(parseDuration('P1M')!)).toBeNull();
    });
  });

  describe('addDuration', () => {
    it.each([
      ['2026-01-31T10:00:00Z', 'P1M', '2026-02-28T10:00:00Z'],
      ['2024-01-31T10:00:00Z', 'P1M', '2024-02-29T10:00:00Z'],
      ['2024-02-29T00:00:00Z', 'P1Y', '2025-02-28T00:00:00Z'],
      ['2026-11-15T00:00:00Z', 'P3M', '2027-02-15T00:00:00Z'],
      ['2026-03-28T12:00:00Z', 'P1DT12H', '2026-03-30T00:00:00Z'],
      ['2026-01-01T00:00:00Z', 'PT90M', '2026-01-01T01:30:00Z'],
      ['2026-12-31T23:59:59Z', 'PT1S', '2027-01-01T00:00:00Z']
    ])('given %s plus %s then %s', (start, duration, end) => {
      expect(addDuration(at(start), parseDuration(duration)!)).toBe(at(end));
    });
  });

  describe('parseDateTime', () => {
    it.each([
      ['2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z'],
      ['2026-01-01T10:00:00', '2026-01-01T10:00:00Z'],
      ['2026-01-01T12:00:00+02:00', '2026-01-01T10:00:00Z'],
      ['2026-01-01T05:30:00-0430', '2026-01-01T10:00:00Z'],
      ['2026-01-01T10:00Z', '2026-01-01T10:00:00Z'],
      ['2026-01-01T10:00:00.123Z', '2026-01-01T10:00:00.123Z'],
      ['2026-01-01', '2026-01-01T00:00:00Z'],
      ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00Z']
    ])('given %s then it is %s', (text, expected) => {
      expect(parseDateTime(text)).toBe(at(expected));
    });

    it.each(['', 'tomorrow', '2026-13-01T00:00:00Z', '2026-02-29T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T10:61:00Z', '26-01-01', '2026-01-01T10:00:00+25:00'])(
      'given %j then it is not a date-time',
      (text) => {
        expect(parseDateTime(text)).toBeNull();
      }
    );

    it('given a year below 100 then it is not shifted into the 1900s', () => {
      expect(new Date(parseDateTime('0050-06-01T00:00:00Z')!).getUTCFullYear()).toBe(50);
    });
  });

  describe('parseCycle', () => {
    it.each([
      ['R3/PT10S', 3, undefined, { seconds: 10 }],
      ['R/PT1H', null, undefined, { hours: 1 }],
      ['R5/2026-01-01T00:00:00Z/PT1M', 5, '2026-01-01T00:00:00Z', { minutes: 1 }],
      ['R2/PT1H/2026-01-01T00:00:00Z', 2, undefined, { hours: 1 }]
    ])('given %s then repetitions %s from %s', (text, repetitions, start, interval) => {
      const cycle = parseCycle(text);
      expect(cycle?.repetitions).toBe(repetitions);
      expect(cycle?.start).toBe(start === undefined ? undefined : at(start));
      expect(cycle?.interval).toMatchObject(interval);
    });

    it.each(['', 'PT10S', 'R3', 'R3/', 'Rx/PT1S', 'R3/PT0S', 'R3/nope/PT1S', '0 0 9 * * MON', 'R/PT1H/PT2H/PT3H'])(
      'given %j then it is not a cycle',
      (text) => {
        expect(parseCycle(text)).toBeNull();
      }
    );
  });

  describe('isValidTimer', () => {
    it.each([
      ['duration', 'PT5M', true],
      ['duration', '2026-01-01T10:00:00Z', false],
      ['date', '2026-01-01T10:00:00Z', true],
      ['date', 'PT5M', false],
      ['cycle', 'R3/PT10S', true],
      ['cycle', 'PT10S', false]
    ] as const)('given a %s timer %s then valid is %s', (kind, text, valid) => {
      expect(isValidTimer(kind, text)).toBe(valid);
    });
  });
});
