// Modals: the form an application asks the person's client to show (callback type 9), in Discord's two layouts
// (legacy action rows of text inputs, or labels each holding one), and the person's submit checked against it.
import { ComponentType, TextInputStyle } from 'discord-api-types/v10';
import type { FieldPath, FormErrors } from '../../http/api-error.ts';
import { FormReader } from '../form-reader.ts';
import type { Modal, SubmittedInput, TextInput } from './interaction-model.ts';

export const MODAL_LIMITS = { title: 45, customId: 100, inputs: 5, label: 45, description: 100, placeholder: 100, value: 4000 } as const;

/** Discord's Label component (type 18), which wraps one input in the newer modal layout. */
const LABEL = 18;

/** A callback's `data` for type 9; problems go to `errors` under `data...`. */
export function parseModal(raw: unknown, errors: FormErrors): Modal | null {
  const read = new FormReader(errors);
  const o = read.object(raw, ['data'], true);
  if (!o) return null;
  const customId = read.string(o.custom_id, ['data', 'custom_id'], MODAL_LIMITS.customId, true);
  const title = read.string(o.title, ['data', 'title'], MODAL_LIMITS.title, true);
  const items = read.list(o.components, ['data', 'components'], { min: 1, max: MODAL_LIMITS.inputs });
  const inputs: TextInput[] = [];
  let layout: Modal['layout'] = 'rows';
  items.forEach((item, i) => {
    const path: FieldPath = ['data', 'components', i];
    const c = read.object(item, path, true);
    if (!c) return;
    if (c.type === LABEL) {
      layout = 'labels';
      const label = read.string(c.label, [...path, 'label'], MODAL_LIMITS.label, true);
      const description = read.string(c.description, [...path, 'description'], MODAL_LIMITS.description);
      const input = parseInput(read, c.component, [...path, 'component'], label, description);
      if (input) inputs.push(input);
      return;
    }
    if (c.type !== ComponentType.ActionRow) {
      read.fail([...path, 'type'], 'BASE_TYPE_CHOICES', 'Modals hold action rows (type 1) or labels (type 18)');
      return;
    }
    const [only, ...rest] = read.list(c.components, [...path, 'components'], { min: 1, max: 1 });
    if (rest.length > 0) return;
    const inner = read.object(only, [...path, 'components', 0], true);
    if (!inner) return;
    const input = parseInput(
      read,
      inner,
      [...path, 'components', 0],
      read.string(inner.label, [...path, 'components', 0, 'label'], MODAL_LIMITS.label, true),
      null,
    );
    if (input) inputs.push(input);
  });
  const ids = new Set<string>();
  inputs.forEach((input) => {
    if (ids.has(input.customId)) read.fail(['data', 'components'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
    ids.add(input.customId);
  });
  if (customId === null || title === null) return null;
  return { customId, title, inputs, layout };
}

function parseInput(read: FormReader, raw: unknown, path: FieldPath, label: string | null, description: string | null): TextInput | null {
  const o = read.object(raw, path, true);
  if (!o) return null;
  if (o.type !== ComponentType.TextInput) {
    read.fail([...path, 'type'], 'UNSUPPORTED_BY_SERVER', 'Only text inputs (type 4) are supported in modals');
    return null;
  }
  const customId = read.string(o.custom_id, [...path, 'custom_id'], MODAL_LIMITS.customId, true);
  const style = read.choice(o.style ?? TextInputStyle.Short, [...path, 'style'], [TextInputStyle.Short, TextInputStyle.Paragraph]);
  const placeholder = read.string(o.placeholder, [...path, 'placeholder'], MODAL_LIMITS.placeholder);
  const value = read.string(o.value, [...path, 'value'], MODAL_LIMITS.value);
  const minLength = o.min_length == null ? null : read.integer(o.min_length, [...path, 'min_length'], { min: 0, max: MODAL_LIMITS.value });
  const maxLength = o.max_length == null ? null : read.integer(o.max_length, [...path, 'max_length'], { min: 1, max: MODAL_LIMITS.value });
  const required = o.required == null ? true : read.boolean(o.required, [...path, 'required']);
  // The label sits on the input in the legacy layout; newer clients put it on the Label around it.
  const ownLabel = label ?? (typeof o.label === 'string' ? o.label : null);
  if (customId === null || style === null || ownLabel === null) return null;
  return { customId, style, label: ownLabel, description, placeholder, value, required: required ?? true, minLength, maxLength };
}

/** A modal submit's `data.components`, checked against the modal shown; problems go to `errors`. */
export function checkSubmit(modal: Modal, raw: unknown, errors: FormErrors): SubmittedInput[] {
  const read = new FormReader(errors);
  const items = read.list(raw, ['data', 'components'], { max: MODAL_LIMITS.inputs });
  const given = new Map<string, { value: unknown; path: FieldPath }>();
  items.forEach((item, i) => {
    const path: FieldPath = ['data', 'components', i];
    const c = read.object(item, path, true);
    if (!c) return;
    const inner =
      c.type === LABEL
        ? { raw: c.component, path: [...path, 'component'] }
        : { raw: Array.isArray(c.components) ? c.components[0] : undefined, path: [...path, 'components', 0] };
    const input = read.object(inner.raw, inner.path, true);
    if (!input) return;
    if (typeof input.custom_id !== 'string' || !modal.inputs.some((x) => x.customId === input.custom_id)) {
      read.fail([...inner.path, 'custom_id'], 'COMPONENT_UNKNOWN', 'No such input in this modal');
      return;
    }
    given.set(input.custom_id, { value: input.value, path: [...inner.path, 'value'] });
  });
  const out: SubmittedInput[] = [];
  for (const input of modal.inputs) {
    const entry = given.get(input.customId);
    const value = entry?.value ?? '';
    const path = entry?.path ?? ['data', 'components'];
    if (typeof value !== 'string') {
      read.fail(path, 'BASE_TYPE_STRING', 'Must be a string.');
      continue;
    }
    const length = [...value].length;
    if (input.required && length === 0) read.fail(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    else if (length > 0 && input.minLength !== null && length < input.minLength)
      read.fail(path, 'BASE_TYPE_MIN_LENGTH', `Must be ${input.minLength} or more in length.`);
    else if (length > (input.maxLength ?? MODAL_LIMITS.value))
      read.fail(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${input.maxLength ?? MODAL_LIMITS.value} or fewer in length.`);
    out.push({ customId: input.customId, value });
  }
  return out;
}
