// HTTP interactions mode (issue 5): two real worker processes behind a round robin, one Redis. Every
// request is signed by the test as Discord signs it (Ed25519 over timestamp + raw body).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLl2, type FakeLl2 } from '../fakes/ll2/server.ts';
import {
  autocompleteInteraction,
  buttonInteraction,
  createSigner,
  customIds,
  dropNamespace,
  eventually,
  footerOf,
  freePort,
  listNamespace,
  person,
  pingInteraction,
  postInteraction,
  slashInteraction,
  spawnSpacedock,
  startWebhookRecorder,
  stopAllSpacedocks,
  type HttpAnswer,
  type SpacedockProcess,
  type WebhookRecorder,
} from '../support/cluster.ts';
import { REDIS_URL, uniqueNamespace } from '../support/stores.ts';

const APPLICATION_ID = '1100000000000000042';
const signer = createSigner();
const namespace = uniqueNamespace();

let ll2: FakeLl2;
let recorder: WebhookRecorder;
const workers: Array<{ process: SpacedockProcess; url: string }> = [];
let turn = 0;
/** The load balancer: each request goes to the next worker. */
const nextWorker = () => workers[turn++ % workers.length]!;

async function post(url: string, payload: unknown): Promise<HttpAnswer> {
  const body = JSON.stringify(payload);
  return postInteraction(url, body, signer.headers(body));
}

const dataOf = (answer: HttpAnswer): unknown => (typeof answer.body === 'object' && answer.body !== null ? (answer.body as { data?: unknown }).data : undefined);
const typeOf = (answer: HttpAnswer): unknown => (typeof answer.body === 'object' && answer.body !== null ? (answer.body as { type?: unknown }).type : undefined);

beforeAll(async () => {
  ll2 = await startFakeLl2();
  recorder = await startWebhookRecorder();
  const ports = [await freePort(), await freePort()];
  for (const [i, port] of ports.entries()) {
    const process = spawnSpacedock(`worker ${i + 1}`, {
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
      INTERACTIONS_PORT: String(port),
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_REST_API: recorder.restBase,
      STORE_URL: REDIS_URL,
      STORE_NAMESPACE: namespace,
      LL2_BASE_URL: ll2.baseUrl,
      LL2_QUOTA_LIMIT: '1000',
    });
    workers.push({ process, url: `http://127.0.0.1:${port}/` });
  }
  await Promise.all(workers.map((w) => w.process.waitForLog('serving the HTTP interactions endpoint')));
  const parts = (w: SpacedockProcess) =>
    new Set(w.logs.flatMap((l) => (l.msg === 'catalogue part synced' ? [String(l['part'])] : l.msg === 'loaded the catalogue version in the store' && Array.isArray(l['parts']) ? l['parts'].map(String) : [])));
  await eventually('the catalogue in both workers', () => workers.every((w) => parts(w.process).size === 3), 15_000);
});

afterAll(async () => {
  await stopAllSpacedocks();
  await recorder?.close();
  await ll2?.close();
  await dropNamespace(REDIS_URL, namespace);
});

describe('two HTTP interaction workers on one Redis', () => {
  it('answer PING with PONG', async () => {
    for (const worker of workers) {
      expect(await post(worker.url, pingInteraction(APPLICATION_ID))).toEqual({ status: 200, body: { type: 1 } });
    }
  });

  it('handle a replayed signed interaction once (409 for the copy)', async () => {
    const worker = workers[0]!;
    const interaction = slashInteraction(APPLICATION_ID, person('eve'), 'search', { query: 'dragon' });
    expect((await post(worker.url, interaction)).status).toBe(200);
    expect((await post(worker.url, interaction)).status).toBe(409);
  });

  it('serve a search on one worker and its next page on the other (round robin)', async () => {
    // only one of them mirrored LL2
    expect(workers.filter((w) => w.process.logs.some((l) => l.msg === 'catalogue part synced'))).toHaveLength(1);
    const ada = person('ada');
    const first = nextWorker();
    const searchInteraction = slashInteraction(APPLICATION_ID, ada, 'search', { query: 'soyuz' });
    const search = await post(first.url, searchInteraction);
    expect(search.status).toBe(200);
    expect(typeOf(search)).toBe(4);
    expect(footerOf(dataOf(search))).toMatch(/^page 1\/\d+ · \d+ results · catalogue synced/);
    const next = customIds(dataOf(search)).find((id) => id.includes(':next:'));
    expect(next).toBeDefined();

    const second = nextWorker();
    expect(second).not.toBe(first);
    const click = buttonInteraction(APPLICATION_ID, ada, next!);
    const page = await post(second.url, click);
    expect(page.status).toBe(200);
    expect(typeOf(page)).toBe(7); // the list message itself is updated
    expect(footerOf(dataOf(page))).toMatch(/^page 2\//);
    expect(JSON.stringify(dataOf(page))).not.toBe(JSON.stringify(dataOf(search)));
    // each worker's own router answered its request
    await eventually('the first worker to log the search', () => first.process.handled(searchInteraction.id));
    await eventually('the second worker to log the click', () => second.process.handled(click.id));
    expect(first.process.handled(click.id)).toBe(false);

    // someone else clicking ada's message (its interaction_metadata names her) gets an ephemeral copy
    const bobsClick = await post(nextWorker().url, buttonInteraction(APPLICATION_ID, person('bob'), next!, ada));
    expect(bobsClick.status).toBe(200);
    expect(typeOf(bobsClick)).toBe(4);
    expect((dataOf(bobsClick) as { flags?: number }).flags).toBe(64);
    expect(footerOf(dataOf(bobsClick))).toMatch(/^page 2\//);
  });

  it('defer a slow answer in the HTTP response and deliver it through the REST API', async () => {
    ll2.setLatency(1_600);
    try {
      const ada = person('ada');
      const interaction = slashInteraction(APPLICATION_ID, ada, 'show', { name: 'Soyuz TMA-08M' });
      const answer = await post(nextWorker().url, interaction);
      expect(answer).toEqual({ status: 200, body: { type: 5, data: {} } });
      const edit = await eventually('the edit of the original message', () =>
        recorder.calls.find((c) => c.path === `/api/v10/webhooks/${APPLICATION_ID}/${interaction.token}/messages/@original`),
      );
      expect(edit.method).toBe('PATCH');
      expect(footerOf(edit.body)).toMatch(/live from LL2/);
      expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
      await eventually('the worker to finish with it', () => workers.some((w) => w.process.handled(interaction.id)));
    } finally {
      ll2.setLatency(0);
    }
  });

  const valid = () => JSON.stringify(slashInteraction(APPLICATION_ID, person('mallory'), 'search', { query: 'soyuz' }));
  const otherSigner = createSigner();
  const cases: Array<{ name: string; status: number; request: () => { body: string | Buffer; headers: Record<string, string> } }> = [
    { name: 'no signature headers', status: 401, request: () => ({ body: valid(), headers: {} }) },
    { name: 'a signature without its timestamp', status: 401, request: () => {
      const body = valid();
      return { body, headers: { 'x-signature-ed25519': signer.headers(body)['x-signature-ed25519']! } };
    } },
    { name: 'a signature by another key', status: 401, request: () => {
      const body = valid();
      return { body, headers: otherSigner.headers(body) };
    } },
    { name: 'a body changed after signing', status: 401, request: () => {
      const body = valid();
      return { body: body.replace('soyuz', 'dragon'), headers: signer.headers(body) };
    } },
    { name: 'a signature that is not hex', status: 401, request: () => ({ body: valid(), headers: { 'x-signature-ed25519': 'zz'.repeat(64), 'x-signature-timestamp': String(Math.floor(Date.now() / 1000)) } }) },
    { name: 'a stale timestamp (correctly signed, 10 minutes old)', status: 401, request: () => {
      const body = valid();
      return { body, headers: signer.headers(body, Math.floor(Date.now() / 1000) - 600) };
    } },
    { name: 'an oversized body (correctly signed)', status: 413, request: () => {
      const body = JSON.stringify({ ...JSON.parse(valid()), padding: 'x'.repeat(70 * 1024) });
      return { body, headers: signer.headers(body) };
    } },
    { name: 'a body that is not JSON (correctly signed)', status: 400, request: () => {
      const body = '{"type": 2, "data": ';
      return { body, headers: signer.headers(body) };
    } },
    { name: 'JSON that is not an interaction (correctly signed)', status: 400, request: () => {
      const body = JSON.stringify({ hello: 'world' });
      return { body, headers: signer.headers(body) };
    } },
    { name: 'an interaction for another application (correctly signed)', status: 400, request: () => {
      const body = JSON.stringify(slashInteraction('1100000000000000999', person('mallory'), 'search', {}));
      return { body, headers: signer.headers(body) };
    } },
  ];

  /** Every line a worker logs before an answered autocomplete is in by the time its own line is. */
  async function barrier(): Promise<number[]> {
    for (const worker of workers) {
      const typing = autocompleteInteraction(APPLICATION_ID, person('barrier'), 'show', 'name', 'soy');
      expect(typeOf(await post(worker.url, typing))).toBe(8);
      await eventually('the autocomplete to be logged', () => worker.process.handled(typing.id));
    }
    return workers.map((w) => w.process.logs.filter((l) => l.msg === 'interaction handled').length);
  }

  /** Interactions each worker had handled after the last barrier (the cases run one after another). */
  let handledSoFar: number[] | null = null;

  it.each(cases)('refuse $name with $status and do nothing else', async ({ status, request }) => {
    const handledBefore = handledSoFar ?? (await barrier());
    const keysBefore = await listNamespace(REDIS_URL, namespace);
    const webhookCalls = recorder.calls.length;
    const ll2Requests = ll2.requests.length;
    for (const worker of workers) {
      const { body, headers } = request();
      const answer = await postInteraction(worker.url, body, headers);
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ message: expect.any(String) });
    }
    // the router never saw them: the only interactions handled since are the barrier's
    handledSoFar = await barrier();
    expect(handledSoFar).toEqual(handledBefore.map((n) => n + 1));
    expect(recorder.calls).toHaveLength(webhookCalls);
    expect(ll2.requests).toHaveLength(ll2Requests);
    expect(await listNamespace(REDIS_URL, namespace)).toEqual(keysBefore);
    expect(workers.every((w) => w.process.alive())).toBe(true);
  });
});
