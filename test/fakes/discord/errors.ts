// Discord's error bodies: `{code, message, errors?}` with the matching HTTP status.
// Form errors use Discord's nested shape (`{data:{embeds:{0:{title:{_errors:[...]}}}}}`), which
// discord.js flattens into messages like `data.embeds[0].title[BASE_TYPE_MAX_LENGTH]: ...`.

export type FieldPath = (string | number)[];

export interface FieldError {
  path: FieldPath;
  code: string;
  message: string;
}

export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: Record<string, unknown>;
}

export class DiscordHttpError extends Error {
  readonly status: number;
  readonly body: DiscordErrorBody;
  readonly paths: string[];

  constructor(status: number, code: number, message: string, fieldErrors: FieldError[] = []) {
    super(`${status} ${code} ${message}`);
    this.name = 'DiscordHttpError';
    this.status = status;
    this.paths = fieldErrors.map((error) => formatPath(error.path));
    this.body = fieldErrors.length > 0 ? { code, message, errors: nestErrors(fieldErrors) } : { code, message };
  }
}

/** `['data','embeds',0,'title']` → `data.embeds[0].title`, the way discord.js prints it. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out.length > 0 ? `.${part}` : part;
  }
  return out;
}

function nestErrors(fieldErrors: FieldError[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { path, code, message } of fieldErrors) {
    let node = root;
    for (const part of path) {
      const key = String(part);
      const child = node[key];
      if (typeof child === 'object' && child !== null) {
        node = child as Record<string, unknown>;
      } else {
        const created: Record<string, unknown> = {};
        node[key] = created;
        node = created;
      }
    }
    const list = node['_errors'];
    if (Array.isArray(list)) list.push({ code, message });
    else node['_errors'] = [{ code, message }];
  }
  return root;
}

export const discordErrors = {
  invalidFormBody: (errors: FieldError[]) => new DiscordHttpError(400, 50035, 'Invalid Form Body', errors),
  invalidJson: () => new DiscordHttpError(400, 50109, 'The request body contains invalid JSON.'),
  emptyMessage: () => new DiscordHttpError(400, 50006, 'Cannot send an empty message'),
  alreadyAcknowledged: () => new DiscordHttpError(400, 40060, 'Interaction has already been acknowledged.'),
  unknownInteraction: () => new DiscordHttpError(404, 10062, 'Unknown interaction'),
  unknownWebhook: () => new DiscordHttpError(404, 10015, 'Unknown Webhook'),
  unknownMessage: () => new DiscordHttpError(404, 10008, 'Unknown Message'),
  unknownChannel: () => new DiscordHttpError(404, 10003, 'Unknown Channel'),
  unknownCommand: () => new DiscordHttpError(404, 10063, 'Unknown application command'),
  unknownApplication: () => new DiscordHttpError(404, 10002, 'Unknown Application'),
  invalidWebhookToken: () => new DiscordHttpError(401, 50027, 'Invalid Webhook Token'),
  unauthorized: () => new DiscordHttpError(401, 0, '401: Unauthorized'),
  missingAccess: () => new DiscordHttpError(403, 50001, 'Missing Access'),
  notFound: () => new DiscordHttpError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new DiscordHttpError(405, 0, '405: Method Not Allowed'),
} as const;
