// Application command definitions checked the way Discord checks a deploy (PUT/POST commands).

import type { FieldError, FieldPath } from './errors.ts';
import { isPresent, isRecord, lengthOf } from './json.ts';
import { LIMITS } from './limits.ts';

const CHAT_INPUT = 1;
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const STRING = 3;
const INTEGER = 4;
const NUMBER = 10;
const CHANNEL = 7;

// Discord's documented pattern for chat-input names (lowercase enforced separately).
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const invalidName = (path: FieldPath): FieldError => ({
  path,
  code: 'APPLICATION_COMMAND_INVALID_NAME',
  message: 'Command name is invalid',
});
const badLength = (path: FieldPath, min: number, max: number): FieldError => ({
  path,
  code: 'BASE_TYPE_BAD_LENGTH',
  message: `Must be between ${min} and ${max} in length.`,
});
const maxLength = (path: FieldPath, max: number): FieldError => ({
  path,
  code: 'BASE_TYPE_MAX_LENGTH',
  message: `Must be ${max} or fewer in length.`,
});

function checkChatInputName(errors: FieldError[], name: unknown, path: FieldPath): void {
  if (typeof name !== 'string' || !CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) errors.push(invalidName(path));
}

function checkDescription(errors: FieldError[], description: unknown, path: FieldPath): void {
  if (typeof description !== 'string' || description.length < 1 || description.length > LIMITS.commandDescription) {
    errors.push(badLength(path, 1, LIMITS.commandDescription));
  }
}

function checkLocalizations(errors: FieldError[], value: unknown, path: FieldPath, kind: 'name' | 'description', chatInput: boolean): void {
  if (!isPresent(value)) return;
  if (!isRecord(value)) {
    errors.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return;
  }
  for (const [locale, text] of Object.entries(value)) {
    if (kind === 'name' && chatInput) checkChatInputName(errors, text, [...path, locale]);
    else if (kind === 'name') {
      if (typeof text !== 'string' || text.length < 1 || text.length > LIMITS.commandName) errors.push(badLength([...path, locale], 1, LIMITS.commandName));
    } else checkDescription(errors, text, [...path, locale]);
  }
}

/** Longest of the default text and its localizations, as Discord counts command size. */
function longest(text: unknown, localizations: unknown): number {
  let best = lengthOf(text);
  if (isRecord(localizations)) for (const value of Object.values(localizations)) best = Math.max(best, lengthOf(value));
  return best;
}

type Level = 'command' | 'group' | 'subcommand';

/** Validates one option list; returns the characters it contributes to the command size. */
function checkOptions(errors: FieldError[], options: unknown, path: FieldPath, level: Level): number {
  if (!isPresent(options)) {
    if (level === 'group') errors.push(badLength(path, 1, LIMITS.commandOptions));
    return 0;
  }
  if (!Array.isArray(options)) {
    errors.push({ path, code: 'BASE_TYPE_ARRAY', message: 'Must be a valid array.' });
    return 0;
  }
  if (options.length > LIMITS.commandOptions) errors.push(maxLength(path, LIMITS.commandOptions));
  if (level === 'group' && options.length === 0) errors.push(badLength(path, 1, LIMITS.commandOptions));

  let size = 0;
  let sawOptional = false;
  let sawSub = false;
  let sawLeaf = false;
  const names = new Set<string>();
  options.forEach((option, i) => {
    const at = (...rest: FieldPath): FieldPath => [...path, i, ...rest];
    if (!isRecord(option)) {
      errors.push({ path: at(), code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
      return;
    }
    const type = option['type'];
    if (typeof type !== 'number' || !Number.isInteger(type) || type < 1 || type > 11) {
      errors.push({ path: at('type'), code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.' });
      return;
    }
    const name = option['name'];
    checkChatInputName(errors, name, at('name'));
    if (typeof name === 'string') {
      if (names.has(name)) errors.push({ path: at('name'), code: 'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS', message: 'Option name already exists' });
      names.add(name);
    }
    checkDescription(errors, option['description'], at('description'));
    checkLocalizations(errors, option['name_localizations'], at('name_localizations'), 'name', true);
    checkLocalizations(errors, option['description_localizations'], at('description_localizations'), 'description', true);
    size += longest(name, option['name_localizations']) + longest(option['description'], option['description_localizations']);

    const isSub = type === SUB_COMMAND || type === SUB_COMMAND_GROUP;
    if (isSub) sawSub = true;
    else sawLeaf = true;

    if (type === SUB_COMMAND_GROUP && level !== 'command') {
      errors.push({ path: at('type'), code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Sub-command groups can only be used at the top level' });
    }
    if (type === SUB_COMMAND && level === 'subcommand') {
      errors.push({ path: at('type'), code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Sub-commands cannot be nested in sub-commands' });
    }
    if (level === 'group' && type !== SUB_COMMAND) {
      errors.push({ path: at('type'), code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Sub-command groups can only contain sub-commands' });
    }

    if (isSub) {
      if (isPresent(option['required']) && option['required'] !== false) {
        errors.push({ path: at('required'), code: 'APPLICATION_COMMAND_OPTION_REQUIRED_INVALID', message: 'Sub-commands cannot be required' });
      }
      size += checkOptions(errors, option['options'], at('options'), type === SUB_COMMAND_GROUP ? 'group' : 'subcommand');
      return;
    }

    if (isPresent(option['options'])) {
      errors.push({ path: at('options'), code: 'APPLICATION_COMMAND_OPTION_OPTIONS_INVALID', message: 'Only sub-commands and groups can have options' });
    }
    const isRequired = option['required'] === true;
    if (isPresent(option['required']) && typeof option['required'] !== 'boolean') {
      errors.push({ path: at('required'), code: 'BASE_TYPE_BOOLEAN', message: 'Must be either true or false.' });
    }
    if (isRequired && sawOptional) {
      errors.push({ path, code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (!isRequired) sawOptional = true;
    size += checkLeafOption(errors, option, type, at);
  });

  if (sawSub && sawLeaf) {
    errors.push({ path, code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', message: 'Sub-commands and groups cannot be mixed with other options' });
  }
  return size;
}

function checkLeafOption(errors: FieldError[], option: Record<string, unknown>, type: number, at: (...rest: FieldPath) => FieldPath): number {
  let size = 0;
  const choices = option['choices'];
  const hasChoices = Array.isArray(choices) && choices.length > 0;
  const numeric = type === INTEGER || type === NUMBER;

  if (isPresent(choices)) {
    if (!Array.isArray(choices)) errors.push({ path: at('choices'), code: 'BASE_TYPE_ARRAY', message: 'Must be a valid array.' });
    else {
      if (type !== STRING && !numeric && choices.length > 0) {
        errors.push({ path: at('choices'), code: 'APPLICATION_COMMAND_OPTION_CHOICES_INVALID', message: 'Choices are only allowed for string, integer and number options' });
      }
      if (choices.length > LIMITS.commandChoices) errors.push(maxLength(at('choices'), LIMITS.commandChoices));
      choices.forEach((choice, c) => {
        if (!isRecord(choice)) {
          errors.push({ path: at('choices', c), code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
          return;
        }
        const choiceName = choice['name'];
        if (typeof choiceName !== 'string' || choiceName.length < 1 || choiceName.length > LIMITS.choiceName) {
          errors.push(badLength(at('choices', c, 'name'), 1, LIMITS.choiceName));
        }
        checkLocalizations(errors, choice['name_localizations'], at('choices', c, 'name_localizations'), 'name', false);
        const value = choice['value'];
        if (type === STRING) {
          if (typeof value !== 'string' || value.length < 1 || value.length > LIMITS.choiceStringValue) {
            errors.push(badLength(at('choices', c, 'value'), 1, LIMITS.choiceStringValue));
          }
        } else if (type === INTEGER) {
          if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
            errors.push({ path: at('choices', c, 'value'), code: 'BASE_TYPE_INTEGER', message: 'Must be a valid integer.' });
          }
        } else if (type === NUMBER && (typeof value !== 'number' || !Number.isFinite(value))) {
          errors.push({ path: at('choices', c, 'value'), code: 'BASE_TYPE_NUMBER', message: 'Must be a valid number.' });
        }
        size += longest(choiceName, choice['name_localizations']) + String(value ?? '').length;
      });
    }
  }

  const autocomplete = option['autocomplete'];
  if (autocomplete === true) {
    if (type !== STRING && !numeric) {
      errors.push({ path: at('autocomplete'), code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID', message: 'Autocomplete is only allowed for string, integer and number options' });
    }
    if (hasChoices) {
      errors.push({ path: at('autocomplete'), code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES', message: 'Autocomplete and choices cannot both be set' });
    }
  }

  for (const key of ['min_value', 'max_value'] as const) {
    const value = option[key];
    if (!isPresent(value)) continue;
    if (!numeric) errors.push({ path: at(key), code: 'APPLICATION_COMMAND_OPTION_MIN_MAX_INVALID', message: `${key} is only allowed for integer and number options` });
    else if (typeof value !== 'number' || !Number.isFinite(value) || (type === INTEGER && !Number.isInteger(value))) {
      errors.push({ path: at(key), code: type === INTEGER ? 'BASE_TYPE_INTEGER' : 'BASE_TYPE_NUMBER', message: 'Must be a valid number.' });
    }
  }
  const minValue = option['min_value'];
  const maxValue = option['max_value'];
  if (typeof minValue === 'number' && typeof maxValue === 'number' && minValue > maxValue) {
    errors.push({ path: at('min_value'), code: 'APPLICATION_COMMAND_OPTION_MIN_GREATER_THAN_MAX', message: 'min_value must be less than or equal to max_value' });
  }

  for (const [key, min] of [['min_length', 0], ['max_length', 1]] as const) {
    const value = option[key];
    if (!isPresent(value)) continue;
    if (type !== STRING) errors.push({ path: at(key), code: 'APPLICATION_COMMAND_OPTION_LENGTH_INVALID', message: `${key} is only allowed for string options` });
    else if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > LIMITS.stringOptionLength) {
      errors.push({ path: at(key), code: 'NUMBER_TYPE_MAX', message: `int value should be between ${min} and ${LIMITS.stringOptionLength}.` });
    }
  }
  if (isPresent(option['channel_types']) && type !== CHANNEL) {
    errors.push({ path: at('channel_types'), code: 'APPLICATION_COMMAND_OPTION_CHANNEL_TYPES_INVALID', message: 'channel_types is only allowed for channel options' });
  }
  return size;
}

/** Validates one command at `path` (`[]` for a single POST, `[index]` inside a PUT array). */
export function validateCommand(command: unknown, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (!isRecord(command)) return [{ path, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' }];
  const type = command['type'] ?? CHAT_INPUT;
  if (typeof type !== 'number' || ![1, 2, 3, 4].includes(type)) {
    errors.push({ path: [...path, 'type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 2, 3, 4}.' });
    return errors;
  }
  const name = command['name'];
  const chatInput = type === CHAT_INPUT;
  if (chatInput) checkChatInputName(errors, name, [...path, 'name']);
  else if (typeof name !== 'string' || name.length < 1 || name.length > LIMITS.commandName) errors.push(badLength([...path, 'name'], 1, LIMITS.commandName));
  checkLocalizations(errors, command['name_localizations'], [...path, 'name_localizations'], 'name', chatInput);

  const description = command['description'];
  if (chatInput) {
    checkDescription(errors, description, [...path, 'description']);
    checkLocalizations(errors, command['description_localizations'], [...path, 'description_localizations'], 'description', true);
    const size =
      longest(name, command['name_localizations']) +
      longest(description, command['description_localizations']) +
      checkOptions(errors, command['options'], [...path, 'options'], 'command');
    if (size > LIMITS.commandTotalChars) {
      errors.push({ path, code: 'APPLICATION_COMMAND_TOO_LARGE', message: `Command exceeds maximum size (${LIMITS.commandTotalChars})` });
    }
  } else {
    if (isPresent(description) && description !== '') {
      errors.push({ path: [...path, 'description'], code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID', message: 'Context menu commands cannot have a description' });
    }
    if (Array.isArray(command['options']) && command['options'].length > 0) {
      errors.push({ path: [...path, 'options'], code: 'APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS_INVALID', message: 'Context menu commands cannot have options' });
    }
  }
  const permissions = command['default_member_permissions'];
  if (isPresent(permissions) && (typeof permissions !== 'string' || !/^\d+$/.test(permissions))) {
    errors.push({ path: [...path, 'default_member_permissions'], code: 'BASE_TYPE_STRING', message: 'Must be a permission bitfield as a string.' });
  }
  return errors;
}

/** Validates a bulk overwrite (PUT): every command, unique names per type, per-type counts. */
export function validateCommandList(body: unknown): FieldError[] {
  if (!Array.isArray(body)) return [{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be a valid array.' }];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const perType = new Map<number, number>();
  body.forEach((command, i) => {
    errors.push(...validateCommand(command, [i]));
    if (!isRecord(command)) return;
    const type = typeof command['type'] === 'number' ? command['type'] : CHAT_INPUT;
    const key = `${type}:${String(command['name'])}`;
    if (seen.has(key)) {
      errors.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` });
    }
    seen.add(key);
    perType.set(type, (perType.get(type) ?? 0) + 1);
  });
  if ((perType.get(1) ?? 0) > LIMITS.chatInputCommands) errors.push(maxLength([], LIMITS.chatInputCommands));
  for (const type of [2, 3]) {
    if ((perType.get(type) ?? 0) > LIMITS.contextMenuCommands) {
      errors.push({ path: [], code: 'APPLICATION_COMMANDS_TOO_MANY', message: `Maximum number of type ${type} commands reached (${LIMITS.contextMenuCommands})` });
    }
  }
  return errors;
}
