// Turning a validated command definition into what Discord stores and returns.

import { isRecord } from './json.ts';
import type { FakeState } from './state.ts';
import type { Command, CommandOption, JsonObject } from './types.ts';

function isCommandOption(value: unknown): value is CommandOption {
  return isRecord(value) && typeof value['type'] === 'number' && typeof value['name'] === 'string';
}

export function buildStoredCommand(state: FakeState, body: JsonObject, id: string, guildId: string | null): Command {
  const type = typeof body['type'] === 'number' ? body['type'] : 1;
  const command: Command = {
    default_member_permissions: null,
    nsfw: false,
    contexts: null,
    integration_types: [0],
    ...body,
    id,
    application_id: state.config.applicationId,
    version: state.ids.next(),
    type,
    name: String(body['name']),
    description: typeof body['description'] === 'string' ? body['description'] : '',
  };
  if (Array.isArray(body['options'])) command.options = body['options'].filter(isCommandOption);
  else delete command.options;
  if (guildId === null) {
    delete command.guild_id;
    command['dm_permission'] = body['dm_permission'] ?? true;
  } else {
    command.guild_id = guildId;
  }
  return structuredClone(command);
}
