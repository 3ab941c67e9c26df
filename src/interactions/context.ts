// What command handlers are given: the service, page states, this second's drawn pages, a clock and a
// logger — nothing global.
import type { Logger } from '../log.ts';
import type { SpacecraftService } from '../service/spacecraft.ts';
import type { AnswerCache } from './answerCache.ts';
import type { PageStates } from './pageState.ts';
import type { AutocompleteInteraction, CommandInteraction, ComponentInteraction, Outcome } from './types.ts';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';

export interface HandlerContext {
  service: SpacecraftService;
  pages: PageStates;
  /** List pages drawn this second, for everyone who asks the same (answerCache.ts). */
  answers: AnswerCache;
  now: () => number;
  logger: Logger;
}

/** A slash command: its JSON definition and plain-data handlers (see commands/). */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** custom_id prefix this command's components use */
  componentPrefix: string;
  execute(interaction: CommandInteraction, context: HandlerContext): Promise<Outcome>;
  autocomplete(interaction: AutocompleteInteraction, context: HandlerContext): Promise<Outcome>;
  component(interaction: ComponentInteraction, context: HandlerContext): Promise<Outcome>;
}
