// Discord snowflakes: ms since the Discord epoch << 22, then worker/process/increment bits.
// Guild ids decide the shard: (guild_id >> 22) % shard_count.

const DISCORD_EPOCH = 1_420_070_400_000n;

export interface SnowflakeSource {
  next(): string;
}

export function createSnowflakes(now: () => number): SnowflakeSource {
  let increment = 0n;
  return {
    next() {
      increment = (increment + 1n) & 0xfffn;
      return ((BigInt(Math.floor(now())) - DISCORD_EPOCH) << 22n | (1n << 17n) | increment).toString();
    },
  };
}

export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A guild id that Discord routes to `shardId` out of `shardCount`; `seed` makes distinct ids. */
export function guildIdForShard(shardId: number, shardCount: number, seed = 0): string {
  const base = 300_000_000_000n + BigInt(seed) * BigInt(shardCount);
  const timestampPart = base - (base % BigInt(shardCount)) + BigInt(shardId);
  return ((timestampPart << 22n) | BigInt(seed + 1)).toString();
}

export function timestampOf(snowflake: string): number {
  return Number((BigInt(snowflake) >> 22n) + DISCORD_EPOCH);
}
