// Discord's hard limits (../shared/discord/DISCORD-NOTES.md). Exceeding any is a 50035 rejection.

export const EMBED = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  authorName: 256,
  total: 6000,
  perMessage: 10,
} as const;

export const MESSAGE = { content: 2000 } as const;

export const COMPONENTS = {
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  selectOptionDescription: 100,
  selectPlaceholder: 150,
} as const;

export const AUTOCOMPLETE = { maxChoices: 25, maxNameLength: 100, maxValueLength: 100 } as const;

export const EPHEMERAL_FLAG = 64;
