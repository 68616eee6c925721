import { describe, expect, it } from 'vitest';
import { HOUSEHOLD_FORMAT_ERROR, WEBSHOP_FORMAT_ERROR, formatTurn, parseTurn, truncateAfterSecondNewline } from '../../../envs/core/react';

describe('ReAct parsing (SPA-RL main.py and env regexes)', () => {
  it('keeps only what precedes the second newline', () => {
    expect(truncateAfterSecondNewline('Thought: a\nAction: b\nObservation: c')).toBe('Thought: a\nAction: b');
    expect(truncateAfterSecondNewline('Thought: a\nAction: b')).toBe('Thought: a\nAction: b');
    expect(truncateAfterSecondNewline('Action: b')).toBe('Action: b');
  });
  it('household actions: Action:\\s? with or without the space, stripped', () => {
    expect(parseTurn('Thought: go\nAction: go to cabinet 1', 'household')).toEqual({ text: 'Thought: go\nAction: go to cabinet 1', thought: 'go', action: 'go to cabinet 1' });
    expect(parseTurn('Thought: go\nAction:go to cabinet 1  ', 'household').action).toBe('go to cabinet 1');
    expect(parseTurn('Action: look', 'household')).toMatchObject({ thought: '', action: 'look' });
    expect(parseTurn('Thought: I do not know', 'household').action).toBeNull();
  });
  it('webshop needs "Action: " with the space', () => {
    expect(parseTurn('Thought: x\nAction: click[Buy Now]', 'webshop').action).toBe('click[Buy Now]');
    expect(parseTurn('Thought: x\nAction:click[Buy Now]', 'webshop').action).toBeNull();
  });
  it('text after the second newline is dropped before parsing', () => {
    expect(parseTurn('Thought: x\nmore thinking\nAction: look', 'household').action).toBeNull();
  });
  it('format-error replies are the originals, verbatim', () => {
    expect(HOUSEHOLD_FORMAT_ERROR).toBe("Observation: Error Input. Your input must contains 'Action: '");
    expect(WEBSHOP_FORMAT_ERROR).toBe("Observation: Invalid format. The input must contains 'Action: '");
    expect(formatTurn('t', 'a')).toBe('Thought: t\nAction: a');
  });
});
