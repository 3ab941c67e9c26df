// The router: finds the handler for an interaction, answers in time, and is the one error boundary.
// It answers at once when the handler is quick, and defers first when it is not, so a slow
// upstream can never cost the interaction its 3-second deadline.
import { UserError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Command, HandlerContext } from './context.ts';
import type { Interaction, Message, Outcome, Responder } from './types.ts';

export interface RouterOptions {
  commands: readonly Command[];
  context: HandlerContext;
  logger: Logger;
  /** How long a handler may take before the router defers (Discord allows 3000 ms in all). */
  deferAfterMs?: number;
}

const DEFAULT_DEFER_AFTER_MS = 1_200;

export function errorMessage(text: string): Message {
  return { content: `⚠️ ${text}`, embeds: [], components: [], ephemeral: true };
}

export class Router {
  private readonly byName = new Map<string, Command>();
  private readonly deferAfterMs: number;

  constructor(private readonly options: RouterOptions) {
    for (const command of options.commands) this.byName.set(command.data.name, command);
    this.deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  }

  async handle(interaction: Interaction, responder: Responder): Promise<void> {
    // a child logger only when something is logged: making one per interaction is not free (pino redacts its bindings)
    let child: Logger | undefined;
    const log = () => (child ??= this.options.logger.child({ interactionId: interaction.interactionId, kind: interaction.kind }));
    const started = performance.now();
    try {
      if (interaction.kind === 'autocomplete') {
        await this.autocomplete(interaction, responder, log);
      } else {
        await this.answer(interaction, responder, log);
      }
    } catch (error) {
      // the transport itself failed (Discord refused our answer, the token expired, …): nothing left to tell the user
      log().error({ err: error }, 'could not deliver an answer');
    } finally {
      if (this.options.logger.isLevelEnabled('debug')) log().debug({ ms: Math.round(performance.now() - started) }, 'interaction handled');
    }
  }

  private commandFor(interaction: Interaction): Command | undefined {
    if (interaction.kind === 'component') return this.options.commands.find((c) => interaction.customId.startsWith(c.componentPrefix)) ?? this.options.commands[0];
    return this.byName.get(interaction.command);
  }

  private async autocomplete(interaction: Interaction & { kind: 'autocomplete' }, responder: Responder, log: () => Logger): Promise<void> {
    let choices: Array<{ name: string; value: string }> = [];
    try {
      const command = this.commandFor(interaction);
      const outcome = command === undefined ? null : await command.autocomplete(interaction, this.options.context);
      if (outcome?.kind === 'choices') choices = outcome.choices;
    } catch (error) {
      log().error({ err: error }, 'autocomplete handler failed; answering with no choices');
    }
    await responder.autocomplete(choices);
  }

  private async answer(interaction: Interaction & { kind: 'command' | 'component' }, responder: Responder, log: () => Logger): Promise<void> {
    const command = this.commandFor(interaction);
    const work: Promise<Outcome> =
      command === undefined
        ? Promise.resolve({ kind: 'reply', message: errorMessage('I do not know this command any more. It may have been removed.') })
        : interaction.kind === 'command'
          ? command.execute(interaction, this.options.context)
          : command.component(interaction, this.options.context);
    const settled = work.then(
      (outcome) => ({ ok: true as const, outcome }),
      (error: unknown) => ({ ok: false as const, error }),
    );

    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.deferAfterMs);
    });
    const quick = await Promise.race([settled, slow]);
    clearTimeout(timer);

    if (quick !== null) {
      const outcome = quick.ok ? quick.outcome : this.failure(quick.error, log);
      if (outcome.kind === 'update') await responder.update(outcome.message);
      else if (outcome.kind === 'reply') await responder.reply(outcome.message);
      return;
    }

    // Slow: acknowledge now, deliver when ready.
    const deferredUpdate = interaction.kind === 'component';
    if (deferredUpdate) await responder.deferUpdate();
    else await responder.deferReply(false);
    const late = await settled;
    const outcome = late.ok ? late.outcome : this.failure(late.error, log);
    if (outcome.kind === 'choices') return;
    if (deferredUpdate) {
      // an update edits the clicked message; a reply (someone else's copy, an error) is a new ephemeral message
      if (outcome.kind === 'update') await responder.editReply(outcome.message);
      else await responder.followUp({ ...outcome.message, ephemeral: true });
    } else if (outcome.message.ephemeral) {
      // the deferred reply is public; an error (or any private answer) must not land in it
      await responder.deleteReply();
      await responder.followUp(outcome.message);
    } else {
      await responder.editReply(outcome.message);
    }
  }

  private failure(error: unknown, log: () => Logger): Outcome {
    if (error instanceof UserError) {
      log().info({ reason: error.message }, 'answered with a user-facing error');
      return { kind: 'reply', message: errorMessage(error.message) };
    }
    log().error({ err: error }, 'handler failed');
    return { kind: 'reply', message: errorMessage('Something went wrong on our side. It has been logged; please try again.') };
  }
}
