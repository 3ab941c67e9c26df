// The Responder over Discord's REST API, for interactions that arrived on the gateway: interaction
// callbacks and the interaction's webhook, sent with discord.js's own REST client (its API base,
// retries and rate limits) as the JSON the renderers already made. discord.js's interaction.reply()
// would rebuild that JSON through its MessagePayload first, which costs more than our whole handler.
import type { REST } from '@discordjs/rest';
import { InteractionResponseType, Routes } from 'discord-api-types/v10';
import { callbackJson, editBody, messageBody, type Message, type Responder } from '../interactions/types.ts';
import { EPHEMERAL_FLAG } from '../render/limits.ts';

export interface InteractionRef {
  applicationId: string;
  /** The interaction's id and token (the token authorises its callback and webhook; it is never logged). */
  id: string;
  token: string;
}

/** Methods on a prototype, not closures made per interaction. */
class RestResponder implements Responder {
  private readonly callbackRoute: `/${string}`;
  private readonly original: `/${string}`;
  private readonly webhook: `/${string}`;

  constructor(
    private readonly rest: REST,
    interaction: InteractionRef,
  ) {
    this.callbackRoute = Routes.interactionCallback(interaction.id, interaction.token);
    this.original = Routes.webhookMessage(interaction.applicationId, interaction.token, '@original');
    this.webhook = Routes.webhook(interaction.applicationId, interaction.token);
  }

  // interaction callbacks and webhooks are authorised by the token in the URL, not the bot token
  private async callback(body: unknown): Promise<void> {
    await this.rest.post(this.callbackRoute, { body, auth: false });
  }

  // a message's callback bytes may be shared with other answers (callbackJson): sent as they are
  private async callbackBytes(json: Buffer): Promise<void> {
    await this.rest.post(this.callbackRoute, { body: json, passThroughBody: true, headers: { 'Content-Type': 'application/json' }, auth: false });
  }

  reply(m: Message): Promise<void> {
    return this.callbackBytes(callbackJson('reply', m));
  }

  deferReply(ephemeral: boolean): Promise<void> {
    return this.callback({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: EPHEMERAL_FLAG } : {} });
  }

  update(m: Message): Promise<void> {
    return this.callbackBytes(callbackJson('update', m));
  }

  deferUpdate(): Promise<void> {
    return this.callback({ type: InteractionResponseType.DeferredMessageUpdate });
  }

  autocomplete(choices: Array<{ name: string; value: string }>): Promise<void> {
    return this.callback({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
  }

  async editReply(m: Message): Promise<void> {
    await this.rest.patch(this.original, { body: editBody(m), auth: false });
  }

  async deleteReply(): Promise<void> {
    await this.rest.delete(this.original, { auth: false });
  }

  async followUp(m: Message): Promise<void> {
    await this.rest.post(this.webhook, { body: messageBody(m), auth: false, query: new URLSearchParams({ wait: 'true' }) });
  }
}

export function restResponder(rest: REST, interaction: InteractionRef): Responder {
  return new RestResponder(rest, interaction);
}
