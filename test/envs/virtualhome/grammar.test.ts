import { describe, expect, it } from 'vitest';
import { actionText, parseAction, scriptLine, TEMPLATES } from '../../../envs/virtualhome/grammar';
import { readFileSync } from 'node:fs';

describe('virtualhome grammar', () => {
  it('lists the 27 instruction templates, in the instruction order, plus 15 parser extras', () => {
    const inst = readFileSync(new URL('../../../resources/spa-rl/virtualhome_inst.txt', import.meta.url), 'utf8');
    const listed = inst
      .split('\n')
      .slice(inst.split('\n').indexOf('The available actions are:') + 1)
      .filter((l) => l.length > 0)
      .slice(0, 27)
      .map((l) => l.replace(/\{obj\}|\{recep\}/g, '{}'));
    expect(TEMPLATES.filter((t) => t.listed).map((t) => t.text)).toEqual(listed);
    expect(TEMPLATES.filter((t) => !t.listed).map((t) => t.text)).toEqual([
      'find {}',
      'point at {}',
      'put back {}',
      'touch {}',
      'put on {}',
      'take off {}',
      'greet {}',
      'drop {}',
      'read {}',
      'lie on {}',
      'push {}',
      'pull {}',
      'rinse {}',
      'scrub {}',
      'squeeze {}',
    ]);
  });

  it('lower-cases, strips and turns spaces into underscores', () => {
    expect(parseAction('  Walk to Dining Room ')).toEqual({ verb: 'walk', args: ['dining_room'] });
    expect(parseAction('Grab water glass')).toEqual({ verb: 'grab', args: ['water_glass'] });
    expect(parseAction('Put milk in fridge')).toEqual({ verb: 'put_in', args: ['milk', 'fridge'] });
    expect(parseAction('put bread slice on kitchen counter')).toEqual({ verb: 'put_on', args: ['bread_slice', 'kitchen_counter'] });
    expect(parseAction('pour juice into water glass')).toEqual({ verb: 'pour', args: ['juice', 'water_glass'] });
    expect(parseAction('Stand up')).toEqual({ verb: 'stand_up', args: [] });
    expect(parseAction('put on clothes shirt')).toEqual({ verb: 'wear', args: ['clothes_shirt'] });
    expect(parseAction('type on keyboard')).toEqual({ verb: 'type_on', args: ['keyboard'] });
  });

  it('drops everything up to a colon', () => {
    expect(parseAction('Step 2: walk to fridge')).toEqual({ verb: 'walk', args: ['fridge'] });
    expect(parseAction('action: open fridge')).toEqual({ verb: 'open', args: ['fridge'] });
  });

  it('needs exactly one matching template', () => {
    // Both `put back {}` and `put {} on {}` match, and `put` is no script action name.
    expect(parseAction('put back cup on table')).toBeNull();
    // `put {} in {}` and `put {} on {}` both match.
    expect(parseAction('put cup on table in kitchen')).toBeNull();
  });

  it('takes the first separator that leaves both groups non-empty (lazy groups)', () => {
    expect(parseAction('put cup on table on floor')).toEqual({ verb: 'put_on', args: ['cup', 'table_on_floor'] });
  });

  it('rejects wrong argument counts and unknown verbs', () => {
    expect(parseAction('grab')).toBeNull();
    // `walk to` matches no template; the fallback makes `[walk] <to> (1)`, which then fails at binding.
    expect(parseAction('walk to')).toEqual({ verb: 'walk', args: ['to'] });
    expect(parseAction('fly to the moon 7')).toBeNull();
    expect(parseAction('sleep now')).toBeNull();
    expect(parseAction('')).toBeNull();
    expect(parseAction('look')).toBeNull();
  });

  it("reproduces the fallback `[W0] <w1> (1) …` for script action names with the right arity", () => {
    expect(parseAction('walk fridge')).toEqual({ verb: 'walk', args: ['fridge'] });
    expect(parseAction('sit couch')).toEqual({ verb: 'sit', args: ['couch'] });
    expect(parseAction('putin milk fridge')).toEqual({ verb: 'put_in', args: ['milk', 'fridge'] });
    expect(parseAction('switchon television')).toEqual({ verb: 'switch_on', args: ['television'] });
    expect(parseAction('walk kitchen counter')).toBeNull(); // two arguments for a one-argument action
    expect(parseAction('put milk fridge')).toBeNull(); // PUT is not a script action name
  });

  it('always parses release, which can never run', () => {
    expect(parseAction('release')).toEqual({ verb: 'release', args: [] });
  });

  it('writes canonical texts and script lines', () => {
    expect(actionText('put_in', ['milk', 'kitchen_cabinet'])).toBe('put milk in kitchen cabinet');
    expect(actionText('walk', ['dining_room'])).toBe('walk to dining room');
    expect(actionText('sleep', [])).toBe('sleep');
    expect(
      scriptLine('put_in', [
        { className: 'milk', id: 57 },
        { className: 'fridge', id: 31 },
      ]),
    ).toBe('[PutIn] <milk> (57) <fridge> (31)');
    expect(scriptLine('walk', [{ className: 'dining_room', id: 2 }])).toBe('[Walk] <dining_room> (2)');
  });

  it('round-trips every template through its canonical text', () => {
    for (const t of TEMPLATES) {
      const args = Array.from({ length: t.nargs }, (_, i) => (i === 0 ? 'water_glass' : 'kitchen_cabinet'));
      expect(parseAction(actionText(t.verb, args))).toEqual({ verb: t.verb, args });
    }
  });
});
