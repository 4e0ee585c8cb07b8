// The component model an interaction will read: parseComponents keeps what a click needs (custom_id, kind,
// select ranges), and findComponent finds it by custom_id; link buttons never match (they never reach a bot).
import { describe, expect, it } from 'bun:test';
import { findComponent, parseComponents } from '../../src/domain/components.ts';
import { ApiError, FormErrors } from '../../src/http/api-error.ts';

const parse = (raw: unknown) => {
  const errors = new FormErrors();
  const rows = parseComponents(raw, errors);
  errors.throwIfAny();
  return rows;
};

const ROWS = [
  {
    type: 1,
    components: [
      { type: 2, style: 3, label: 'Yes', custom_id: 'yes' },
      { type: 2, style: 5, label: 'Site', url: 'https://example.com' },
    ],
  },
  { type: 1, components: [{ type: 8, custom_id: 'where', channel_types: [0, 0, 5], min_values: 0, max_values: 3 }] },
];

describe('findComponent()', () => {
  it('finds a button or a select by custom_id, in the domain model', () => {
    const rows = parse(ROWS);
    expect(findComponent(rows, 'yes')).toEqual({ kind: 'button', style: 'success', customId: 'yes', label: 'Yes', emoji: null, disabled: false });
    expect(findComponent(rows, 'where')).toEqual({
      kind: 'channelSelect',
      customId: 'where',
      placeholder: null,
      minValues: 0,
      maxValues: 3,
      disabled: false,
      channelTypes: [0, 5],
      defaultValues: [],
    });
  });

  it('answers null for an unknown custom_id and never matches a link button', () => {
    const rows = parse(ROWS);
    expect(findComponent(rows, 'nope')).toBeNull();
    expect(findComponent(rows, 'https://example.com')).toBeNull();
  });
});

describe('parseComponents()', () => {
  it('treats absent and null as no components', () => {
    expect(parse(undefined)).toEqual([]);
    expect(parse(null)).toEqual([]);
  });

  it('throws one 50035 naming every bad field', () => {
    let thrown: unknown;
    try {
      parse([{ type: 1, components: [{ type: 2, style: 1, label: 'x'.repeat(81) }] }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).toJSON()).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: {
        components: {
          0: {
            components: {
              0: {
                label: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 80 or fewer in length.' }] },
                custom_id: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] },
              },
            },
          },
        },
      },
    });
  });
});
