import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
}

describe('the logger', () => {
  it('strips interaction and webhook tokens from error URLs and drops request bodies', () => {
    const { lines, logger } = capture();
    const error = Object.assign(new Error('Unknown interaction'), {
      url: 'https://discord.com/api/v10/interactions/1234567890/aW50ZXJhY3Rpb246c2VjcmV0/callback?with_response=false',
      requestBody: { json: { data: { content: 'x' } } },
      method: 'POST',
    });
    logger.error({ err: error }, 'could not deliver an answer');
    const webhook = Object.assign(new Error('Invalid Webhook Token'), { url: 'https://discord.com/api/v10/webhooks/99887766/c2VjcmV0LXRva2Vu/messages/@original' });
    logger.error({ err: webhook }, 'edit failed');
    const text = lines.join('\n');
    expect(text).not.toMatch(/aW50ZXJhY3Rpb246c2VjcmV0|c2VjcmV0LXRva2Vu/);
    expect(text).toMatch(/interactions\/1234567890\/\[redacted\]/);
    expect(text).not.toMatch(/requestBody/);
    expect(text).toMatch(/"method":"POST"/);
  });

  it('redacts tokens and authorization headers wherever they are logged', () => {
    const { lines, logger } = capture();
    logger.info({ token: 'MTIz.abc.def', headers: { authorization: 'Token secret-key' }, config: { DISCORD_TOKEN: 'MTIz.abc.def', LL2_API_KEY: 'k' } }, 'x');
    expect(lines.join('')).not.toMatch(/MTIz|secret-key|"k"/);
  });
});
