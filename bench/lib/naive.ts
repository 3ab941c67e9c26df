// The NAIVE baseline of issue 3: what a lookup bot without a catalogue does — one upstream LL2
// request per interaction, straight through `Ll2Client`: no catalogue, no cache, no quota governor.
// It renders with Spacedock's own renderers so both sides do comparable work besides the upstream call.
import type { Message } from '../../src/interactions/types.ts';
import type { Ll2Client } from '../../src/ll2/client.ts';
import { Ll2QuotaError } from '../../src/ll2/errors.ts';
import { renderCard } from '../../src/render/card.ts';
import { PAGE_SIZE, renderList } from '../../src/render/list.ts';
import { AUTOCOMPLETE } from '../../src/render/limits.ts';
import { clip } from '../../src/render/text.ts';
import { toLl2Params, type SpacecraftQuery } from '../../src/service/query.ts';
import type { Freshness } from '../../src/service/spacecraft.ts';
import type { Step } from './workload.ts';

export type NaiveOutcome =
  | { kind: 'message'; message: Message }
  | { kind: 'choices'; choices: Array<{ name: string; value: string }> }
  /** LL2 refused (429) or failed: the person gets an error. */
  | { kind: 'failed'; reason: 'quota' | 'error'; retryAfterSecs: number | null };

/** The naive bot keeps no list state of its own beyond what its buttons would carry. */
const STATE_ID = 'naivelist';

export class NaivePassThrough {
  constructor(
    private readonly client: Ll2Client,
    private readonly now: () => number,
  ) {}

  async answer(step: Step, queryOf: (list: number) => SpacecraftQuery): Promise<NaiveOutcome> {
    try {
      return await this.upstream(step, queryOf);
    } catch (error) {
      if (error instanceof Ll2QuotaError) return { kind: 'failed', reason: 'quota', retryAfterSecs: error.retryAfterSecs };
      return { kind: 'failed', reason: 'error', retryAfterSecs: null };
    }
  }

  private async upstream(step: Step, queryOf: (list: number) => SpacecraftQuery): Promise<NaiveOutcome> {
    const live = (): Freshness => ({ origin: 'live', fetchedAt: this.now(), degraded: null, memoryOnly: false });
    switch (step.kind) {
      case 'autocomplete': {
        const page = await this.client.listSpacecraft({ search: step.text, limit: AUTOCOMPLETE.maxChoices, mode: 'normal' });
        const choices = page.results.map((craft) => ({ name: clip(craft.name, AUTOCOMPLETE.maxNameLength), value: String(craft.id) }));
        return { kind: 'choices', choices };
      }
      case 'search':
      case 'page': {
        const query = queryOf(step.list);
        const page = step.kind === 'search' ? 1 : step.page;
        const answer = await this.client.listSpacecraft(toLl2Params(query, PAGE_SIZE, (page - 1) * PAGE_SIZE));
        const message = renderList({
          stateId: STATE_ID,
          page,
          answer: { results: answer.results, count: answer.count, freshness: live() },
          filters: query.search ?? '',
          query,
          now: this.now(),
          ephemeral: false,
        });
        return { kind: 'message', message };
      }
      case 'show':
      case 'open': {
        const record = await this.client.getSpacecraft(step.id);
        const message = renderCard({ answer: { craft: record, flights: record.flights, flightsRetryAfterSecs: null, freshness: live() }, now: this.now(), ephemeral: false });
        return { kind: 'message', message };
      }
    }
  }
}
