// The echo bot (test/fakes/discord/echo-bot.ts) as its own process, so it runs on the fake Discord
// exactly as Spacedock's src/main.ts does: the benchmarks' baseline. Started by bench/lib/processes.ts.
//   BENCH_DISCORD_REST_API, BENCH_DISCORD_TOKEN, BENCH_GLOBAL_RPS (optional: discord.js REST globalRequestsPerSecond)
import { startEchoBot } from '../test/fakes/discord/echo-bot.ts';

const restBase = process.env.BENCH_DISCORD_REST_API;
const token = process.env.BENCH_DISCORD_TOKEN;
const rps = process.env.BENCH_GLOBAL_RPS;
if (restBase === undefined || token === undefined) {
  process.stderr.write('echo-child: BENCH_DISCORD_REST_API and BENCH_DISCORD_TOKEN are required\n');
  process.exit(2);
}

// keepInteractions: false — as Spacedock, it holds nothing per interaction once answered
const bot = await startEchoBot({ restBase, token, keepInteractions: false, ...(rps === undefined ? {} : { globalRequestsPerSecond: Number(rps) }) });
process.stdout.write('connected to Discord\n');

const stop = () => {
  void bot.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
