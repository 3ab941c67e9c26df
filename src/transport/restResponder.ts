// The Responder over Discord's REST API, for interactions that arrived on the gateway: interaction
// callbacks and the interaction's webhook, sent with discord.js's own REST client (its API base,
// retries and rate limits) as the JSON the renderers already made. discord.js's interaction.reply()
// would rebuild that JSON through its MessagePayload first, which costs more than our whole handler.
import type { REST } from '@discordjs/rest';
import { InteractionResponseType, Routes } from 'discord-api-types/v10';
import { editBody, messageBody, type Responder } from '../interactions/types.ts';
import { EPHEMERAL_FLAG } from '../render/limits.ts';

export interface InteractionRef {
  applicationId: string;
  /** The interaction's id and token (the token authorises its callback and webhook; it is never logged). */
  id: string;
  token: string;
}

export function restResponder(rest: REST, interaction: InteractionRef): Responder {
  // interaction callbacks and webhooks are authorised by the token in the URL, not the bot token
  const callback = async (body: unknown) => {
    await rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });
  };
  const original = Routes.webhookMessage(interaction.applicationId, interaction.token, '@original');
  return {
    reply: (m) => callback({ type: InteractionResponseType.ChannelMessageWithSource, data: messageBody(m) }),
    deferReply: (ephemeral) => callback({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: EPHEMERAL_FLAG } : {} }),
    update: (m) => callback({ type: InteractionResponseType.UpdateMessage, data: editBody(m) }),
    deferUpdate: () => callback({ type: InteractionResponseType.DeferredMessageUpdate }),
    autocomplete: (choices) => callback({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } }),
    async editReply(m) {
      await rest.patch(original, { body: editBody(m), auth: false });
    },
    async deleteReply() {
      await rest.delete(original, { auth: false });
    },
    async followUp(m) {
      await rest.post(Routes.webhook(interaction.applicationId, interaction.token), { body: messageBody(m), auth: false, query: new URLSearchParams({ wait: 'true' }) });
    },
  };
}
