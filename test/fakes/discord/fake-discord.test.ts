import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ECHO_BUTTON_ID, ECHO_SELECT_ID, startEchoBot, type EchoBot } from './echo-bot.ts';
import { formatPath } from './errors.ts';
import { fakeUser, guildIdForShard, startFakeDiscord, type FakeDiscord } from './index.ts';
import { validateCommandList } from './validate-command.ts';
import { validateAutocompleteData, validateMessageBody } from './validate-message.ts';

const ada = fakeUser('ada');
const grace = fakeUser('grace');

const echoCommands = [
  {
    name: 'echo',
    description: 'Echo the arguments',
    options: [
      { type: 3, name: 'text', description: 'What to echo', required: true },
      { type: 4, name: 'count', description: 'How many', min_value: 1, max_value: 5 },
      { type: 3, name: 'topic', description: 'Autocompleted', autocomplete: true },
      { type: 5, name: 'ephemeral', description: 'Only for me' },
    ],
  },
  {
    name: 'lookup',
    description: 'Sub-commands',
    options: [
      { type: 1, name: 'rocket', description: 'A rocket', options: [{ type: 4, name: 'id', description: 'Id', required: true, autocomplete: true }] },
    ],
  },
  { name: 'defer', description: 'Deferred echo', options: [{ type: 5, name: 'ephemeral', description: 'Only for me' }] },
  { name: 'embed', description: 'Embed echo', options: [{ type: 4, name: 'value_length', description: 'Length of the 4th field' }] },
];

async function deploy(fake: FakeDiscord, bot: EchoBot): Promise<void> {
  await bot.client.application.commands.set(echoCommands);
  expect(fake.commands.global.map((c) => c.name)).toEqual(['echo', 'lookup', 'defer', 'embed']);
}

describe('fake discord with one shard and the echo bot', () => {
  let fake: FakeDiscord;
  let bot: EchoBot;
  let takeOver: ((interaction: Interaction) => void) | undefined;

  beforeAll(async () => {
    fake = await startFakeDiscord();
    bot = await startEchoBot({
      restBase: fake.restBase,
      token: fake.token,
      beforeAnswer: (interaction) => {
        // Simulates a bot that takes more than 3 s before its first answer.
        if (interaction.isChatInputCommand() && interaction.options.getString('text') === 'slow') {
          fake.clock.advance(3001);
        }
        if (takeOver !== undefined && interaction.isChatInputCommand() && interaction.options.getString('text') === 'manual') {
          takeOver(interaction);
          throw new Error('answered by the test');
        }
      },
    });
    await deploy(fake, bot);
  });

  afterAll(async () => {
    await bot.stop();
    await fake.close();
  });

  it('logs the real discord.js client in over REST + gateway', async () => {
    await fake.waitForShards(1);
    expect(bot.client.isReady()).toBe(true);
    expect(bot.client.user.id).toBe(fake.applicationId);
    expect(bot.client.application.id).toBe(fake.applicationId);
    expect(fake.identifies[0]?.shard).toEqual([0, 1]);
    expect(fake.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds);
    const guild = fake.guilds[0];
    expect(guild && bot.client.guilds.cache.get(guild.id)?.name).toBe('Fake Guild 0');
    expect(fake.requests.find((r) => r.path === '/gateway/bot')?.authorized).toBe(true);
  });

  it('round-trips a slash command into a reply with components', async () => {
    const result = await fake.slash(ada, 'echo', null, { text: 'hello', count: 2 });
    expect(result.settled).toBe(true);
    expect(result.type).toBe(4);
    expect(result.error).toBeUndefined();
    expect(result.message?.content).toBe('echo /echo text=hello count=2');
    expect(result.message?.type).toBe(20);
    expect(result.message?.allowed_mentions).toEqual({ parse: [] });
    expect(result.ephemeral).toBe(false);
    expect(result.callbacks.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 204']);
    expect(fake.message(result.message?.id ?? '')?.components).toHaveLength(2);
  });

  it('types options from the deployed command and refuses undeclared ones', async () => {
    const result = await fake.slash(ada, 'lookup', 'rocket', { id: 42 });
    expect(result.message?.content).toBe('echo /lookup rocket id=42');
    await expect(fake.slash(ada, 'echo', null, { text: 'x', nope: 1 })).rejects.toThrow(/not declared/);
    await expect(fake.slash(ada, 'echo', null, { count: 1 })).rejects.toThrow(/"text" is required/);
    await expect(fake.slash(ada, 'echo', null, { text: 'x', count: 9 })).rejects.toThrow(/outside/);
  });

  it('marks ephemeral replies', async () => {
    const result = await fake.slash(ada, 'echo', null, { text: 'psst', ephemeral: true });
    expect(result.ephemeral).toBe(true);
    expect(result.message?.flags).toBe(64);
  });

  it('leaves the copies of the answer out when asked (load drivers), still checking and recording it', async () => {
    const result = await fake.slash(ada, 'echo', null, { text: 'quiet', ephemeral: true }, { copyMessages: false });
    expect(result.settled).toBe(true);
    expect(result.type).toBe(4);
    expect(result.message).toBeUndefined();
    expect(result.followUps).toEqual([]);
    expect(result.ephemeral).toBe(true);
    const stored = [...fake.messages.values()].find((m) => m.interactionId === result.interactionId);
    expect(stored?.content).toBe('echo /echo text=quiet ephemeral=true');
  });

  it('settles a deferred reply on its first edit', async () => {
    const result = await fake.slash(ada, 'defer', null, {});
    expect(result.type).toBe(5);
    expect(result.message?.content).toBe('echo /defer');
    expect(result.message?.flags).toBe(0);
    expect(result.message?.edits).toBe(1);
    expect(result.callbacks.map((c) => `${c.method} ${c.path.replace(/\/webhooks\/\d+\/[^/]+/, '/webhooks/:app/:token')}`)).toEqual([
      `POST /interactions/${result.interactionId}/${result.token}/callback`,
      'PATCH /webhooks/:app/:token/messages/@original',
    ]);
  });

  it('answers autocomplete with choices, typed by the focused option', async () => {
    const result = await fake.autocomplete(ada, 'echo', null, { text: 'a', topic: 'rock' }, 'topic');
    expect(result.type).toBe(8);
    expect(result.choices).toEqual([{ name: 'topic: rock', value: 'rock' }]);

    // The echo bot answers a string value for an integer option: Discord rejects that.
    const wrong = await fake.autocomplete(ada, 'lookup', 'rocket', { id: 4 }, 'id', { settleOnError: true });
    expect(wrong.error).toEqual({ status: 400, code: 50035 });
    expect(wrong.errors[0]?.paths).toEqual(['data.choices[0].value']);
  });

  it('clicks a button and picks from a select, updating the message', async () => {
    const reply = await fake.slash(ada, 'echo', null, { text: 'click me' });
    const message = reply.message;
    if (message === undefined) throw new Error('no reply');

    const clicked = await fake.click(message, ECHO_BUTTON_ID, grace);
    expect(clicked.type).toBe(7);
    expect(clicked.message?.id).toBe(message.id);
    expect(clicked.message?.content).toBe('clicked echo:again by grace');
    expect(fake.message(message.id)?.edits).toBe(1);

    const picked = await fake.select(message, ECHO_SELECT_ID, ['a', 'c'], grace);
    expect(picked.message?.content).toBe('picked a,c');
    expect(fake.message(message.id)?.edits).toBe(2);

    await expect(fake.select(message, ECHO_SELECT_ID, ['z'], grace)).rejects.toThrow(/not an option/);
    await expect(fake.click(message, 'missing', grace)).rejects.toThrow(/no component "missing"/);
  });

  it('only lets the invoking user click an ephemeral message', async () => {
    const reply = await fake.slash(ada, 'echo', null, { text: 'mine', ephemeral: true });
    const message = reply.message;
    if (message === undefined) throw new Error('no reply');
    await expect(fake.click(message, ECHO_BUTTON_ID, grace)).rejects.toThrow(/cannot see ephemeral/);
    const clicked = await fake.click(message, ECHO_BUTTON_ID, ada);
    expect(clicked.message?.content).toBe('clicked echo:again by ada');
    expect(clicked.ephemeral).toBe(true);
  });

  it('serves DMs and guilds the bot has not cached', async () => {
    const dm = await fake.slash(ada, 'echo', null, { text: 'dm' }, { dm: true });
    expect(dm.message?.content).toBe('echo /echo text=dm');
    expect(fake.interactions.get(dm.interactionId)?.payload).toMatchObject({ context: 1, user: { id: ada.id } });
    const elsewhere = guildIdForShard(0, 1, 99);
    expect(bot.client.guilds.cache.has(elsewhere)).toBe(false);
    const uncached = await fake.slash(ada, 'echo', null, { text: 'far' }, { guildId: elsewhere });
    expect(uncached.message?.content).toBe('echo /echo text=far');
    const clicked = await fake.click(uncached.message?.id ?? '', ECHO_BUTTON_ID, grace);
    expect(clicked.message?.content).toBe('clicked echo:again by grace');
  });

  it('answers 10062 when the first answer comes after 3 s (fake clock)', async () => {
    const result = await fake.slash(ada, 'echo', null, { text: 'slow' });
    expect(result.settled).toBe(true);
    expect(result.type).toBeNull();
    expect(result.error).toEqual({ status: 404, code: 10062 });
    const error = bot.errors.find((e) => e instanceof DiscordAPIError && e.code === 10062);
    expect(error).toBeDefined();
  });

  it('answers 50027 to edits and follow-ups after 15 minutes (fake clock)', async () => {
    const result = await fake.slash(ada, 'echo', null, { text: 'later' });
    const interaction = bot.interactions.get(result.interactionId) as ChatInputCommandInteraction | undefined;
    if (interaction === undefined) throw new Error('bot never saw the interaction');

    fake.clock.advance(14 * 60 * 1000);
    await expect(interaction.editReply({ content: 'still in time' })).resolves.toBeDefined();
    expect(fake.message(result.message?.id ?? '')?.content).toBe('still in time');

    fake.clock.advance(60 * 1000 + 1);
    await expect(interaction.editReply({ content: 'too late' })).rejects.toMatchObject({ status: 401, code: 50027 });
    await expect(interaction.followUp({ content: 'too late' })).rejects.toMatchObject({ status: 401, code: 50027 });
    expect(fake.message(result.message?.id ?? '')?.content).toBe('still in time');
  });

  it('rejects an oversized embed with the path of the bad field', async () => {
    const result = await fake.slash(ada, 'embed', null, { value_length: 1025 }, { settleOnError: true });
    expect(result.type).toBeNull();
    expect(result.error).toEqual({ status: 400, code: 50035 });
    expect(result.errors[0]?.paths).toEqual(['data.embeds[0].fields[3].value']);
    const error = bot.errors.filter((e) => e instanceof DiscordAPIError && e.code === 50035).at(-1);
    expect(String((error as Error | undefined)?.message)).toContain('data.embeds[0].fields[3].value[BASE_TYPE_MAX_LENGTH]');

    const fine = await fake.slash(ada, 'embed', null, { value_length: 1024 });
    expect(fine.type).toBe(4);
  });

  it('supports with_response, files, fetch, ephemeral follow-ups and delete from the real client', async () => {
    const taken = new Promise<Interaction>((resolve) => {
      takeOver = resolve;
    });
    const pending = fake.slash(ada, 'echo', null, { text: 'manual' });
    const interaction = await taken;
    takeOver = undefined;
    if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');

    const original = `${fake.restBase}/v10/webhooks/${fake.applicationId}/${interaction.token}/messages/%40original`;
    const early = await fetch(original, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"content":"x"}' });
    expect(early.status).toBe(404);
    expect(await early.json()).toMatchObject({ code: 10015 });

    const response = await interaction.reply({
      content: 'with file',
      files: [{ attachment: Buffer.from('hello'), name: 'hello.txt' }],
      withResponse: true,
    });
    expect(response.resource?.message?.content).toBe('with file');
    expect(response.resource?.message?.attachments.first()?.name).toBe('hello.txt');
    const result = await pending;
    expect(result.message?.attachments).toHaveLength(1);
    expect(result.callbacks[1]?.files.map((f) => f.name)).toEqual(['hello.txt']);

    expect((await interaction.fetchReply()).content).toBe('with file');
    const followUp = await interaction.followUp({ content: 'more', flags: MessageFlags.Ephemeral });
    expect(fake.message(followUp.id)?.ephemeral).toBe(true);
    expect(fake.message(followUp.id)?.interaction_metadata).toMatchObject({ original_response_message_id: result.message?.id });
    await expect(interaction.followUp({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(interaction.followUp({})).rejects.toMatchObject({ status: 400, code: 50006 });

    await interaction.deleteReply();
    expect(fake.message(result.message?.id ?? '')?.deleted).toBe(true);
    await expect(interaction.editReply('gone')).rejects.toMatchObject({ status: 404, code: 10008 });
  });

  it('rejects a bad command deploy with 50035 and keeps the old commands', async () => {
    const bad = [{ name: 'Bad Name', description: 'x'.repeat(101), options: [{ type: 3, name: 'a', description: 'a', autocomplete: true, choices: [{ name: 'b', value: 'b' }] }] }];
    const error: unknown = await bot.client.application.commands.set(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    const request = fake.requests.findLast((r) => r.method === 'PUT');
    expect(request?.error?.paths).toEqual(['[0].name', '[0].description', '[0].options[0].autocomplete']);
    expect(fake.commands.global.map((c) => c.name)).toEqual(['echo', 'lookup', 'defer', 'embed']);
  });

  it('keeps command ids stable across deploys and stores guild commands', async () => {
    const before = fake.commands.global.find((c) => c.name === 'echo')?.id;
    await bot.client.application.commands.set(echoCommands);
    expect(fake.commands.global.find((c) => c.name === 'echo')?.id).toBe(before);
    const guildId = fake.guilds[0]?.id ?? '';
    await bot.client.application.commands.set([{ name: 'local', description: 'Guild only' }], guildId);
    expect(fake.commands.guilds.get(guildId)?.map((c) => c.guild_id)).toEqual([guildId]);
    await expect(bot.client.application.commands.set([], '123456789012345678')).rejects.toMatchObject({ status: 403, code: 50001 });
  });
});

describe('fake discord strictness beyond one bot', () => {
  const bots: EchoBot[] = [];
  let fake: FakeDiscord | undefined;

  afterEach(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.stop()));
    await fake?.close();
    fake = undefined;
  });

  it('answers 40060 when two sessions answer the same interaction', async () => {
    fake = await startFakeDiscord();
    bots.push(await startEchoBot({ restBase: fake.restBase, token: fake.token }));
    bots.push(await startEchoBot({ restBase: fake.restBase, token: fake.token }));
    const result = await fake.slash(ada, 'ping', null, {});
    expect(result.type).toBe(4);
    // Both bots got the event; whichever answered second was refused.
    await fake.waitForRequest((r) => r.interactionId === result.interactionId && r.error?.code === 40060);
    expect(fake.interactions.get(result.interactionId)?.requests.map((c) => c.status).sort()).toEqual([204, 400]);
  });

  it('routes interactions to the shard that owns the guild', async () => {
    fake = await startFakeDiscord({ shardCount: 2 });
    const bot = await startEchoBot({ restBase: fake.restBase, token: fake.token, shards: 'auto' });
    bots.push(bot);
    await fake.waitForShards(2);
    expect(fake.identifies.map((i) => i.shard).sort()).toEqual([[0, 2], [1, 2]]);
    for (const [shard, guild] of fake.guilds.entries()) {
      expect(bot.client.guilds.cache.get(guild.id)?.shardId).toBe(shard);
      const result = await fake.slash(ada, 'ping', null, {}, { guildId: guild.id });
      expect(result.deliveredTo).toEqual([shard]);
      expect(result.message?.content).toBe('echo /ping');
    }
  });

  it('resumes a dropped gateway session and keeps delivering', async () => {
    fake = await startFakeDiscord();
    const bot = await startEchoBot({ restBase: fake.restBase, token: fake.token });
    bots.push(bot);
    const resumed = new Promise<void>((resolve) => bot.client.once(Events.ShardResume, () => resolve()));
    expect(fake.kickShard(0)).toBe(1);
    await resumed;
    expect(fake.identifies).toHaveLength(1);
    const result = await fake.slash(ada, 'ping', null, {});
    expect(result.type).toBe(4);
  });

  it('refuses a wrong token on REST and on the gateway', async () => {
    fake = await startFakeDiscord();
    const client = new Client({ intents: [], rest: { api: fake.restBase } });
    await expect(client.login('wrong-token')).rejects.toThrow(/invalid token/i);
    await client.destroy();

    const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const code = await new Promise<number>((resolve) => {
      ws.on('message', () => ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } })));
      ws.on('close', (closeCode) => resolve(closeCode));
    });
    expect(code).toBe(4004);
  });
});

describe('fake discord validation rules', () => {
  const button = (customId: string, extra: Record<string, unknown> = {}) => ({ type: 2, style: 1, label: 'b', custom_id: customId, ...extra });
  const row = (...components: unknown[]) => ({ type: 1, components });
  const select = (customId: string, options = 3) => ({
    type: 3,
    custom_id: customId,
    options: Array.from({ length: options }, (_, i) => ({ label: `l${i}`, value: `v${i}` })),
  });
  const paths = (errors: { path: (string | number)[]; code: string }[]) => errors.map((e) => `${formatPath(e.path)} ${e.code}`);

  it.each([
    ['content over 2000', { content: 'x'.repeat(2001) }, ['data.content BASE_TYPE_MAX_LENGTH']],
    ['more than 10 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 't' })) }, ['data.embeds BASE_TYPE_MAX_LENGTH']],
    ['embed title over 256', { embeds: [{ title: 'x'.repeat(257) }] }, ['data.embeds[0].title BASE_TYPE_MAX_LENGTH']],
    ['embed description over 4096', { embeds: [{ description: 'x'.repeat(4097) }] }, ['data.embeds[0].description BASE_TYPE_MAX_LENGTH']],
    ['more than 25 fields', { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] }, ['data.embeds[0].fields BASE_TYPE_MAX_LENGTH']],
    ['empty field name', { embeds: [{ fields: [{ name: '', value: 'v' }] }] }, ['data.embeds[0].fields[0].name BASE_TYPE_REQUIRED']],
    ['footer over 2048', { embeds: [{ footer: { text: 'x'.repeat(2049) } }] }, ['data.embeds[0].footer.text BASE_TYPE_MAX_LENGTH']],
    ['author name over 256', { embeds: [{ author: { name: 'x'.repeat(257) } }] }, ['data.embeds[0].author.name BASE_TYPE_MAX_LENGTH']],
    [
      'embeds together over 6000',
      { embeds: [{ description: 'x'.repeat(4000) }, { description: 'x'.repeat(2001) }] },
      ['data.embeds MAX_EMBED_SIZE_EXCEEDED'],
    ],
    ['more than 5 rows', { components: Array.from({ length: 6 }, (_, i) => row(button(`b${i}`))) }, ['data.components BASE_TYPE_MAX_LENGTH']],
    [
      'six buttons in a row',
      { components: [row(...Array.from({ length: 6 }, (_, i) => button(`b${i}`)))] },
      ['data.components[0].components BASE_TYPE_BAD_LENGTH', 'data.components[0].components[5] COMPONENT_LAYOUT_WIDTH_EXCEEDED'],
    ],
    ['a select sharing its row', { components: [row(button('b'), select('s'))] }, ['data.components[0].components[1] COMPONENT_LAYOUT_WIDTH_EXCEEDED']],
    ['custom_id over 100', { components: [row(button('x'.repeat(101)))] }, ['data.components[0].components[0].custom_id BASE_TYPE_MAX_LENGTH']],
    ['duplicate custom_ids', { components: [row(button('same')), row(button('same'))] }, ['data.components[1].components[0].custom_id COMPONENT_CUSTOM_ID_DUPLICATED']],
    ['button label over 80', { components: [row(button('b', { label: 'x'.repeat(81) }))] }, ['data.components[0].components[0].label BASE_TYPE_MAX_LENGTH']],
    ['link button without url', { components: [row({ type: 2, style: 5, label: 'l' })] }, ['data.components[0].components[0].url BUTTON_COMPONENT_URL_REQUIRED']],
    [
      'link button with a custom_id',
      { components: [row({ type: 2, style: 5, label: 'l', url: 'https://example.com', custom_id: 'c' })] },
      ['data.components[0].components[0].custom_id BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED'],
    ],
    ['select with 26 options', { components: [row(select('s', 26))] }, ['data.components[0].components[0].options BASE_TYPE_BAD_LENGTH']],
    ['a valid message', { content: 'ok', embeds: [{ title: 't', fields: [{ name: 'n', value: 'v' }] }], components: [row(button('a'), button('b')), row(select('s'))] }, []],
  ])('message rule: %s', (_name, body, expected) => {
    expect(paths(validateMessageBody(body, ['data']))).toEqual(expected);
  });

  it('limits autocomplete results', () => {
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: i === 0 ? '' : `n${i}`, value: i === 1 ? 'x'.repeat(101) : `v${i}` }));
    expect(paths(validateAutocompleteData({ choices }, 3))).toEqual([
      'data.choices BASE_TYPE_MAX_LENGTH',
      'data.choices[0].name BASE_TYPE_REQUIRED',
      'data.choices[1].value BASE_TYPE_MAX_LENGTH',
    ]);
  });

  const option = (name: string, extra: Record<string, unknown> = {}) => ({ type: 3, name, description: 'd', ...extra });
  it.each([
    ['uppercase name', [{ name: 'Echo', description: 'd' }], ['[0].name APPLICATION_COMMAND_INVALID_NAME']],
    ['name over 32', [{ name: 'x'.repeat(33), description: 'd' }], ['[0].name APPLICATION_COMMAND_INVALID_NAME']],
    ['empty description', [{ name: 'a', description: '' }], ['[0].description BASE_TYPE_BAD_LENGTH']],
    ['26 options', [{ name: 'a', description: 'd', options: Array.from({ length: 26 }, (_, i) => option(`o${i}`)) }], ['[0].options BASE_TYPE_MAX_LENGTH']],
    ['bad option type', [{ name: 'a', description: 'd', options: [option('o', { type: 12 })] }], ['[0].options[0].type BASE_TYPE_CHOICES']],
    [
      'required after optional',
      [{ name: 'a', description: 'd', options: [option('o'), option('p', { required: true })] }],
      ['[0].options APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID'],
    ],
    [
      'sub-commands mixed with options',
      [{ name: 'a', description: 'd', options: [{ type: 1, name: 's', description: 'd' }, option('o')] }],
      ['[0].options APPLICATION_COMMAND_OPTIONS_TYPE_INVALID'],
    ],
    [
      'group holding a plain option',
      [{ name: 'a', description: 'd', options: [{ type: 2, name: 'g', description: 'd', options: [option('o')] }] }],
      ['[0].options[0].options[0].type APPLICATION_COMMAND_OPTION_TYPE_INVALID'],
    ],
    [
      '26 choices with a long name',
      [{ name: 'a', description: 'd', options: [option('o', { choices: Array.from({ length: 26 }, (_, i) => ({ name: i === 0 ? 'x'.repeat(101) : `c${i}`, value: `v${i}` })) })] }],
      ['[0].options[0].choices BASE_TYPE_MAX_LENGTH', '[0].options[0].choices[0].name BASE_TYPE_BAD_LENGTH'],
    ],
    ['duplicate names', [{ name: 'a', description: 'd' }, { name: 'a', description: 'd' }], ['[1].name APPLICATION_COMMANDS_DUPLICATE_NAME']],
    ['a context menu command', [{ type: 3, name: 'Save Message' }], []],
  ])('command rule: %s', (_name, body, expected) => {
    expect(paths(validateCommandList(body))).toEqual(expected);
  });
});
