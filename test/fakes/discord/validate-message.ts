// Message bodies (interaction replies, updates, webhook edits, follow-ups) checked against
// Discord's limits; every problem is reported with the path Discord would name.

import type { FieldError, FieldPath } from './errors.ts';
import { isPresent, isRecord, lengthOf, records } from './json.ts';
import { LIMITS, MESSAGE_FLAGS } from './limits.ts';
import type { JsonObject } from './types.ts';

const maxLength = (path: FieldPath, max: number): FieldError => ({
  path,
  code: 'BASE_TYPE_MAX_LENGTH',
  message: `Must be ${max} or fewer in length.`,
});
const badLength = (path: FieldPath, min: number, max: number): FieldError => ({
  path,
  code: 'BASE_TYPE_BAD_LENGTH',
  message: `Must be between ${min} and ${max} in length.`,
});
const required = (path: FieldPath): FieldError => ({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
const wrongType = (path: FieldPath, what: string): FieldError => ({
  path,
  code: `BASE_TYPE_${what.toUpperCase()}`,
  message: `Must be a valid ${what}.`,
});

function checkString(errors: FieldError[], value: unknown, path: FieldPath, min: number, max: number, isRequired: boolean): void {
  if (!isPresent(value)) {
    if (isRequired) errors.push(required(path));
    return;
  }
  if (typeof value !== 'string') {
    errors.push(wrongType(path, 'string'));
    return;
  }
  if (value.length > max) errors.push(maxLength(path, max));
  else if (value.length < min) errors.push(min === 1 ? required(path) : badLength(path, min, max));
}

function checkUrl(errors: FieldError[], value: unknown, path: FieldPath, schemes: string[]): void {
  if (!isPresent(value)) return;
  let ok = false;
  if (typeof value === 'string') {
    try {
      ok = schemes.includes(new URL(value).protocol.replace(/:$/, ''));
    } catch {
      ok = false;
    }
  }
  if (!ok) errors.push({ path, code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' });
}

export function validateMessageBody(body: JsonObject, prefix: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const at = (...rest: FieldPath): FieldPath => [...prefix, ...rest];

  if (isPresent(body['content'])) checkString(errors, body['content'], at('content'), 0, LIMITS.content, false);

  const flags = body['flags'];
  if (isPresent(flags) && (typeof flags !== 'number' || !Number.isInteger(flags))) errors.push(wrongType(at('flags'), 'integer'));
  const v2 = typeof flags === 'number' && (flags & MESSAGE_FLAGS.componentsV2) !== 0;

  if (isPresent(body['embeds'])) {
    if (!Array.isArray(body['embeds'])) errors.push(wrongType(at('embeds'), 'array'));
    else validateEmbeds(errors, body['embeds'], at('embeds'));
  }

  if (v2) {
    for (const legacy of ['content', 'embeds'] as const) {
      const value = body[legacy];
      if (isPresent(value) && (typeof value !== 'string' || value.length > 0) && (!Array.isArray(value) || value.length > 0)) {
        errors.push({
          path: at(legacy),
          code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
          message: 'The \'content\' and \'embeds\' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2',
        });
      }
    }
  }

  if (isPresent(body['components'])) {
    if (!Array.isArray(body['components'])) errors.push(wrongType(at('components'), 'array'));
    else if (v2) validateComponentsV2(errors, body['components'], at('components'));
    else validateClassicComponents(errors, body['components'], at('components'));
  }

  if (isPresent(body['tts']) && typeof body['tts'] !== 'boolean') errors.push(wrongType(at('tts'), 'boolean'));
  return errors;
}

/** True when a message with this state would show nothing (Discord answers 50006). */
export function isEmptyMessage(state: { content?: unknown; embeds?: unknown; components?: unknown; attachments?: unknown; poll?: unknown; sticker_ids?: unknown }): boolean {
  const nonEmptyArray = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    (typeof state.content !== 'string' || state.content.trim().length === 0) &&
    !nonEmptyArray(state.embeds) &&
    !nonEmptyArray(state.components) &&
    !nonEmptyArray(state.attachments) &&
    !nonEmptyArray(state.sticker_ids) &&
    !isPresent(state.poll)
  );
}

function validateEmbeds(errors: FieldError[], embeds: unknown[], path: FieldPath): void {
  if (embeds.length > LIMITS.embeds) errors.push(maxLength(path, LIMITS.embeds));
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = (...rest: FieldPath): FieldPath => [...path, i, ...rest];
    if (!isRecord(embed)) {
      errors.push(wrongType(at(), 'object'));
      return;
    }
    checkString(errors, embed['title'], at('title'), 0, LIMITS.embedTitle, false);
    checkString(errors, embed['description'], at('description'), 0, LIMITS.embedDescription, false);
    checkUrl(errors, embed['url'], at('url'), ['http', 'https']);
    total += lengthOf(embed['title']) + lengthOf(embed['description']);

    const color = embed['color'];
    if (isPresent(color) && (typeof color !== 'number' || !Number.isInteger(color) || color < 0 || color > 0xffffff)) {
      errors.push({ path: at('color'), code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 16777215.' });
    }
    const timestamp = embed['timestamp'];
    if (isPresent(timestamp) && (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp)))) {
      errors.push({ path: at('timestamp'), code: 'DATE_TIME_TYPE_PARSE', message: 'Could not parse timestamp. Should be ISO8601.' });
    }

    const footer = embed['footer'];
    if (isPresent(footer)) {
      if (!isRecord(footer)) errors.push(wrongType(at('footer'), 'object'));
      else {
        checkString(errors, footer['text'], at('footer', 'text'), 1, LIMITS.embedFooter, true);
        checkUrl(errors, footer['icon_url'], at('footer', 'icon_url'), ['http', 'https', 'attachment']);
        total += lengthOf(footer['text']);
      }
    }
    const author = embed['author'];
    if (isPresent(author)) {
      if (!isRecord(author)) errors.push(wrongType(at('author'), 'object'));
      else {
        checkString(errors, author['name'], at('author', 'name'), 1, LIMITS.embedAuthorName, true);
        checkUrl(errors, author['url'], at('author', 'url'), ['http', 'https']);
        checkUrl(errors, author['icon_url'], at('author', 'icon_url'), ['http', 'https', 'attachment']);
        total += lengthOf(author['name']);
      }
    }
    for (const media of ['image', 'thumbnail'] as const) {
      const value = embed[media];
      if (!isPresent(value)) continue;
      if (!isRecord(value)) errors.push(wrongType(at(media), 'object'));
      else checkUrl(errors, value['url'], at(media, 'url'), ['http', 'https', 'attachment']);
    }

    const fields = embed['fields'];
    if (isPresent(fields)) {
      if (!Array.isArray(fields)) errors.push(wrongType(at('fields'), 'array'));
      else {
        if (fields.length > LIMITS.embedFields) errors.push(maxLength(at('fields'), LIMITS.embedFields));
        fields.forEach((field, f) => {
          if (!isRecord(field)) {
            errors.push(wrongType(at('fields', f), 'object'));
            return;
          }
          checkString(errors, field['name'], at('fields', f, 'name'), 1, LIMITS.embedFieldName, true);
          checkString(errors, field['value'], at('fields', f, 'value'), 1, LIMITS.embedFieldValue, true);
          if (isPresent(field['inline']) && typeof field['inline'] !== 'boolean') errors.push(wrongType(at('fields', f, 'inline'), 'boolean'));
          total += lengthOf(field['name']) + lengthOf(field['value']);
        });
      }
    }
  });
  if (total > LIMITS.embedTotal) {
    errors.push({ path, code: 'MAX_EMBED_SIZE_EXCEEDED', message: `Embed size exceeds maximum size of ${LIMITS.embedTotal}` });
  }
}

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);
const BUTTON = 2;
const ACTION_ROW = 1;
const STRING_SELECT = 3;

function checkCustomId(errors: FieldError[], component: JsonObject, path: FieldPath, seen: Map<string, FieldPath>): void {
  const customId = component['custom_id'];
  checkString(errors, customId, [...path, 'custom_id'], 1, LIMITS.customId, true);
  if (typeof customId === 'string') {
    if (seen.has(customId)) {
      errors.push({ path: [...path, 'custom_id'], code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
    } else {
      seen.set(customId, path);
    }
  }
}

function validateButton(errors: FieldError[], button: JsonObject, path: FieldPath, seen: Map<string, FieldPath>): void {
  const style = button['style'];
  const at = (key: string): FieldPath => [...path, key];
  if (typeof style !== 'number' || !Number.isInteger(style) || style < 1 || style > 6) {
    errors.push({ path: at('style'), code: 'BASE_TYPE_CHOICES', message: 'Value must be one of (1, 2, 3, 4, 5, 6).' });
    return;
  }
  checkString(errors, button['label'], at('label'), 0, LIMITS.buttonLabel, false);
  if (style === 5) {
    if (!isPresent(button['url'])) errors.push({ path: at('url'), code: 'BUTTON_COMPONENT_URL_REQUIRED', message: 'A url is required' });
    else checkUrl(errors, button['url'], at('url'), ['http', 'https', 'discord']);
    if (isPresent(button['custom_id'])) {
      errors.push({ path: at('custom_id'), code: 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED', message: 'A custom id cannot be specified for link buttons' });
    }
  } else if (style === 6) {
    if (!isPresent(button['sku_id'])) errors.push({ path: at('sku_id'), code: 'BUTTON_COMPONENT_SKU_ID_REQUIRED', message: 'A sku id is required' });
    for (const key of ['custom_id', 'url', 'label', 'emoji']) {
      if (isPresent(button[key])) errors.push({ path: at(key), code: 'BUTTON_COMPONENT_PREMIUM_FIELD_NOT_ALLOWED', message: `${key} cannot be used with premium buttons` });
    }
  } else {
    if (isPresent(button['url'])) errors.push({ path: at('url'), code: 'BUTTON_COMPONENT_URL_NOT_ALLOWED', message: 'A url can only be specified for link buttons' });
    checkCustomId(errors, button, path, seen);
  }
  if (style !== 6 && !isPresent(button['label']) && !isPresent(button['emoji'])) {
    errors.push({ path: at('label'), code: 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', message: 'A label or an emoji is required' });
  }
}

function validateSelect(errors: FieldError[], select: JsonObject, path: FieldPath, seen: Map<string, FieldPath>): void {
  const at = (...rest: FieldPath): FieldPath => [...path, ...rest];
  checkCustomId(errors, select, path, seen);
  checkString(errors, select['placeholder'], at('placeholder'), 0, LIMITS.selectPlaceholder, false);
  const min = select['min_values'];
  const max = select['max_values'];
  if (isPresent(min) && (typeof min !== 'number' || !Number.isInteger(min) || min < 0 || min > 25)) {
    errors.push({ path: at('min_values'), code: 'NUMBER_TYPE_MAX', message: 'int value should be between 0 and 25.' });
  }
  if (isPresent(max) && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 25)) {
    errors.push({ path: at('max_values'), code: 'NUMBER_TYPE_MAX', message: 'int value should be between 1 and 25.' });
  }
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    errors.push({ path: at('min_values'), code: 'SELECT_COMPONENT_MIN_VALUES_GREATER_THAN_MAX', message: 'min_values must be less than or equal to max_values' });
  }
  if (select['type'] !== STRING_SELECT) return;

  const options = select['options'];
  if (!Array.isArray(options)) {
    errors.push(required(at('options')));
    return;
  }
  if (options.length < 1 || options.length > LIMITS.selectOptions) errors.push(badLength(at('options'), 1, LIMITS.selectOptions));
  if (typeof max === 'number' && max > options.length) {
    errors.push({ path: at('max_values'), code: 'SELECT_COMPONENT_MAX_VALUES_EXCEEDS_OPTIONS', message: 'max_values must be less than or equal to the number of options' });
  }
  const values = new Set<string>();
  options.forEach((option, o) => {
    if (!isRecord(option)) {
      errors.push(wrongType(at('options', o), 'object'));
      return;
    }
    checkString(errors, option['label'], at('options', o, 'label'), 1, LIMITS.selectOptionText, true);
    checkString(errors, option['value'], at('options', o, 'value'), 1, LIMITS.selectOptionText, true);
    checkString(errors, option['description'], at('options', o, 'description'), 0, LIMITS.selectOptionText, false);
    const value = option['value'];
    if (typeof value === 'string') {
      if (values.has(value)) errors.push({ path: at('options', o, 'value'), code: 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', message: 'Select component option values must be unique' });
      values.add(value);
    }
  });
}

function validateClassicComponents(errors: FieldError[], rows: unknown[], path: FieldPath): void {
  if (rows.length > LIMITS.actionRows) errors.push(maxLength(path, LIMITS.actionRows));
  const seen = new Map<string, FieldPath>();
  rows.forEach((row, r) => {
    const rowPath: FieldPath = [...path, r];
    if (!isRecord(row) || row['type'] !== ACTION_ROW) {
      errors.push({ path: [...rowPath, 'type'], code: 'UNION_TYPE_CHOICES', message: 'Value of field "type" must be one of (1,).' });
      return;
    }
    const children = row['components'];
    if (!Array.isArray(children) || children.length < 1 || children.length > LIMITS.rowWidth) {
      errors.push(badLength([...rowPath, 'components'], 1, LIMITS.rowWidth));
      if (!Array.isArray(children)) return;
    }
    let width = 0;
    children.forEach((child, c) => {
      const childPath: FieldPath = [...rowPath, 'components', c];
      if (!isRecord(child)) {
        errors.push(wrongType(childPath, 'object'));
        return;
      }
      const type = child['type'];
      if (type === BUTTON) {
        width += 1;
        validateButton(errors, child, childPath, seen);
      } else if (typeof type === 'number' && SELECT_TYPES.has(type)) {
        width += LIMITS.rowWidth;
        validateSelect(errors, child, childPath, seen);
      } else {
        errors.push({ path: [...childPath, 'type'], code: 'UNION_TYPE_CHOICES', message: 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).' });
        return;
      }
      if (width > LIMITS.rowWidth) {
        errors.push({ path: childPath, code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', message: 'The specified component exceeds the maximum width' });
      }
    });
  });
}

const V2_TYPES = new Set([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17]);

function validateComponentsV2(errors: FieldError[], components: unknown[], path: FieldPath): void {
  const seen = new Map<string, FieldPath>();
  let count = 0;
  let text = 0;
  const walk = (list: unknown[], listPath: FieldPath): void => {
    list.forEach((component, i) => {
      const at: FieldPath = [...listPath, i];
      if (!isRecord(component)) {
        errors.push(wrongType(at, 'object'));
        return;
      }
      count += 1;
      const type = component['type'];
      if (typeof type !== 'number' || !V2_TYPES.has(type)) {
        errors.push({ path: [...at, 'type'], code: 'UNION_TYPE_CHOICES', message: 'Invalid component type.' });
        return;
      }
      if (type === BUTTON) validateButton(errors, component, at, seen);
      else if (SELECT_TYPES.has(type)) validateSelect(errors, component, at, seen);
      if (type === 10) text += lengthOf(component['content']);
      for (const key of ['components', 'items'] as const) {
        const nested = component[key];
        if (Array.isArray(nested)) walk(nested, [...at, key]);
      }
      const accessory = component['accessory'];
      if (isRecord(accessory)) walk([accessory], [...at, 'accessory']);
    });
  };
  walk(components, path);
  if (count > LIMITS.componentsV2Total) errors.push(maxLength(path, LIMITS.componentsV2Total));
  if (text > LIMITS.textDisplay) {
    errors.push({ path, code: 'MAX_TEXT_DISPLAY_LENGTH_EXCEEDED', message: `Text display content exceeds ${LIMITS.textDisplay} characters` });
  }
}

/** Type 8 autocomplete result. `optionType` is the focused option's type (3 string, 4 integer, 10 number). */
export function validateAutocompleteData(data: unknown, optionType: number): FieldError[] {
  const errors: FieldError[] = [];
  if (!isRecord(data) || !Array.isArray(data['choices'])) return [required(['data', 'choices'])];
  const choices = data['choices'];
  if (choices.length > LIMITS.autocompleteChoices) errors.push(maxLength(['data', 'choices'], LIMITS.autocompleteChoices));
  choices.forEach((choice, i) => {
    const at = (key: string): FieldPath => ['data', 'choices', i, key];
    if (!isRecord(choice)) {
      errors.push(wrongType(['data', 'choices', i], 'object'));
      return;
    }
    checkString(errors, choice['name'], at('name'), 1, LIMITS.choiceName, true);
    const value = choice['value'];
    if (optionType === 4 || optionType === 10) {
      if (typeof value !== 'number' || !Number.isFinite(value) || (optionType === 4 && !Number.isInteger(value))) {
        errors.push(wrongType(at('value'), optionType === 4 ? 'integer' : 'number'));
      }
    } else {
      checkString(errors, value, at('value'), 0, LIMITS.choiceStringValue, true);
    }
  });
  return errors;
}

export function validateModalData(data: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!isRecord(data)) return [required(['data'])];
  checkString(errors, data['custom_id'], ['data', 'custom_id'], 1, LIMITS.customId, true);
  checkString(errors, data['title'], ['data', 'title'], 1, LIMITS.modalTitle, true);
  const components = data['components'];
  if (!Array.isArray(components) || components.length < 1 || components.length > 5) errors.push(badLength(['data', 'components'], 1, 5));
  const seen = new Map<string, FieldPath>();
  records(components).forEach((row, r) => {
    for (const [c, child] of records(row['components']).entries()) checkCustomId(errors, child, ['data', 'components', r, 'components', c], seen);
    const single = row['component'];
    if (isRecord(single)) checkCustomId(errors, single, ['data', 'components', r, 'component'], seen);
  });
  return errors;
}
