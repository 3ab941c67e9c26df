// The gateway half of the fake: HELLO, IDENTIFY → READY (+ GUILD_CREATE), heartbeats, RESUME,
// sharded routing of dispatches. Plain JSON text frames, no compression (discord.js parses text
// frames whatever compression it asked for).

import type { IncomingMessage } from 'node:http';
import { WebSocket, type RawData, type WebSocketServer } from 'ws';
import { PERMISSIONS_ALL, type FakeState } from './state.ts';
import { shardOf } from './snowflake.ts';
import type { FakeGuild, JsonObject } from './types.ts';
import { isRecord } from './json.ts';

const OP = { dispatch: 0, heartbeat: 1, identify: 2, presence: 3, voice: 4, resume: 6, reconnect: 7, requestMembers: 8, invalidSession: 9, hello: 10, heartbeatAck: 11 } as const;
const CLOSE = { unknownOpcode: 4001, decodeError: 4002, notAuthenticated: 4003, authenticationFailed: 4004, alreadyAuthenticated: 4005, invalidShard: 4010, invalidApiVersion: 4012, invalidIntents: 4013, disallowedIntents: 4014 } as const;
const GUILDS_INTENT = 1 << 0;
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
const LOG_LIMIT = 1000;

export interface IdentifyRecord {
  shard: [number, number];
  intents: number;
  sessionId: string;
  properties: unknown;
  presence: unknown;
  compress: unknown;
  largeThreshold: unknown;
  at: number;
}

interface Session {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  log: { s: number; text: string }[];
  connection: Connection | null;
}

interface Connection {
  ws: WebSocket;
  session: Session | null;
  heartbeats: number;
}

export class FakeGateway {
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: { sessionId: string; seq: number; ok: boolean }[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly connections = new Set<Connection>();
  private readonly state: FakeState;
  private readonly url: () => string;

  constructor(state: FakeState, wss: WebSocketServer, url: () => string) {
    this.state = state;
    this.url = url;
    wss.on('connection', (ws, req) => this.accept(ws, req));
  }

  /** Open, identified (or resumed) sessions by shard id. */
  readyShards(): { shard: [number, number]; sessionId: string }[] {
    return [...this.sessions.values()]
      .filter((session) => session.connection !== null && session.connection.ws.readyState === WebSocket.OPEN)
      .map((session) => ({ shard: session.shard, sessionId: session.id }));
  }

  /**
   * Sends a dispatch to every open session that serves `guildId` (shard 0 for DMs, `null`).
   * Two sessions on the same shard both receive it, as on Discord. Returns the shard ids reached.
   */
  dispatch(t: string, d: JsonObject, guildId: string | null): number[] {
    const targets = [...this.sessions.values()].filter((session) => {
      if (session.connection === null || session.connection.ws.readyState !== WebSocket.OPEN) return false;
      const [id, count] = session.shard;
      return id === (guildId === null ? 0 : shardOf(guildId, count));
    });
    if (targets.length === 0) {
      const open = this.readyShards().map((s) => `[${s.shard.join(',')}]`).join(' ') || 'none';
      throw new Error(`fake discord: no open gateway session serves guild ${String(guildId)} (open shards: ${open})`);
    }
    for (const session of targets) this.send(session, t, d);
    return targets.map((session) => session.shard[0]);
  }

  /** Closes the connections of one shard with `code` (4000 makes discord.js resume). */
  kick(shardId: number, code = 4000): number {
    let closed = 0;
    for (const connection of this.connections) {
      if (connection.session?.shard[0] === shardId) {
        connection.ws.close(code, 'kicked by test');
        closed += 1;
      }
    }
    return closed;
  }

  close(): void {
    for (const connection of this.connections) connection.ws.terminate();
    this.connections.clear();
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const connection: Connection = { ws, session: null, heartbeats: 0 };
    this.connections.add(connection);
    ws.on('close', () => {
      this.connections.delete(connection);
      if (connection.session?.connection === connection) connection.session.connection = null;
      this.state.changed();
    });
    ws.on('error', () => ws.terminate());

    const params = new URL(req.url ?? '/', 'ws://fake.invalid').searchParams;
    if (params.get('v') !== '10') {
      ws.close(CLOSE.invalidApiVersion, 'Invalid API version');
      return;
    }
    if ((params.get('encoding') ?? 'json') !== 'json') {
      ws.close(CLOSE.decodeError, 'Only encoding=json is supported by the fake');
      return;
    }
    this.raw(ws, { op: OP.hello, d: { heartbeat_interval: this.state.config.heartbeatIntervalMs, _trace: ['["fake-gateway",{}]'] }, s: null, t: null });
    ws.on('message', (data, isBinary) => this.receive(connection, data, isBinary));
  }

  private raw(ws: WebSocket, payload: JsonObject): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  }

  private send(session: Session, t: string, d: JsonObject): void {
    session.seq += 1;
    const text = JSON.stringify({ op: OP.dispatch, t, s: session.seq, d });
    session.log.push({ s: session.seq, text });
    if (session.log.length > LOG_LIMIT) session.log.shift();
    const ws = session.connection?.ws;
    if (ws !== undefined && ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  private receive(connection: Connection, data: RawData, isBinary: boolean): void {
    const { ws } = connection;
    let payload: unknown;
    try {
      payload = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      payload = undefined;
    }
    if (!isRecord(payload) || typeof payload['op'] !== 'number') {
      ws.close(CLOSE.decodeError, 'Decode error');
      return;
    }
    const op = payload['op'];
    const d = payload['d'];
    if (op === OP.heartbeat) {
      connection.heartbeats += 1;
      this.raw(ws, { op: OP.heartbeatAck, d: null, s: null, t: null });
      return;
    }
    if (op === OP.identify) {
      this.identify(connection, d);
      return;
    }
    if (op === OP.resume) {
      this.resume(connection, d);
      return;
    }
    if (connection.session === null) {
      ws.close(CLOSE.notAuthenticated, 'Not authenticated');
      return;
    }
    if (op === OP.presence || op === OP.voice || op === OP.requestMembers || op === 31) return;
    ws.close(CLOSE.unknownOpcode, 'Unknown opcode');
  }

  private identify(connection: Connection, d: unknown): void {
    const { ws } = connection;
    if (connection.session !== null) {
      ws.close(CLOSE.alreadyAuthenticated, 'Already authenticated');
      return;
    }
    if (!isRecord(d) || d['token'] !== this.state.config.token) {
      ws.close(CLOSE.authenticationFailed, 'Authentication failed');
      return;
    }
    const shardRaw = d['shard'] ?? [0, 1];
    const shard = Array.isArray(shardRaw) ? shardRaw : [];
    const [id, count] = shard;
    if (shard.length !== 2 || !Number.isInteger(id) || !Number.isInteger(count) || typeof id !== 'number' || typeof count !== 'number' || id < 0 || count < 1 || id >= count) {
      ws.close(CLOSE.invalidShard, 'Invalid shard');
      return;
    }
    const intents = d['intents'];
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0) {
      ws.close(CLOSE.invalidIntents, 'Invalid intent(s)');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.state.config.allowedPrivilegedIntents) !== 0) {
      ws.close(CLOSE.disallowedIntents, 'Disallowed intent(s)');
      return;
    }

    const session: Session = { id: this.state.newToken().slice(-32), shard: [id, count], intents, seq: 0, log: [], connection };
    this.sessions.set(session.id, session);
    connection.session = session;
    this.state.sessionsStarted += 1;
    this.identifies.push({
      shard: [id, count],
      intents,
      sessionId: session.id,
      properties: d['properties'],
      presence: d['presence'],
      compress: d['compress'],
      largeThreshold: d['large_threshold'],
      at: this.state.clock.now(),
    });

    const guilds = this.state.guilds.filter((guild) => shardOf(guild.id, count) === id);
    this.send(session, 'READY', {
      v: 10,
      user: this.state.botUser,
      user_settings: {},
      guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.url(),
      shard: [id, count],
      application: { id: this.state.config.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      _trace: ['["fake-gateway",{}]'],
    });
    // Without the GUILDS intent Discord sends no GUILD_CREATE and discord.js stops waiting at once.
    if ((intents & GUILDS_INTENT) !== 0) for (const guild of guilds) this.send(session, 'GUILD_CREATE', this.guildCreate(guild));
    this.state.changed();
  }

  private resume(connection: Connection, d: unknown): void {
    const { ws } = connection;
    if (!isRecord(d) || d['token'] !== this.state.config.token) {
      ws.close(CLOSE.authenticationFailed, 'Authentication failed');
      return;
    }
    const sessionId = String(d['session_id']);
    const seq = typeof d['seq'] === 'number' ? d['seq'] : 0;
    const session = this.sessions.get(sessionId);
    const replay = session?.log.filter((entry) => entry.s > seq) ?? [];
    const ok = session !== undefined && (session.log[0] === undefined || session.log[0].s <= seq + 1);
    this.resumes.push({ sessionId, seq, ok });
    if (!ok) {
      this.raw(ws, { op: OP.invalidSession, d: false, s: null, t: null });
      return;
    }
    if (session.connection !== null && session.connection !== connection) session.connection.ws.close(4009, 'Session resumed elsewhere');
    session.connection = connection;
    connection.session = session;
    for (const entry of replay) ws.send(entry.text);
    this.send(session, 'RESUMED', { _trace: ['["fake-gateway",{}]'] });
    this.state.changed();
  }

  private guildCreate(guild: FakeGuild): JsonObject {
    const now = new Date(this.state.clock.now()).toISOString();
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: '1',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      nsfw: false,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: guild.locale,
      features: [],
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      joined_at: now,
      large: false,
      unavailable: false,
      lazy: true,
      member_count: 2,
      roles: [
        {
          id: guild.id,
          name: '@everyone',
          color: 0,
          colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
          hoist: false,
          icon: null,
          unicode_emoji: null,
          position: 0,
          permissions: PERMISSIONS_ALL,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      members: [
        {
          user: this.state.botUser,
          roles: [],
          nick: null,
          avatar: null,
          premium_since: null,
          joined_at: now,
          pending: false,
          deaf: false,
          mute: false,
          flags: 0,
          communication_disabled_until: null,
        },
      ],
      channels: guild.channels.map((channel, position) => ({
        id: channel.id,
        type: 0,
        guild_id: guild.id,
        name: channel.name,
        position,
        flags: 0,
        parent_id: null,
        topic: null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        permission_overwrites: [],
      })),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      incidents_data: null,
    };
  }
}
