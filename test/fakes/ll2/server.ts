// A fake Launch Library 2 (2.3.0) over real HTTP, for tests and local runs: the spacecraft,
// configuration and status endpoints with LL2's filters, search, ordering and pagination, DRF's
// per-ident throttle, and switches for latency and failures. Independent of src/ on purpose.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  loadFixtureCatalogue,
  toDetailedSpacecraft,
  type ConfigurationDetail,
  type SpacecraftConfigRecord,
  type SpacecraftRecord,
  type SpacecraftStatus,
} from '../../fixtures/ll2/index.ts';
import {
  DEFAULT_SPACECRAFT_ORDERING,
  ENTER_A_NUMBER,
  durationKey,
  lastValue,
  matchesId,
  matchesSearch,
  orderRows,
  paginate,
  parseBooleanFilter,
  parseNumberFilter,
  parseOrdering,
  parseQuery,
  searchTerms,
  type NumberFilter,
  type OrderTerm,
  type QueryParams,
  type SortKey,
} from './semantics.ts';
import { UNLIMITED_LOG_WINDOW_SECS, createThrottle, type Quota } from './throttle.ts';

export {
  DEFAULT_PAGE_LIMIT,
  DEFAULT_SPACECRAFT_ORDERING,
  MAX_PAGE_LIMIT,
  NAME_COLLATOR,
  NULLS_SORT_AS,
  TIE_BREAK,
} from './semantics.ts';
export { UNLIMITED_LOG_WINDOW_SECS } from './throttle.ts';
export type { Quota } from './throttle.ts';

const HOST = '127.0.0.1';
export const API_PREFIX = '/2.3.0';
/** ASSUMPTION: what /api-throttle/ reports as the limit when the quota is off. */
export const UNLIMITED_REPORTED_LIMIT = 2_147_483_647;

export const SPACECRAFT_ORDERING_FIELDS = [
  'flights_count',
  'id',
  'mission_ends_count',
  'time_docked',
  'time_in_space',
] as const;
const CONFIGURATION_ORDERING_FIELDS = ['id', 'name'] as const;
const DEFAULT_CONFIGURATION_ORDERING: readonly OrderTerm[] = [{ field: 'id', descending: false }];

export type FakeMode = 'ok' | 'down' | 'garbage' | 'error500' | 'hang';

export interface FakeLl2Options {
  /** Default: the fixture catalogue (~590 records). */
  spacecraft?: SpacecraftRecord[];
  configurations?: SpacecraftConfigRecord[];
  statuses?: SpacecraftStatus[];
  /** Detailed-config facts and flight profiles per config id (default: the fixture ones). */
  configurationDetails?: ConfigurationDetail[];
  /** Default false (unlimited). Emulates DRF's sliding-log throttle per ident. */
  quota?: Quota | false;
  /** Added before every answer. */
  latencyMs?: number;
  /** Milliseconds clock for the quota window (default Date.now). */
  now?: () => number;
  /** Default 0 (a free port). Host is always 127.0.0.1. */
  port?: number;
}

export interface RecordedRequest {
  method: string;
  /** The full path as received, e.g. `/2.3.0/spacecraft/`. */
  path: string;
  /** Last value of each param (what DRF's `query_params.get` sees). */
  query: Record<string, string>;
  /** The raw query string without `?`, for repeated params. */
  rawQuery: string;
  headers: { authorization?: string };
  /** Token key if an `Authorization: Token <key>` header came, else the client IP. */
  ident: string;
  /** Whether it counted against the quota (it passed the throttle). */
  counted: boolean;
  /** HTTP status answered; null while pending or when no answer was given (down, hang). */
  status: number | null;
  /** `now()` when it arrived. */
  at: number;
}

export interface FakeLl2 {
  /** e.g. http://127.0.0.1:PORT/2.3.0 (no trailing slash). */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests that counted against the quota. */
  countedRequests(): number;
  setLatency(ms: number): void;
  setQuota(quota: Quota | false): void;
  /**
   * down: destroy the socket without answering; garbage: 200 with invalid JSON, then valid JSON
   * of the wrong shape, alternating; error500: Django's HTML 500 page; hang: never answer.
   */
  setMode(mode: FakeMode): void;
  /** After n more counted requests, further counted ones answer 503; null lifts it. */
  failAfter(n: number | null): void;
  setSpacecraft(records: SpacecraftRecord[]): void;
  /** Adds one record (throws if its id exists). */
  addSpacecraft(record: SpacecraftRecord): void;
  /** Clears `requests` (in place). The quota log is kept: see resetQuota. */
  resetRequests(): void;
  /** Forgets every ident's throttle history. */
  resetQuota(): void;
  close(): Promise<void>;
}

type Route =
  | { kind: 'spacecraft-list' }
  | { kind: 'spacecraft-detail'; id: number }
  | { kind: 'configurations' }
  | { kind: 'statuses' }
  | { kind: 'throttle' };

function matchRoute(path: string): Route | undefined {
  if (!path.startsWith(`${API_PREFIX}/`)) return undefined;
  const rest = path.slice(API_PREFIX.length);
  if (rest === '/spacecraft/') return { kind: 'spacecraft-list' };
  const detail = /^\/spacecraft\/(\d+)\/$/.exec(rest);
  if (detail?.[1] !== undefined) return { kind: 'spacecraft-detail', id: Number(detail[1]) };
  if (rest === '/spacecraft_configurations/') return { kind: 'configurations' };
  if (rest === '/config/spacecraft_statuses/') return { kind: 'statuses' };
  if (rest === '/api-throttle/') return { kind: 'throttle' };
  return undefined;
}

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json', ...headers },
});

const NOT_FOUND = (): Answer => json(404, { detail: 'Not found.' });
const DJANGO_500: Answer = {
  status: 500,
  body: '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n',
  headers: { 'content-type': 'text/html; charset=utf-8' },
};
const GARBAGE: readonly Answer[] = [
  { status: 200, body: '{"count": 590, "next": null, "results": [{"id": 1, "name": "Sput', headers: { 'content-type': 'application/json' } },
  json(200, { count: 'many', next: 42, previous: {}, results: { id: 'not-a-list' } }),
];

/** Starts the fake on 127.0.0.1. */
export async function startFakeLl2(opts: FakeLl2Options = {}): Promise<FakeLl2> {
  const needsFixture =
    !opts.spacecraft || !opts.configurations || !opts.statuses || !opts.configurationDetails;
  const fixture = needsFixture ? loadFixtureCatalogue() : undefined;
  let spacecraft = [...(opts.spacecraft ?? fixture?.spacecraft ?? [])];
  const configurations = [...(opts.configurations ?? fixture?.configurations ?? [])];
  const statuses = [...(opts.statuses ?? fixture?.statuses ?? [])];
  const details = new Map((opts.configurationDetails ?? fixture?.configurationDetails ?? []).map((d) => [d.id, d]));
  const now = opts.now ?? Date.now;
  const throttle = createThrottle(now);

  let quota: Quota | false = opts.quota ?? false;
  let latencyMs = opts.latencyMs ?? 0;
  let mode: FakeMode = 'ok';
  let failBudget: number | null = null;
  let garbageCount = 0;
  let closed = false;
  const requests: RecordedRequest[] = [];
  const sleepers = new Set<() => void>();
  let origin = '';

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  function identOf(req: IncomingMessage): { ident: string; authError?: string } {
    const ip = (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
    // DRF TokenAuthentication: only the `Token` keyword is ours; other schemes stay anonymous.
    const parts = (req.headers.authorization ?? '').split(/\s+/).filter((p) => p !== '');
    if (parts[0]?.toLowerCase() !== 'token') return { ident: ip };
    if (parts.length === 1) return { ident: ip, authError: 'Invalid token header. No credentials provided.' };
    if (parts.length > 2) return { ident: ip, authError: 'Invalid token header. Token string should not contain spaces.' };
    return { ident: parts[1] ?? ip };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(`${origin}${req.url ?? '/'}`);
    const { ident, authError } = identOf(req);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries([...parseQuery(url.searchParams)].map(([k, v]) => [k, v.at(-1) ?? ''])),
      rawQuery: url.search.slice(1),
      headers: req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization },
      ident,
      counted: false,
      status: null,
      at: now(),
    };
    requests.push(record);

    if (latencyMs > 0) await sleep(latencyMs);
    if (closed) {
      req.socket.destroy();
      return;
    }
    if (mode === 'down') {
      req.socket.destroy();
      return;
    }
    if (mode === 'hang') return; // the socket stays open until the client gives up or close()

    const answer = decide(req, url, record, ident, authError);
    record.status = answer.status;
    const body = Buffer.from(answer.body, 'utf8');
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
    res.end(body);
  }

  function decide(
    req: IncomingMessage,
    url: URL,
    record: RecordedRequest,
    ident: string,
    authError: string | undefined,
  ): Answer {
    const route = matchRoute(url.pathname);
    if (!route) {
      // Django's CommonMiddleware (APPEND_SLASH) redirects before any view: not throttled.
      if (!url.pathname.endsWith('/') && matchRoute(`${url.pathname}/`)) {
        return { status: 301, body: '', headers: { location: `${url.pathname}/${url.search}` } };
      }
      return NOT_FOUND();
    }
    if (route.kind === 'throttle') {
      const failure = failureAnswer();
      if (failure) return failure;
      const use = throttle.usage(ident, quota);
      return json(200, [
        {
          your_request_limit: quota ? quota.limit : UNLIMITED_REPORTED_LIMIT,
          limit_frequency_secs: quota ? quota.windowSecs : UNLIMITED_LOG_WINDOW_SECS,
          current_use: use.currentUse,
          next_use_secs: use.nextUseSecs,
          ident,
        },
      ]);
    }
    // DRF's order in APIView.initial: authenticate, then throttle, then the handler.
    if (authError) return json(401, { detail: authError }, { 'www-authenticate': 'Token' });
    const decision = throttle.attempt(ident, quota);
    if (!decision.allowed) {
      if (decision.waitSecs === null) return json(429, { detail: 'Request was throttled.' });
      const unit = decision.waitSecs === 1 ? 'second' : 'seconds';
      return json(
        429,
        { detail: `Request was throttled. Expected available in ${decision.waitSecs} ${unit}.` },
        { 'retry-after': String(decision.waitSecs) },
      );
    }
    record.counted = true;
    if (failBudget !== null) {
      if (failBudget <= 0) return json(503, { detail: 'Service temporarily unavailable, try again later.' });
      failBudget -= 1;
    }
    const failure = failureAnswer();
    if (failure) return failure;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return json(405, { detail: `Method "${req.method ?? ''}" not allowed.` }, { allow: 'GET, HEAD, OPTIONS' });
    }

    const params = parseQuery(url.searchParams);
    const pageUrl = `${origin}${url.pathname}`;
    switch (route.kind) {
      case 'spacecraft-list':
        return listSpacecraft(params, pageUrl);
      case 'spacecraft-detail': {
        const found = spacecraft.find((r) => r.id === route.id);
        return found ? json(200, toDetailedSpacecraft(found, details.get(found.spacecraft_config.id))) : NOT_FOUND();
      }
      case 'configurations':
        return listConfigurations(params, pageUrl);
      case 'statuses':
        return json(200, paginate([...statuses].sort((a, b) => a.id - b.id), params, pageUrl));
    }
  }

  function failureAnswer(): Answer | undefined {
    if (mode === 'error500') return DJANGO_500;
    if (mode === 'garbage') return GARBAGE[garbageCount++ % GARBAGE.length];
    return undefined;
  }

  function numberFilters(params: QueryParams, names: readonly string[]): Map<string, NumberFilter> | Answer {
    const filters = new Map<string, NumberFilter>();
    const errors: Record<string, string[]> = {};
    for (const name of names) {
      const filter = parseNumberFilter(lastValue(params, name));
      if (filter.kind === 'invalid') errors[name] = [ENTER_A_NUMBER];
      filters.set(name, filter);
    }
    return Object.keys(errors).length > 0 ? json(400, errors) : filters;
  }

  function listSpacecraft(params: QueryParams, pageUrl: string): Answer {
    const numbers = numberFilters(params, ['spacecraft_config', 'status']);
    if (!(numbers instanceof Map)) return numbers;
    const inSpace = parseBooleanFilter(lastValue(params, 'in_space'));
    const isPlaceholder = parseBooleanFilter(lastValue(params, 'is_placeholder'));
    const name = lastValue(params, 'name');
    const configFilter = numbers.get('spacecraft_config');
    const statusFilter = numbers.get('status');
    const terms = searchTerms(lastValue(params, 'search'));

    const rows = spacecraft.filter(
      (r) =>
        (inSpace === undefined || r.in_space === inSpace) &&
        (isPlaceholder === undefined || r.is_placeholder === isPlaceholder) &&
        (!name || r.name === name) &&
        (configFilter?.kind !== 'value' || matchesId(r.spacecraft_config.id, configFilter)) &&
        (statusFilter?.kind !== 'value' || matchesId(r.status.id, statusFilter)) &&
        matchesSearch([r.name, r.spacecraft_config.name], terms),
    );
    const ordering = parseOrdering(lastValue(params, 'ordering'), SPACECRAFT_ORDERING_FIELDS, DEFAULT_SPACECRAFT_ORDERING);
    const ordered = orderRows(rows, ordering, spacecraftKey);
    const page = paginate(ordered, params, pageUrl);
    if (lastValue(params, 'mode') !== 'detailed') return json(200, page);
    return json(200, {
      ...page,
      results: page.results.map((r) => toDetailedSpacecraft(r, details.get(r.spacecraft_config.id))),
    });
  }

  function listConfigurations(params: QueryParams, pageUrl: string): Answer {
    const numbers = numberFilters(params, ['agency']);
    if (!(numbers instanceof Map)) return numbers;
    const agency = numbers.get('agency');
    const inUse = parseBooleanFilter(lastValue(params, 'in_use'));
    const humanRated = parseBooleanFilter(lastValue(params, 'human_rated'));
    const name = lastValue(params, 'name');
    const terms = searchTerms(lastValue(params, 'search'));
    const rows = configurations.filter(
      (c) =>
        (!name || c.name === name) &&
        (inUse === undefined || c.in_use === inUse) &&
        (humanRated === undefined || details.get(c.id)?.detailed.human_rated === humanRated) &&
        (agency?.kind !== 'value' || matchesId(c.agency.id, agency)) &&
        matchesSearch([c.name, c.agency.name, c.agency.abbrev], terms),
    );
    const ordering = parseOrdering(lastValue(params, 'ordering'), CONFIGURATION_ORDERING_FIELDS, DEFAULT_CONFIGURATION_ORDERING);
    const ordered = orderRows(rows, ordering, (c, field): SortKey => (field === 'name' ? c.name : c.id));
    return json(200, paginate(ordered, params, pageUrl));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `fake LL2 bug: ${String(error)}` }));
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake LL2: not listening on a TCP port');
  const { port } = address;
  origin = `http://${HOST}:${port}`;

  return {
    baseUrl: `${origin}${API_PREFIX}`,
    port,
    requests,
    countedRequests: () => requests.filter((r) => r.counted).length,
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setQuota: (next) => {
      quota = next;
    },
    setMode: (next) => {
      mode = next;
    },
    failAfter: (n) => {
      failBudget = n;
    },
    setSpacecraft: (records) => {
      spacecraft = [...records];
    },
    addSpacecraft: (record) => {
      if (spacecraft.some((r) => r.id === record.id)) throw new Error(`spacecraft ${record.id} already exists`);
      spacecraft.push(record);
    },
    resetRequests: () => {
      requests.length = 0;
    },
    resetQuota: () => throttle.reset(),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const wake of [...sleepers]) wake();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await done;
    },
  };
}

function spacecraftKey(record: SpacecraftRecord, field: string): SortKey {
  switch (field) {
    case 'id':
      return record.id;
    case 'flights_count':
      return record.flights_count;
    case 'mission_ends_count':
      return record.mission_ends_count;
    case 'time_docked':
      return durationKey(record.time_docked);
    case 'time_in_space':
      return durationKey(record.time_in_space);
    default:
      throw new Error(`no sort key for ${field}`);
  }
}
