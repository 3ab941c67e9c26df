// What the gateway transport sends for each answer: the raw interaction callbacks and webhook calls,
// captured by a plain HTTP server standing in for Discord's REST API (through discord.js's real REST client).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/interactions/types.ts';
import { restResponder } from '../../src/transport/restResponder.ts';

interface Captured {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

const captured: Captured[] = [];
let server: ReturnType<typeof createServer>;
let rest: REST;

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      // discord-api-types writes @original as %40original, as Discord accepts; compared decoded
      captured.push({ method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), authorization: req.headers.authorization, body });
      if (req.method === 'DELETE' || req.url?.endsWith('/callback')) {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rest = new REST({ api: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api` }).setToken('bot-token-never-sent');
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const list: Message = { embeds: [{ title: 'Spacecraft' }], components: [], ephemeral: false };
const privateNote: Message = { content: '⚠️ Expired', embeds: [], components: [], ephemeral: true };

describe('the gateway responder', () => {
  it('sends each answer as the callback or webhook call Discord expects, without the bot token', async () => {
    captured.length = 0;
    const responder = restResponder(rest, { applicationId: '100', id: '200', token: 'interaction-token' });
    await responder.reply(list);
    await responder.reply(privateNote);
    await responder.deferReply(true);
    await responder.update(privateNote);
    await responder.deferUpdate();
    await responder.autocomplete([{ name: 'Soyuz', value: '1' }]);
    await responder.editReply(list);
    await responder.followUp(privateNote);
    await responder.deleteReply();

    const none = { parse: [] };
    expect(captured.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: 'POST', path: '/api/v10/interactions/200/interaction-token/callback', body: { type: 4, data: { embeds: [{ title: 'Spacecraft' }], components: [], allowed_mentions: none } } },
      { method: 'POST', path: '/api/v10/interactions/200/interaction-token/callback', body: { type: 4, data: { content: '⚠️ Expired', embeds: [], components: [], allowed_mentions: none, flags: 64 } } },
      { method: 'POST', path: '/api/v10/interactions/200/interaction-token/callback', body: { type: 5, data: { flags: 64 } } },
      // an edit replaces every part (no text left behind) and never carries flags
      { method: 'POST', path: '/api/v10/interactions/200/interaction-token/callback', body: { type: 7, data: { content: '⚠️ Expired', embeds: [], components: [], allowed_mentions: none } } },
      { method: 'POST', path: '/api/v10/interactions/200/interaction-token/callback', body: { type: 6 } },
      { method: 'POST', path: '/api/v10/interactions/200/interaction-token/callback', body: { type: 8, data: { choices: [{ name: 'Soyuz', value: '1' }] } } },
      { method: 'PATCH', path: '/api/v10/webhooks/100/interaction-token/messages/@original', body: { content: '', embeds: [{ title: 'Spacecraft' }], components: [], allowed_mentions: none } },
      { method: 'POST', path: '/api/v10/webhooks/100/interaction-token?wait=true', body: { content: '⚠️ Expired', embeds: [], components: [], allowed_mentions: none, flags: 64 } },
      { method: 'DELETE', path: '/api/v10/webhooks/100/interaction-token/messages/@original', body: undefined },
    ]);
    // interaction callbacks and webhooks are authorised by their token: the bot token is never sent
    expect(captured.map((c) => c.authorization)).toEqual(captured.map(() => undefined));
  });
});
