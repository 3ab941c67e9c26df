// Issue 3: replay a day of scripted interactions (simulated clock) through the real router against
// the fake LL2 with its quota on (15 requests / 3600 s), and the same script through a naive
// pass-through bot. Counts upstream requests, the busiest rolling hour, answer times and what
// people got (normal, degraded with a retry time, failed).
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { decodeCustomId } from '../../src/interactions/customId.ts';
import type { Interaction, Message } from '../../src/interactions/types.ts';
import { Ll2Client } from '../../src/ll2/client.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeLl2, type FakeLl2 } from '../../test/fakes/ll2/server.ts';
import { loadFixtureCatalogue } from '../../test/fixtures/ll2/index.ts';
import { NaivePassThrough } from '../lib/naive.ts';
import { capturingResponder, retryHintOf, verdictOf, type Verdict } from '../lib/responder.ts';
import { busiestWindow, int, met, ms, summarise, type Summary } from '../lib/stats.ts';
import { recordingLogger, tempDir } from '../lib/support.ts';
import { buildWorkload, type ScriptedInteraction, type Step, type Workload } from '../lib/workload.ts';

const HOUR = 3_600_000;
const QUOTA = { limit: 15, windowSecs: 3600 };
/** Simulated start of the day (the clock both the bot and the fake LL2 read). */
const START = Date.parse('2026-12-01T00:00:00Z');
/** How often the refresher ticks in production (Refresher's default tickMs). */
const TICK_MS = 60_000;

export interface QuotaOptions {
  interactions: number;
  hours: number;
  seed: number;
}

type Kind = Step['kind'];

export interface ReplayResult {
  system: 'Spacedock' | 'naive';
  interactions: number;
  wallMs: number;
  answer: Summary;
  answerByKind: Record<Kind, Summary>;
  verdicts: Record<Verdict, number>;
  verdictsByKind: Record<Kind, Record<Verdict, number>>;
  /** Interactions during which at least one quota-counted request was sent. */
  interactionsWithUpstream: number;
  upstream: {
    /** Quota-relevant requests sent (everything but /api-throttle/). */
    sent: number;
    accepted: number;
    refused429: number;
    byRoute: Record<string, number>;
    throttleChecks: number;
    busiestHourSent: number;
    busiestHourAccepted: number;
    /** Accepted requests per simulated clock hour. */
    perHour: number[];
  };
  /** Spacedock only: when the catalogue parts were synced, and how often a due sync was put off. */
  catalogue?: { syncHours: Record<string, number[]>; postponed: number; failed: number; oldestHours: number; refreshHours: number; detailTtlHours: number };
  /** A few of the retry hints people were shown. */
  retryHints: string[];
  notes: string[];
}

export interface QuotaResult {
  workload: { interactions: number; spanHours: number; mix: Record<Kind, number>; distinctCards: number; words: number; lists: number; seed: number };
  quota: typeof QUOTA;
  spacedock: ReplayResult;
  naive: ReplayResult;
}

const KINDS: readonly Kind[] = ['autocomplete', 'search', 'page', 'show', 'open'];

function routeOf(path: string): string {
  if (/\/spacecraft\/\d+\/$/.test(path)) return 'detail /spacecraft/{id}/';
  if (path.endsWith('/spacecraft/')) return 'list /spacecraft/';
  if (path.endsWith('/spacecraft_configurations/')) return 'list /spacecraft_configurations/';
  if (path.endsWith('/config/spacecraft_statuses/')) return 'list /config/spacecraft_statuses/';
  return path;
}

const isThrottleCheck = (path: string) => path.endsWith('/api-throttle/');

class Tally {
  readonly times: number[] = [];
  readonly timesByKind = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
  readonly verdicts: Record<Verdict, number> = { ok: 0, degraded: 0, failed: 0, empty: 0 };
  readonly verdictsByKind = new Map<Kind, Record<Verdict, number>>(KINDS.map((k) => [k, { ok: 0, degraded: 0, failed: 0, empty: 0 }]));
  withUpstream = 0;
  readonly retryHints = new Set<string>();

  add(kind: Kind, elapsed: number, verdict: Verdict, sentUpstream: boolean): void {
    this.times.push(elapsed);
    this.timesByKind.get(kind)!.push(elapsed);
    this.verdicts[verdict]++;
    this.verdictsByKind.get(kind)![verdict]++;
    if (sentUpstream) this.withUpstream++;
  }

  result(system: ReplayResult['system'], fake: FakeLl2, wallMs: number, hours: number, notes: string[]): ReplayResult {
    const counted = fake.requests.filter((r) => !isThrottleCheck(r.path));
    const accepted = counted.filter((r) => r.counted);
    const byRoute: Record<string, number> = {};
    for (const r of accepted) byRoute[routeOf(r.path)] = (byRoute[routeOf(r.path)] ?? 0) + 1;
    const perHour = Array.from({ length: hours }, () => 0);
    for (const r of accepted) {
      const hour = Math.floor((r.at - START) / HOUR);
      if (hour >= 0 && hour < perHour.length) perHour[hour]!++;
    }
    const answerByKind = Object.fromEntries(KINDS.map((k) => [k, summarise(this.timesByKind.get(k)!)])) as Record<Kind, Summary>;
    const verdictsByKind = Object.fromEntries(KINDS.map((k) => [k, this.verdictsByKind.get(k)!])) as Record<Kind, Record<Verdict, number>>;
    return {
      system,
      interactions: this.times.length,
      wallMs,
      answer: summarise(this.times),
      answerByKind,
      verdicts: this.verdicts,
      verdictsByKind,
      interactionsWithUpstream: this.withUpstream,
      upstream: {
        sent: counted.length,
        accepted: accepted.length,
        refused429: counted.filter((r) => r.status === 429).length,
        byRoute,
        throttleChecks: fake.requests.length - counted.length,
        busiestHourSent: busiestWindow(counted.map((r) => r.at), QUOTA.windowSecs * 1000).count,
        busiestHourAccepted: busiestWindow(accepted.map((r) => r.at), QUOTA.windowSecs * 1000).count,
        perHour,
      },
      retryHints: [...this.retryHints].slice(0, 5),
      notes,
    };
  }
}

function quotaSpend(fake: FakeLl2): number {
  let n = 0;
  for (const r of fake.requests) if (!isThrottleCheck(r.path)) n++;
  return n;
}

/** The last list message of each list number, so buttons and menus can be pressed later. */
interface ListMessage {
  message: Message;
  /** Who ran the search the message answers (what Discord's interaction_metadata would say). */
  owner: string;
}

function componentFor(message: Message, action: 'next' | 'prev' | 'open'): string | null {
  for (const row of message.components) {
    for (const component of row.components) {
      if (!('custom_id' in component)) continue;
      if (decodeCustomId(component.custom_id)?.action === action) return component.custom_id;
    }
  }
  return null;
}

function toInteraction(scripted: ScriptedInteraction, index: number, lists: Map<number, ListMessage>): Interaction | null {
  const base = { interactionId: `bench-${index}`, user: { id: scripted.user, name: scripted.user } };
  const step = scripted.step;
  switch (step.kind) {
    case 'autocomplete':
      return {
        ...base,
        kind: 'autocomplete',
        command: 'spacecraft',
        subcommand: step.option === 'name' ? 'show' : 'search',
        options: { [step.option]: step.text },
        focused: { name: step.option, value: step.text },
      };
    case 'search':
      return { ...base, kind: 'command', command: 'spacecraft', subcommand: 'search', options: { query: step.search, ...(step.ordering === undefined ? {} : { sort: step.ordering }) } };
    case 'show':
      return { ...base, kind: 'command', command: 'spacecraft', subcommand: 'show', options: { name: String(step.id) } };
    case 'page':
    case 'open': {
      const list = lists.get(step.list);
      const customId = list === undefined ? null : componentFor(list.message, step.kind === 'open' ? 'open' : step.direction);
      if (customId === null) return null;
      return { ...base, kind: 'component', customId, values: step.kind === 'open' ? [String(step.id)] : [], messageEphemeral: false, messageOwnerId: list!.owner };
    }
  }
}

async function replaySpacedock(workload: Workload, hours: number): Promise<ReplayResult> {
  let simNow = START;
  const now = () => simNow;
  const fake = await startFakeLl2({ quota: QUOTA, now });
  const dir = tempDir('quota');
  const log = recordingLogger('info');
  const config = loadConfig({ LL2_BASE_URL: fake.baseUrl, STORE_URL: `sqlite://${join(dir.path, 'store.sqlite')}` });
  const app = await createApp(config, log.logger, { now, refresh: false });
  const tally = new Tally();
  const lists = new Map<number, ListMessage>();
  let skipped = 0;
  let offScript = 0;
  const started = performance.now();
  try {
    // what production start-up does: read LL2's count, then a refresher pass (the first sync)
    const parts = ['spacecraft', 'configurations', 'statuses'] as const;
    const syncedAt = new Map<string, number[]>(parts.map((p) => [p, []]));
    let oldestCatalogue = 0;
    const tick = async () => {
      const before = parts.map((p) => app.catalogue.fetchedAt(p));
      await app.refresher.tick();
      parts.forEach((p, i) => {
        const after = app.catalogue.fetchedAt(p);
        if (after !== null && after !== before[i]) syncedAt.get(p)!.push(after);
      });
    };
    await app.quota.syncWithUpstream();
    await tick();
    let lastTick = simNow;
    for (const [index, scripted] of workload.interactions.entries()) {
      simNow = START + scripted.at;
      if (simNow - lastTick >= TICK_MS) {
        await tick();
        lastTick = simNow;
      }
      oldestCatalogue = Math.max(oldestCatalogue, simNow - (app.catalogue.fetchedAt('spacecraft') ?? START));
      const interaction = toInteraction(scripted, index, lists);
      if (interaction === null) {
        skipped++;
        continue;
      }
      // the script and the bot must agree on where a click leads (same catalogue, same engine)
      if (scripted.step.kind === 'page' && interaction.kind === 'component' && decodeCustomId(interaction.customId)?.value !== scripted.step.page) offScript++;
      const { responder, captured } = capturingResponder();
      const before = quotaSpend(fake);
      const t0 = performance.now();
      await app.router.handle(interaction, responder);
      const elapsed = performance.now() - t0;
      const verdict = verdictOf(captured.message, captured.choices);
      tally.add(scripted.step.kind, elapsed, verdict, quotaSpend(fake) > before);
      if (verdict === 'degraded') {
        const hint = retryHintOf(captured.message);
        if (hint !== null) tally.retryHints.add(hint);
      }
      const step = scripted.step;
      if (captured.message !== null && verdict !== 'failed') {
        if (step.kind === 'search') lists.set(step.list, { message: captured.message, owner: scripted.user });
        // the owner's page click replaces the list message; a card opened from it keeps the list's buttons pressable
        if (step.kind === 'page' && captured.updated) lists.set(step.list, { message: captured.message, owner: lists.get(step.list)!.owner });
      }
    }
    const wallMs = performance.now() - started;
    const notes: string[] = [];
    const hoursOf = (times: number[]) => times.map((t) => `${((t - START) / HOUR).toFixed(1)} h`).join(', ');
    notes.push(`catalogue syncs completed at (simulated): ${parts.map((p) => `${p} ${hoursOf(syncedAt.get(p)!) || 'never'}`).join('; ')} — refresh interval ${config.CATALOGUE_REFRESH_MINUTES / 60} h`);
    notes.push(
      `refresher passes that postponed a due sync for want of quota headroom: ${log.count('catalogue sync waits for quota headroom')}; failed syncs: ${log.count('catalogue sync failed; keeping the last good version')}; oldest spacecraft catalogue an answer was served from: ${(oldestCatalogue / HOUR).toFixed(1)} h`,
    );
    if (skipped > 0) notes.push(`${skipped} scripted clicks skipped: their list had no message to click`);
    if (offScript > 0) notes.push(`${offScript} page clicks led to another page than the script expected`);
    const errors = log.records.filter((r) => r.level >= 50);
    if (errors.length > 0) notes.push(`${errors.length} error log lines, e.g. "${errors[0]!.msg}"`);
    const result = tally.result('Spacedock', fake, wallMs, hours, notes);
    result.catalogue = {
      syncHours: Object.fromEntries(parts.map((p) => [p, syncedAt.get(p)!.map((t) => (t - START) / HOUR)])),
      postponed: log.count('catalogue sync waits for quota headroom'),
      failed: log.count('catalogue sync failed; keeping the last good version'),
      oldestHours: oldestCatalogue / HOUR,
      refreshHours: config.CATALOGUE_REFRESH_MINUTES / 60,
      detailTtlHours: config.DETAIL_TTL_MINUTES / 60,
    };
    return result;
  } finally {
    await app.close();
    await fake.close();
    dir.remove();
  }
}

async function replayNaive(workload: Workload, hours: number): Promise<ReplayResult> {
  let simNow = START;
  const now = () => simNow;
  const fake = await startFakeLl2({ quota: QUOTA, now });
  const naive = new NaivePassThrough(new Ll2Client({ baseUrl: fake.baseUrl, timeoutMs: 10_000 }), now);
  const queryOf = (list: number) => workload.lists[list]!.query;
  const tally = new Tally();
  const started = performance.now();
  try {
    for (const scripted of workload.interactions) {
      simNow = START + scripted.at;
      const before = quotaSpend(fake);
      const t0 = performance.now();
      const outcome = await naive.answer(scripted.step, queryOf);
      const elapsed = performance.now() - t0;
      const verdict: Verdict = outcome.kind === 'failed' ? 'failed' : outcome.kind === 'choices' ? (outcome.choices.length === 0 ? 'empty' : 'ok') : 'ok';
      tally.add(scripted.step.kind, elapsed, verdict, quotaSpend(fake) > before);
    }
    return tally.result('naive', fake, performance.now() - started, hours, []);
  } finally {
    await fake.close();
  }
}

export async function runQuota(options: QuotaOptions, progress: (text: string) => void): Promise<QuotaResult> {
  const workload = buildWorkload({ records: loadFixtureCatalogue().spacecraft, count: options.interactions, spanMs: options.hours * HOUR, seed: options.seed });
  const hours = Math.ceil(workload.spanMs / HOUR);
  progress(`workload: ${workload.interactions.length} interactions over ${(workload.spanMs / HOUR).toFixed(1)} simulated hours`);
  const spacedock = await replaySpacedock(workload, hours);
  progress(`Spacedock replay: ${Math.round(spacedock.wallMs)} ms, ${spacedock.upstream.sent} upstream requests`);
  const naive = await replayNaive(workload, hours);
  progress(`naive replay: ${Math.round(naive.wallMs)} ms, ${naive.upstream.sent} upstream requests`);
  return {
    workload: {
      interactions: workload.interactions.length,
      spanHours: workload.spanMs / HOUR,
      mix: workload.mix,
      distinctCards: workload.distinctCards,
      words: workload.words,
      lists: workload.lists.length,
      seed: options.seed,
    },
    quota: QUOTA,
    spacedock,
    naive,
  };
}

// ---------------------------------------------------------------------------------------------

const pct = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`);

export function renderQuota(r: QuotaResult): string {
  const s = r.spacedock;
  const n = r.naive;
  const neverOver = s.upstream.busiestHourSent <= r.quota.limit;
  const lines: string[] = [];
  lines.push(`### Upstream LL2 requests per ${int(r.workload.interactions)} interactions (issues 3 and 6.3)`);
  lines.push('');
  lines.push(
    `Scripted workload (seed ${r.workload.seed}): ${int(r.workload.interactions)} interactions over ${r.workload.spanHours.toFixed(1)} simulated hours — ` +
      `${KINDS.map((k) => `${int(r.workload.mix[k])} ${k}`).join(', ')}; searches draw from ${r.workload.words} words of the data (Zipf), ` +
      `cards from ${int(r.workload.distinctCards)} distinct spacecraft (Zipf). Fake LL2 (fixture catalogue, 590 spacecraft) enforcing ${r.quota.limit} requests / ${r.quota.windowSecs} s, no added latency. ` +
      `Spacedock: the real router in-process, SQLite store, starting empty (its first sync is counted), refresher ticked every simulated minute.`,
  );
  lines.push('');
  lines.push('| | Spacedock | naive (1 request per interaction) |');
  lines.push('|---|---:|---:|');
  lines.push(`| upstream requests sent (quota-counted routes) | ${int(s.upstream.sent)} | ${int(n.upstream.sent)} |`);
  lines.push(`| … accepted by LL2 | ${int(s.upstream.accepted)} | ${int(n.upstream.accepted)} |`);
  lines.push(`| … refused with 429 | ${int(s.upstream.refused429)} | ${int(n.upstream.refused429)} |`);
  lines.push(`| most requests sent in any rolling hour (quota ${r.quota.limit}) | **${int(s.upstream.busiestHourSent)}** ${neverOver ? '(never over)' : '(OVER)'} | **${int(n.upstream.busiestHourSent)}** |`);
  lines.push(`| interactions that waited on an upstream call | ${int(s.interactionsWithUpstream)} (${pct(s.interactionsWithUpstream, s.interactions)}) | ${int(n.interactionsWithUpstream)} (${pct(n.interactionsWithUpstream, n.interactions)}) |`);
  lines.push(`| answer time p50 / p99 (wall, per handle()) | ${ms(s.answer.p50)} / ${ms(s.answer.p99)} | ${ms(n.answer.p50)} / ${ms(n.answer.p99)} |`);
  lines.push(`| answered normally | ${int(s.verdicts.ok)} (${pct(s.verdicts.ok, s.interactions)}) | ${int(n.verdicts.ok)} (${pct(n.verdicts.ok, n.interactions)}) |`);
  lines.push(`| degraded: older data with a retry time | ${int(s.verdicts.degraded)} (${pct(s.verdicts.degraded, s.interactions)}) | – |`);
  lines.push(`| failed (error message; naive: LL2 429) | ${int(s.verdicts.failed)} (${pct(s.verdicts.failed, s.interactions)}) | ${int(n.verdicts.failed)} (${pct(n.verdicts.failed, n.interactions)}) |`);
  lines.push(`| autocomplete with no suggestion | ${int(s.verdicts.empty)} | ${int(n.verdicts.empty)} |`);
  lines.push(`| replay wall time | ${ms(s.wallMs)} | ${ms(n.wallMs)} |`);
  lines.push('');
  lines.push(`Target: Spacedock never sends more than ${r.quota.limit} requests in any rolling hour — ${met(neverOver)}; the naive bot sends ${int(n.upstream.busiestHourSent)} in its busiest hour.`);
  lines.push('');
  const routes = (x: ReplayResult) => Object.entries(x.upstream.byRoute).map(([route, count]) => `${route} ${int(count)}`).join(', ') || 'none';
  lines.push(`- Spacedock's accepted requests by route: ${routes(s)}; free \`/api-throttle/\` checks: ${int(s.upstream.throttleChecks)}.`);
  lines.push(`- Spacedock's accepted requests per simulated hour: ${s.upstream.perHour.join(' ')}.`);
  lines.push(`- naive accepted requests per simulated hour: ${n.upstream.perHour.join(' ')}.`);
  const detail = s.upstream.byRoute['detail /spacecraft/{id}/'] ?? 0;
  const sync = s.upstream.accepted - detail;
  if (s.catalogue !== undefined) {
    const fetchesPerCard = Math.ceil(r.workload.spanHours / s.catalogue.detailTtlHours);
    const bound = sync + r.workload.distinctCards * fetchesPerCard;
    lines.push(
      `- Bound: Spacedock sent ${int(sync)} catalogue-sync requests and ${int(detail)} detail-card requests for ${int(r.workload.distinctCards)} distinct spacecraft asked for ` +
        `(a card is reused for ${s.catalogue.detailTtlHours} h, so at most ${fetchesPerCard} fetches each): ${int(s.upstream.sent)} ≤ ${int(sync)} + ${int(r.workload.distinctCards)} × ${fetchesPerCard} = ${int(bound)} — ${met(s.upstream.sent <= bound)}. ` +
        `Every other interaction (${int(s.interactions - s.interactionsWithUpstream)}) was answered from the catalogue or a cached card.`,
    );
  }
  for (const note of s.notes) lines.push(`- Spacedock: ${note}.`);
  if (s.retryHints.length > 0) lines.push(`- What a degraded card says, e.g.: “${s.retryHints[0]}”`);
  lines.push('');
  lines.push('Per kind of interaction (p50 / p99 answer time; degraded / failed):');
  lines.push('');
  lines.push('| kind | count | Spacedock | Spacedock degraded / failed | naive | naive failed |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const k of KINDS) {
    const sv = s.verdictsByKind[k];
    lines.push(
      `| ${k} | ${int(s.answerByKind[k].count)} | ${ms(s.answerByKind[k].p50)} / ${ms(s.answerByKind[k].p99)} | ${int(sv.degraded)} / ${int(sv.failed)} | ${ms(n.answerByKind[k].p50)} / ${ms(n.answerByKind[k].p99)} | ${int(n.verdictsByKind[k].failed)} |`,
    );
  }
  lines.push('');
  lines.push(
    '_Answer times here are the bots\' own cost against a local fake LL2 with **no** added latency (the replay is sequential on a simulated clock; 300 ms per request would make the naive replay take 50 minutes). ' +
      'Against the real LL2 every interaction that waited on an upstream call (the row above) also waits one LL2 round trip._',
  );
  return lines.join('\n');
}
