/**
 * The WebShop paper's rule baseline, as a reference policy: search the instruction text
 * as is, open the first result, click every option value the instruction spells out
 * word for word, buy. It ignores price, attributes and paraphrased options, which is
 * why it scores far below the expert (the paper's rule baseline: 9.6% success).
 */
import { formatTurn } from '../core/react';
import type { Policy, ResetInfo, StepInfo } from '../core/types';
import { instructionOf, pageKind, parseItem, parseResults, stripObservationPrefix } from './page-parse';
import { indexOfTokens, phraseTokens } from './text';

export class WebshopRuleBaseline implements Policy {
  private instruction = '';
  private pending: string[] | null = null;

  begin(observation: string, _info: ResetInfo): void {
    this.instruction = instructionOf(stripObservationPrefix(observation));
    this.pending = null;
  }

  act(lastObservation: string, _lastInfo: StepInfo | null): string {
    const text = stripObservationPrefix(lastObservation);
    const kind = pageKind(text);
    if (kind === 'search') return formatTurn('I will search the instruction.', `search[${this.instruction}]`);
    if (kind === 'results') {
      const first = parseResults(text).items[0];
      return first ? formatTurn('I will open the first result.', `click[${first.asin}]`) : formatTurn('No results.', 'click[Back to Search]');
    }
    if (kind === 'item') {
      if (this.pending === null) {
        const words = phraseTokens(this.instruction);
        this.pending = parseItem(text)
          .groups.flatMap((g) => g.values)
          .filter((v) => indexOfTokens(words, phraseTokens(v)) >= 0);
      }
      const next = this.pending.shift();
      if (next !== undefined) return formatTurn('The instruction names this option.', `click[${next}]`);
      return formatTurn('I will buy it.', 'click[Buy Now]');
    }
    return formatTurn('I will go back.', 'click[< Prev]');
  }
}
