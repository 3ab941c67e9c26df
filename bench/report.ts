// Turns section results into the printed markdown: the machine, issue 6's summary table, then each
// section's own tables; and BENCHMARKS.md (the same, with how to reproduce and what is measured).
import type { Machine } from './lib/machine.ts';
import { int, met, mib, ms, ratio } from './lib/stats.ts';
import { boundBy, pairedCpu, pairedDistinct, pairedSlash, placementText, renderDiscord, SLASH_TARGET, type DiscordResult } from './sections/discord.ts';
import { renderHandler, type HandlerResult } from './sections/handler.ts';
import { renderQuota, type QuotaResult } from './sections/quota.ts';
import { renderSession, type SessionResult } from './sections/session.ts';
import { renderStartup, type StartupResult } from './sections/startup.ts';

export const SECTIONS = ['quota', 'discord', 'handler', 'startup', 'session'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface Results {
  quota?: QuotaResult;
  discord?: DiscordResult;
  handler?: HandlerResult;
  startup?: StartupResult;
  session?: SessionResult;
}

export interface RunInfo {
  machine: Machine;
  /** 1-minute load average when the run ended. */
  loadAverageAtEnd: number;
  totalMs: number;
  quick: boolean;
  sections: SectionName[];
  failures: Partial<Record<SectionName, string>>;
}

function machineLine(m: Machine, loadAtEnd: number): string {
  return `${m.cpu}, ${m.cores} cores, ${(m.ramBytes / 1024 ** 3).toFixed(1)} GiB RAM, Node ${m.node} (${m.platform}), ${m.date}; load average ${m.loadAverage.toFixed(2)} at the start, ${loadAtEnd.toFixed(2)} at the end. Code: ${m.code}`;
}

/** What the figures say, worked out from them (so the words cannot drift from the numbers). */
export function findings(r: Results): string[] {
  const out: string[] = [];
  const d = r.discord;
  const stores = r.handler?.stores;
  if (d !== undefined) {
    const paired = pairedSlash(d);
    const cpu = pairedCpu(d);
    const q = paired.median;
    const s = d.spacedock;
    const e = d.echo;
    const pct = (share: number) => `${(share * 100).toFixed(0)} %`;
    const parts: string[] = [
      `Slash throughput is ${ratio(q)} the echo bot's, the median of ${paired.ratios.length} rounds each against the echo round next to it (${paired.ratios.map((x) => ratio(x)).join(', ')}; all rounds pooled: ${ratio(s.slashPerSecond / e.slashPerSecond)}); target ${SLASH_TARGET}×: ${met(q >= SLASH_TARGET)}.`,
      placementText(d.placement),
      `During the slash bursts Spacedock's process used ${pct(s.slashBusy.bot)} of a core and the fake Discord's ${pct(s.slashBusy.fake)} (echo: ${pct(e.slashBusy.bot)} and ${pct(e.slashBusy.fake)}), so the rate was bound by ${boundBy(s, d.placement) === 'bot' && boundBy(e, d.placement) === 'bot' ? 'each bot itself, not by the fake Discord' : `Spacedock: ${boundBy(s, d.placement)}, echo: ${boundBy(e, d.placement)}`}.`,
      `From CPU time instead of the clock: Spacedock spent ${ms(s.slashCpu.bot)} of CPU per slash answer and the echo bot ${ms(e.slashCpu.bot)}, round by round a median of ${ratio(cpu.median)} (spread ${ratio(cpu.min)}–${ratio(cpu.max)}).`,
    ];
    if (s.listPages !== null) {
      const { drawn, reused } = s.listPages;
      parts.push(
        `Of its ${int(drawn + reused)} searches, Spacedock answered ${pct(reused / Math.max(1, drawn + reused))} with the page it had already drawn in the same second for the same search (Zipf words at thousands a second repeat that often); ` +
          `the buttons name nobody, so one drawn page serves everyone, and its JSON is encoded once.`,
      );
    }
    if (d.distinct.spacedock.length > 0) {
      const distinct = pairedDistinct(d);
      parts.push(
        `With searches that never repeat, so that every answer is searched, drawn and encoded afresh, it answered ${ratio(distinct.median)} the echo bot's rate (median of ${distinct.ratios.length} rounds: ${distinct.ratios.map((x) => ratio(x)).join(', ')}): ` +
          `${met(distinct.median >= SLASH_TARGET)} against ${SLASH_TARGET}× for that worst case, which no server sends at this rate.`,
      );
    }
    const redis = d.spacedockRedis;
    if (!('error' in redis) && d.echoAfterRedis !== null) {
      parts.push(
        `One round with its store on Redis instead of SQLite answered ${redis.slashPerSecond.toFixed(0)}/s, ${ratio(redis.slashPerSecond / d.echoAfterRedis.slashPerSecond)} the echo round run right after it ` +
          `(${ms(redis.slashCpu.bot)} of CPU per answer; a single pair, so within the spread above).`,
      );
    }
    const sqlite = stores?.find((x) => x.store === 'SQLite');
    const memory = stores?.find((x) => x.store === 'memory');
    if (sqlite !== undefined && memory !== undefined) {
      parts.push(
        `In-process, without Discord, the router answers searches run for the first time (each storing a new list state) at ${int(sqlite.newPerSecond)}/s (50 in flight) on SQLite and ${int(memory.newPerSecond)}/s in memory, ` +
          `and the same searches again (already stored) at ${int(sqlite.againPerSecond)}/s on SQLite and ${int(memory.againPerSecond)}/s in memory.`,
      );
    }
    out.push(parts.join(' '));
  }
  const c = r.quota?.spacedock.catalogue;
  const span = r.quota?.workload.spanHours;
  if (c !== undefined && span !== undefined) {
    const expected = Math.floor(span / c.refreshHours) + 1;
    const got = c.syncHours.spacecraft?.length ?? 0;
    if (got < expected) {
      out.push(
        `Under this load the spacecraft catalogue refreshed ${got} times in ${span.toFixed(0)} simulated hours, not ${expected} (every ${c.refreshHours} h): detail cards took every slot of the hourly budget, ` +
          `so due syncs were put off ${int(c.postponed)} times (refresher passes) until the starved refresh reserved its slots (an hour past due); answers were served from a catalogue up to ${c.oldestHours.toFixed(1)} h old.`,
      );
    }
  }
  return out;
}

/** Issue 6's four rows, from whichever sections ran. */
export function summaryTable(r: Results): string {
  const rows: string[] = ['| # | measure | Spacedock | baseline | Spacedock vs baseline | target |', '|---|---|---|---|---|---|'];
  const d = r.discord;
  if (d !== undefined) {
    const s = d.spacedock;
    const e = d.echo;
    const paired = pairedSlash(d);
    const q = paired.median;
    const budget = d.placement.budget === null ? '' : `, each bot on ${(d.placement.budget * 100).toFixed(0)} % of a core of its own`;
    const ls = d.light.spacedock;
    const le = d.light.echo;
    rows.push(
      `| 1 | slash answers/s (fake Discord, ${d.options.concurrency} in flight${budget}); latency p50 / p99 at light load (${d.options.light.concurrency} in flight) | ${s.slashPerSecond.toFixed(0)}/s; ${ms(ls.slashLatency.p50)} / ${ms(ls.slashLatency.p99)} | echo bot ${e.slashPerSecond.toFixed(0)}/s; ${ms(le.slashLatency.p50)} / ${ms(le.slashLatency.p99)} | **${ratio(q)}** throughput (median of rounds; spread ${ratio(paired.min)}–${ratio(paired.max)}) | ≥ ${SLASH_TARGET}× echo: ${met(q >= SLASH_TARGET)} |`,
    );
    if (d.distinct.spacedock.length > 0) {
      const distinct = pairedDistinct(d);
      rows.push(
        `| 1b | … the same with searches that never repeat (nothing drawn before to reuse) | ${int(d.distinct.spacedock.reduce((sum, x) => sum + x.perSecond, 0) / d.distinct.spacedock.length)}/s | echo bot ${int(d.distinct.echo.reduce((sum, x) => sum + x.perSecond, 0) / Math.max(1, d.distinct.echo.length))}/s | ${ratio(distinct.median)} (median of ${distinct.ratios.length} rounds; spread ${ratio(distinct.min)}–${ratio(distinct.max)}) | worst case, for reference |`,
      );
    }
    rows.push(
      `| 2a | autocomplete latency p50 / p99 (fake Discord, light load) | ${ms(ls.autocompleteLatency.p50)} / ${ms(ls.autocompleteLatency.p99)} | echo bot ${ms(le.autocompleteLatency.p50)} / ${ms(le.autocompleteLatency.p99)} | ${ratio(ls.autocompleteLatency.p50 / le.autocompleteLatency.p50)} / ${ratio(ls.autocompleteLatency.p99 / le.autocompleteLatency.p99)} | – |`,
    );
  }
  const h = r.handler;
  if (h !== undefined) {
    for (const c of h.catalogues) {
      const worst = Math.max(c.routerAutocomplete.p99, c.routerAutocompleteMisses.p99);
      rows.push(
        `| 2b | autocomplete handler in-process p50 / p99 (${c.label}: ${int(c.records)} spacecraft) | ${ms(c.routerAutocomplete.p50)} / ${ms(c.routerAutocomplete.p99)} (misses p99 ${ms(c.routerAutocompleteMisses.p99)}) | – | – | p99 < 5 ms: ${met(worst < 5)} |`,
      );
    }
  }
  const q = r.quota;
  if (q !== undefined) {
    rows.push(
      `| 3 | upstream LL2 requests per ${int(q.workload.interactions)} interactions (${q.workload.spanHours.toFixed(0)} simulated h); most in any rolling hour | ${int(q.spacedock.upstream.sent)}; ${int(q.spacedock.upstream.busiestHourSent)} | naive ${int(q.naive.upstream.sent)}; ${int(q.naive.upstream.busiestHourSent)} (${int(q.naive.upstream.refused429)} refused, 429) | ${ratio(q.spacedock.upstream.sent / q.naive.upstream.sent)} requests | ≤ ${q.quota.limit} in any hour: ${met(q.spacedock.upstream.busiestHourSent <= q.quota.limit)} (naive: ${met(q.naive.upstream.busiestHourSent <= q.quota.limit)}) |`,
    );
  }
  const st = r.startup;
  if (st !== undefined) {
    const echo = st.rows.find((x) => x.records === null);
    for (const x of st.rows.filter((row) => row.records !== null)) {
      rows.push(
        `| 4 | start → ready; peak RSS after load (${int(x.records ?? 0)} spacecraft in the store) | ${ms(x.readyMs)}; ${mib(x.peakRssAfterLoad)} | ${echo === undefined ? '–' : `echo bot ${ms(echo.readyMs)}; ${mib(echo.peakRssAfterLoad)}`} | ${echo === undefined ? '–' : `${ratio(x.readyMs / echo.readyMs)}; ${ratio(x.peakRssAfterLoad / echo.peakRssAfterLoad)}`} | – (how cost grows with data) |`,
      );
    }
  }
  return rows.join('\n');
}

export function renderResults(r: Results, info: RunInfo): string {
  const parts: string[] = [];
  parts.push(`Machine: ${machineLine(info.machine, info.loadAverageAtEnd)}. Total run time: ${(info.totalMs / 1000).toFixed(0)} s${info.quick ? ' (--quick: reduced counts, not comparable)' : ''}.`);
  parts.push('');
  parts.push('### Issue 6 summary');
  parts.push('');
  parts.push(summaryTable(r));
  const found = findings(r);
  if (found.length > 0) parts.push('', ...found.map((f) => `- ${f}`));
  for (const [name, message] of Object.entries(info.failures)) parts.push('', `**Section \`${name}\` failed:** ${message}`);
  if (r.discord !== undefined) parts.push('', renderDiscord(r.discord));
  if (r.handler !== undefined) parts.push('', renderHandler(r.handler));
  if (r.quota !== undefined) parts.push('', renderQuota(r.quota));
  if (r.startup !== undefined) parts.push('', renderStartup(r.startup));
  if (r.session !== undefined) parts.push('', renderSession(r.session));
  return parts.join('\n');
}

export function benchmarksMarkdown(r: Results, info: RunInfo): string {
  return `# Benchmarks

Speed, memory and LL2-quota figures for Spacedock, measured against the project's local fakes (no
internet, no real Discord, no real LL2). Timing lives here, never in \`npm test\`. Everything below
the line “Latest results” is written by \`npm run bench\`; edit the text above it in
\`bench/report.ts\`.

## How to reproduce

\`\`\`sh
npm run bench                        # every section (under 5 minutes on 2 cores); rewrites this file
npm run bench -- --only=quota        # some sections (quota, discord, handler, startup, session); prints only
npm run bench -- --only=discord,startup
npm run bench -- --no-write          # every section, but leave this file alone
npm run bench -- --quick             # reduced counts: a smoke test of the harness (prints only)
npm run bench -- --only=discord --no-pin   # bots and fake Discord sharing the cores, no CPU budget
\`\`\`

Needs Redis on 127.0.0.1:6379 for the Redis rows (they are skipped otherwise; the benchmark
writes under its own key namespace and deletes it). Each
section runs in its own process (\`bench/run.ts --section=…\`), so one section's memory and timers
cannot touch another's. Raw figures of the last run go to \`bench/results/latest.json\` (git-ignored).

## What each section measures

- **quota** (issues 3 and 6.3) — \`bench/sections/quota.ts\`. A scripted day: \`bench/lib/workload.ts\`
  generates 10,000 interactions (seeded, deterministic) — searches with Zipf-distributed words
  taken from the spacecraft and configuration names, next/prev clicks on lists run earlier (often
  hours earlier), autocomplete keystrokes typing names character by character, detail cards (Zipf
  over spacecraft, most flown first) by command and from list menus — with sessions arriving on a
  daily rhythm over 24 simulated hours. It is replayed through Spacedock's real router in-process
  (SQLite store, empty at the start, so the first sync counts) with a simulated clock injected into
  the app and the fake LL2 (quota on: 15 requests / 3600 s); the refresher ticks every simulated
  minute. The same script then goes through a **naive** pass-through bot (\`bench/lib/naive.ts\`):
  one \`Ll2Client\` request per interaction, no catalogue, cache or governor. Upstream counts and
  the busiest rolling hour come from the fake LL2's own request log. Answer time is real wall time
  per \`handle()\` call, against a fake LL2 with no added latency (a sequential day at 300 ms per
  request would take the naive bot 50 minutes).
- **discord** (issues 6.1, 6.2) — \`bench/sections/discord.ts\`. Strict fake Discords (REST +
  gateway) in the benchmark process, one per bot; each bot in its own process, started once:
  Spacedock through \`src/main.ts\` in gateway mode (catalogue already in its SQLite store, fake LL2
  answering after 300 ms), and the echo bot (\`test/fakes/discord/echo-bot.ts\` via
  \`bench/echo-child.ts\`) with the same discord.js. **Placement:** each bot runs on core 1 and the
  benchmark process (the fake Discord and the driver) on core 0 (\`taskset\`), and while measured at
  full load each bot is held to half of its core (a cgroup v1 CPU quota, 10 ms periods;
  \`bench/lib/cpuQuota.ts\`). The fake Discord's work per answer (HTTP, WebSocket, JSON, the limit
  checks) is about as large as a bot's, and grows with the answer; sharing cores with it, or with
  the fake at its limit first, the rate measured would be the fake's (earlier runs were: the fake's
  CPU per Spacedock answer exceeded the bot's). With the budget each bot is busy all the time and the
  fake has room, so the rate is the bot's own capacity on that budget; the report shows how busy each
  side was and which one bound the rate. Where taskset or cgroups are missing, it says so and runs
  without. After 4,000 unmeasured interactions of each kind (the JIT settles), ten rounds: per round
  and bot, a burst of 5,000 \`/spacecraft search\` commands (Zipf-distributed words of the data, one
  in ten sorted), then 5,000 autocomplete keystrokes, 50 in flight, timed from injection to the
  settled answer; the bots take turns in the order echo, Spacedock, Spacedock, echo, … (ABBA), so
  each Spacedock burst has an echo burst next to it and a drift in the shared machine's speed weighs
  on both alike. The slash target is judged on the median of the round-by-round ratios; the same
  ratio from CPU time is shown beside it. Popular words recur within a second at these rates, and
  Spacedock answers a search asked again in the same second with the page it already drew
  (\`src/interactions/answerCache.ts\`; the report gives the share). So four more ABBA rounds of
  5,000 searches that never repeat (every word × ordering × detail × in_space, shuffled; warmed up
  beforehand) show the worst case, every answer searched, drawn and encoded afresh. Then light
  load without the budget (4 in flight: the time one answer takes when nothing queues), and one
  diagnostic round of the same Spacedock with \`STORE_URL=redis://127.0.0.1:6379\` and its own
  \`STORE_NAMESPACE\` (deleted afterwards), paired with an echo burst right after it. Both bots use
  discord.js's default REST options: every answer here is an interaction callback, which
  @discordjs/rest sends outside its global limiter (the table counts webhook calls to show it).
- **handler** (issue 6.2) — \`bench/sections/handler.ts\`. The autocomplete handler in-process
  (\`router.handle()\` with a no-op responder) per keystroke (after a warm-up pass, two measured
  passes, each on keystrokes of its own seed, so the index's caches hold only other traffic; the
  pass with the lower p99 kept, since other work on the machine shows up as p99), with the fixture catalogue (590) and a
  synthetic one (the fixture's real and hand-made records + 10,000 generated, labelled-synthetic
  records), plus the local search engine and the name-index rebuild; then search throughput through
  the router by store, which shows where a search answer's time goes.
- **startup** (issue 6.4) — \`bench/sections/startup.ts\`. \`node --import tsx src/main.ts\` as a
  child process in gateway mode against the fake Discord, the store prepared beforehand by a full
  sync from a fake LL2 serving 590 or 10,025 records; time to the \`connected to Discord\` log line
  and to the fake's IDENTIFY, the first search, and \`VmHWM\` from /proc. The echo bot is the baseline.
- **session** (issue 2) — \`bench/session.ts\`, run as it is.

Caveats: the fakes run in the benchmark's process and use CPU too (the discord section gives them a
core of their own and reports CPU per answer for both sides); the machine has 2 cores; figures vary by some percent between runs
(the start-up table shows min–max). Answers are checked, not just timed: a slash command must be
answered with a reply callback and no Discord error, an autocomplete with a result callback.

## Latest results

${renderResults(r, info)}
`;
}
