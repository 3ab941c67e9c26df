// The only place that talks HTTP to LL2: undici, timeouts, the Token header, zod at the edge, typed errors.
import { request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { Ll2BodyError, Ll2HttpError, Ll2NetworkError, Ll2QuotaError } from './errors.ts';
import {
  configSchema,
  pageSchema,
  spacecraftDetailedSchema,
  spacecraftSchema,
  statusSchema,
  throttleSchema,
  type Page,
  type Spacecraft,
  type SpacecraftConfig,
  type SpacecraftDetailed,
  type SpacecraftStatus,
  type Throttle,
} from './schemas.ts';

export interface Ll2ClientOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  userAgent?: string;
}

export type QueryParams = Record<string, string | number | boolean | undefined>;

const MAX_BODY_BYTES = 20 * 1024 * 1024;

export class Ll2Client {
  readonly baseUrl: string;
  readonly keyed: boolean;

  constructor(private readonly options: Ll2ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.keyed = options.apiKey !== undefined;
  }

  listSpacecraft(params: QueryParams): Promise<Page<Spacecraft>> {
    return this.get('/spacecraft/', params, pageSchema(spacecraftSchema));
  }

  getSpacecraft(id: number): Promise<SpacecraftDetailed> {
    return this.get(`/spacecraft/${id}/`, {}, spacecraftDetailedSchema);
  }

  listConfigurations(params: QueryParams): Promise<Page<SpacecraftConfig>> {
    return this.get('/spacecraft_configurations/', params, pageSchema(configSchema));
  }

  listStatuses(params: QueryParams): Promise<Page<SpacecraftStatus>> {
    return this.get('/config/spacecraft_statuses/', params, pageSchema(statusSchema));
  }

  /** Costs no quota (LL2 FAQ). */
  throttle(): Promise<Throttle> {
    return this.get('/api-throttle/', {}, throttleSchema);
  }

  urlFor(path: string, params: QueryParams): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async get<T extends z.ZodType>(path: string, params: QueryParams, schema: T): Promise<z.output<T>> {
    const url = this.urlFor(path, params);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'Spacedock (Discord bot; +https://github.com/)',
    };
    if (this.options.apiKey !== undefined) headers.authorization = `Token ${this.options.apiKey}`;

    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        headers,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        ...(this.options.dispatcher === undefined ? {} : { dispatcher: this.options.dispatcher }),
      });
    } catch (error) {
      throw new Ll2NetworkError('GET', url, isTimeout(error) ? 'timeout' : 'unreachable', error);
    }

    let text: string;
    try {
      text = await readLimited(response, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof Ll2BodyError) throw new Ll2BodyError('GET', url, error.issues);
      throw new Ll2NetworkError('GET', url, isTimeout(error) ? 'timeout' : 'unreachable', error);
    }

    if (response.statusCode === 429) {
      throw new Ll2QuotaError('GET', url, retryAfterSecs(response.headers['retry-after'], text), 'upstream');
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new Ll2HttpError('GET', url, response.statusCode, text.slice(0, 500));
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Ll2BodyError('GET', url, 'not JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Ll2BodyError('GET', url, issues);
    }
    return parsed.data;
  }
}

async function readLimited(response: Dispatcher.ResponseData, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      response.body.destroy();
      throw new Ll2BodyError('GET', '', `body larger than ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? String(error.code) : '';
  return error.name === 'TimeoutError' || error.name === 'AbortError' || code.includes('TIMEOUT');
}

/** Seconds until LL2 accepts requests again: Retry-After, else the DRF message "Expected available in N seconds.", else 60. */
export function retryAfterSecs(header: string | string[] | undefined, body: string): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && /^\d+$/.test(value.trim())) return Math.max(1, Number(value.trim()));
  const match = /available in (\d+)/i.exec(body);
  if (match?.[1] !== undefined) return Math.max(1, Number(match[1]));
  return 60;
}
