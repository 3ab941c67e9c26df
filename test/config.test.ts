import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const TOKEN = 'MTAxMjM0NTY3ODkwMTIzNDU2.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789ABCD';

describe('configuration', () => {
  it('has working defaults with an empty environment (console mode)', () => {
    const config = loadConfig({});
    expect(config.LL2_BASE_URL).toBe('https://ll.thespacedevs.com/2.3.0');
    expect(config.STORE_URL).toBe('sqlite://./data/spacedock.sqlite');
    expect(config.DISCORD_TOKEN).toBeUndefined();
    expect(config.LL2_QUOTA_LIMIT).toBe(15);
    expect(config.LL2_QUOTA_WINDOW_SECS).toBe(3600);
  });

  it('treats empty values as unset and trims trailing slashes', () => {
    const config = loadConfig({ DISCORD_GUILD_ID: '', LL2_BASE_URL: 'http://127.0.0.1:4010/2.3.0/', LL2_API_KEY: '' });
    expect(config.DISCORD_GUILD_ID).toBeUndefined();
    expect(config.LL2_BASE_URL).toBe('http://127.0.0.1:4010/2.3.0');
    expect(config.LL2_API_KEY).toBeUndefined();
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ LL2_BASE_URL: 'ftp://x', LOG_LEVEL: 'loud', LL2_QUOTA_LIMIT: '-3', DISCORD_GUILD_ID: 'abc' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/LL2_BASE_URL/);
    expect(problems).toMatch(/LOG_LEVEL/);
    expect(problems).toMatch(/LL2_QUOTA_LIMIT/);
    expect(problems).toMatch(/DISCORD_GUILD_ID/);
  });

  it('never shows a secret value in its message', () => {
    const secret = 'not-a-token-but-secret-value';
    try {
      loadConfig({ DISCORD_TOKEN: secret });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/DISCORD_TOKEN/);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('needs the application id with a token', () => {
    expect(() => loadConfig({ DISCORD_TOKEN: TOKEN })).toThrow(/DISCORD_APPLICATION_ID/);
    const config = loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '123456789012345678' });
    expect(config.DISCORD_TOKEN).toBe(TOKEN);
  });

  it('wants the public key and the interactions port together', () => {
    expect(() => loadConfig({ INTERACTIONS_PORT: '8080' })).toThrow(/DISCORD_PUBLIC_KEY/);
  });
});

describe('the list of settings', () => {
  it('names every variable .env.example documents, and nothing else', async () => {
    const { readFileSync } = await import('node:fs');
    const { SETTING_NAMES } = await import('../src/config.ts');
    const documented = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect([...SETTING_NAMES].sort()).toEqual(documented.sort());
  });
});
