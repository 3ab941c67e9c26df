// HTTP interactions mode: Discord POSTs each interaction to us. We check the Ed25519 signature over
// timestamp + raw body, answer PING with PONG, and send the first answer in the HTTP response; later
// edits and follow-ups go to the webhook routes of the REST API. Same router, same handlers.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request } from 'undici';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import { EPHEMERAL_FLAG } from '../render/limits.ts';
import type { Router } from '../interactions/router.ts';
import { callbackJson, editBody, messageBody, type Interaction, type Message, type OptionValue, type Responder } from '../interactions/types.ts';

export const MAX_BODY_BYTES = 64 * 1024;
/** A hung Discord REST API must not hold a handler for ever. */
const WEBHOOK_TIMEOUTS = { headersTimeout: 10_000, bodyTimeout: 10_000 } as const;
/** Requests whose signed timestamp is further than this from our clock are refused (replays). */
export const MAX_CLOCK_SKEW_SECS = 5 * 60;

export interface InteractionsServerOptions {
  publicKey: string;
  port: number;
  host?: string;
  applicationId?: string | undefined;
  restApi?: string | undefined;
  router: Router;
  logger: Logger;
  now?: () => number;
}

export function publicKeyFromHex(hex: string): KeyObject {
  // raw 32-byte Ed25519 key → SPKI DER
  return createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export function verifySignature(key: KeyObject, timestamp: string, body: Buffer, signatureHex: string): boolean {
  if (!/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

type RawOptionShape = { name: string; type: number; value?: unknown; options?: RawOptionShape[] | undefined; focused?: boolean | undefined };
const optionSchema: z.ZodType<RawOptionShape> = z.looseObject({
  name: z.string(),
  type: z.number(),
  value: z.unknown().optional(),
  focused: z.boolean().optional(),
  options: z.array(z.lazy(() => optionSchema)).optional(),
});

const interactionSchema = z.looseObject({
  id: z.string(),
  application_id: z.string(),
  type: z.number().int(),
  token: z.string(),
  data: z
    .looseObject({
      name: z.string().optional(),
      options: z.array(optionSchema).optional(),
      custom_id: z.string().optional(),
      values: z.array(z.string()).optional(),
    })
    .optional(),
  member: z.looseObject({ user: z.looseObject({ id: z.string(), username: z.string() }) }).optional(),
  user: z.looseObject({ id: z.string(), username: z.string() }).optional(),
  message: z
    .looseObject({
      flags: z.number().optional(),
      // who the message answers; anything odd here only means we do not know (the clicker gets a copy)
      interaction_metadata: z.looseObject({ user: z.looseObject({ id: z.string() }) }).optional().catch(undefined),
      // what Discord sent before interaction_metadata (deprecated), for older messages
      interaction: z.looseObject({ user: z.looseObject({ id: z.string() }) }).optional().catch(undefined),
    })
    .optional(),
});
type RawInteraction = z.output<typeof interactionSchema>;

type RawOption = z.output<typeof optionSchema>;

function flatten(options: RawOption[] | undefined): { subcommand: string | null; options: Record<string, OptionValue>; focused: { name: string; value: string } | null } {
  const first = options?.[0];
  const isSub = first !== undefined && (first.type === 1 || first.type === 2);
  const list = (isSub ? (first.options as RawOption[] | undefined) : options) ?? [];
  const out: Record<string, OptionValue> = {};
  let focused: { name: string; value: string } | null = null;
  for (const option of list) {
    const value = option.value;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[option.name] = value;
    if (option.focused === true) focused = { name: option.name, value: String(value ?? '') };
  }
  return { subcommand: isSub ? first.name : null, options: out, focused };
}

export function toInteraction(raw: RawInteraction): Interaction | null {
  const who = raw.member?.user ?? raw.user;
  if (who === undefined) return null;
  const user = { id: who.id, name: who.username };
  if (raw.type === 2 || raw.type === 4) {
    const { subcommand, options, focused } = flatten(raw.data?.options);
    const command = raw.data?.name ?? '';
    if (raw.type === 4) return { kind: 'autocomplete', interactionId: raw.id, user, command, subcommand, options, focused: focused ?? { name: '', value: '' } };
    return { kind: 'command', interactionId: raw.id, user, command, subcommand, options };
  }
  if (raw.type === 3) {
    return {
      kind: 'component',
      interactionId: raw.id,
      user,
      customId: raw.data?.custom_id ?? '',
      values: raw.data?.values ?? [],
      messageEphemeral: ((raw.message?.flags ?? 0) & EPHEMERAL_FLAG) === EPHEMERAL_FLAG,
      messageOwnerId: raw.message?.interaction_metadata?.user.id ?? raw.message?.interaction?.user.id ?? null,
    };
  }
  return null;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes);
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The responder for one HTTP interaction: the first answer is the HTTP response, the rest go via REST. */
function httpResponder(res: ServerResponse, raw: RawInteraction, restApi: string, logger: Logger): Responder {
  const webhook = `${restApi.replace(/\/+$/, '')}/v10/webhooks/${raw.application_id}/${raw.token}`;
  const rest = async (method: 'PATCH' | 'POST', url: string, message: Message) => {
    const body = method === 'PATCH' ? editBody(message) : messageBody(message);
    const response = await request(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...WEBHOOK_TIMEOUTS });
    const text = await response.body.text();
    if (response.statusCode >= 300) {
      logger.warn({ status: response.statusCode, body: text.slice(0, 300) }, 'Discord refused a webhook call');
      throw new Error(`Discord answered ${response.statusCode} to ${method} webhook`);
    }
  };
  return {
    reply: async (m) => send(res, 200, callbackJson('reply', m)),
    deferReply: async (ephemeral) => send(res, 200, { type: 5, data: ephemeral ? { flags: EPHEMERAL_FLAG } : {} }),
    update: async (m) => send(res, 200, callbackJson('update', m)),
    deferUpdate: async () => send(res, 200, { type: 6 }),
    autocomplete: async (choices) => send(res, 200, { type: 8, data: { choices } }),
    editReply: (m) => rest('PATCH', `${webhook}/messages/@original`, m),
    followUp: (m) => rest('POST', `${webhook}?wait=true`, m),
    deleteReply: async () => {
      const response = await request(`${webhook}/messages/@original`, { method: 'DELETE', ...WEBHOOK_TIMEOUTS });
      await response.body.dump();
      if (response.statusCode >= 300) throw new Error(`Discord answered ${response.statusCode} to DELETE @original`);
    },
  };
}

export function createInteractionsHandler(options: InteractionsServerOptions) {
  const key = publicKeyFromHex(options.publicKey);
  const now = options.now ?? Date.now;
  const restApi = options.restApi ?? 'https://discord.com/api';
  // a signed request may be replayed while its timestamp is fresh: each interaction is handled once
  const seen = new Map<string, number>();
  const firstTime = (id: string): boolean => {
    const cutoff = now() - 2 * MAX_CLOCK_SKEW_SECS * 1000;
    for (const [seenId, at] of seen) {
      if (at > cutoff) break;
      seen.delete(seenId);
    }
    if (seen.has(id)) return false;
    seen.set(id, now());
    return true;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return send(res, 405, { message: 'POST interactions here' });
    const signature = req.headers['x-signature-ed25519'];
    const timestamp = req.headers['x-signature-timestamp'];
    if (typeof signature !== 'string' || typeof timestamp !== 'string') return send(res, 401, { message: 'missing signature headers' });
    const body = await readBody(req);
    if (body === 'too-large') return send(res, 413, { message: 'body too large' });
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now() / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECS) {
      return send(res, 401, { message: 'stale or invalid timestamp' });
    }
    if (!verifySignature(key, timestamp, body, signature)) return send(res, 401, { message: 'invalid request signature' });

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return send(res, 400, { message: 'body is not JSON' });
    }
    const parsed = interactionSchema.safeParse(json);
    if (!parsed.success) return send(res, 400, { message: 'not an interaction' });
    const raw = parsed.data;
    if (raw.type === 1) return send(res, 200, { type: 1 });
    if (options.applicationId !== undefined && raw.application_id !== options.applicationId) return send(res, 400, { message: 'wrong application' });
    const interaction = toInteraction(raw);
    if (interaction === null) return send(res, 400, { message: 'unsupported interaction type' });
    if (!firstTime(raw.id)) return send(res, 409, { message: 'interaction already handled' });
    await options.router.handle(interaction, httpResponder(res, raw, restApi, options.logger));
    // every path answers; should a handler have sent nothing, Discord must still hear from us
    send(res, 500, { message: 'no answer' });
  };
}

export async function startInteractionsServer(options: InteractionsServerOptions): Promise<Server> {
  const handler = createInteractionsHandler(options);
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      options.logger.error({ err: error }, 'interactions endpoint failed');
      send(res, 500, { message: 'internal error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '0.0.0.0', resolve));
  options.logger.info({ port: options.port }, 'serving the HTTP interactions endpoint');
  return server;
}
