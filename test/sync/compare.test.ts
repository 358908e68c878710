/**
 * The sync's comparison (src/resources/sync/compare.ts, written from spec/OBSERVED.md) against the
 * fake's write coercion (src/testing/fields.ts): for every value the sync accepts, the stored value
 * reads back equal to what the sync predicted, so `unchanged` really means no change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coerceValue, type FieldDef } from '../../src/testing/fields.js';
import { normaliseInput, normaliseStored } from '../../src/resources/sync/compare.js';
import type { Field } from '../../src/resources/fields.js';

const def = (type: FieldDef['type'], value = '', length = 255): { fake: FieldDef; sdk: Field } => ({
  fake: { id: 1, slot: 0, name: 'f', type, value, displayed: true, ordered: false, length, textlines: 1, hidden: false, index: false },
  sdk: { ID: 1, name: 'f', type, value, length, choices: type === 'select' ? value.split('\n') : [] } as unknown as Field,
});

const cases: [ReturnType<typeof def>, fc.Arbitrary<string | number>][] = [
  [
    def('integer'),
    fc.oneof(
      fc.integer(),
      fc.integer({ min: 0, max: 9999 }).map((n) => `00${n}`),
      fc.integer().map((n) => ` ${n} `),
      fc.constant(''),
    ),
  ],
  [
    def('float'),
    fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.integer({ min: 0, max: 999 }).map((n) => `${n}.50`),
    ),
  ],
  [def('select', 'netherlands\ngermany\nbelgium'), fc.constantFrom('netherlands', 'Germany', 'BELGIUM', ' germany ', '')],
  [
    def('date'),
    fc.oneof(
      fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.constantFrom('', '0000-00-00', '2024-1-5'),
    ),
  ],
  [
    def('empty_datetime'),
    fc.oneof(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 19).replace('T', ' ')),
      fc.constantFrom('', '0000-00-00 00:00:00', '2024-01-05'),
    ),
  ],
  [def('text', '', 10), fc.string({ maxLength: 20 }).filter((s) => s.trim() === s)],
];

describe('sync comparison', () => {
  for (const [f, values] of cases) {
    it(`${f.fake.type}: the value Copernica stores reads back as the sync predicted`, () => {
      fc.assert(
        fc.property(values, (v) => {
          const predicted = normaliseInput(f.sdk, v);
          expect(predicted.ok).toBe(true);
          if (!predicted.ok) return;
          expect(normaliseStored(f.sdk, coerceValue(f.fake, predicted.value))).toBe(predicted.value);
          expect(normaliseStored(f.sdk, coerceValue(f.fake, v))).toBe(predicted.value);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('refuses what Copernica would mangle silently', () => {
    expect(normaliseInput(def('integer').sdk, '12abc').ok).toBe(false);
    expect(normaliseInput(def('float').sdk, 'abc').ok).toBe(false);
    expect(normaliseInput(def('select', 'a\nb').sdk, 'c').ok).toBe(false);
    expect(normaliseInput(def('date').sdk, '2023-02-30').ok).toBe(false);
    expect(normaliseInput(def('datetime').sdk, '2023-01-01 25:00:00').ok).toBe(false);
  });
});
