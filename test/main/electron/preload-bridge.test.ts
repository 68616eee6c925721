import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type StudioEvent } from '../../../common/ipc-contract';
import { createBridge, EVENT_CHANNEL, type IpcPort } from '../../../preload/bridge';

function fakeIpc(reply: (channel: string, payload: unknown) => unknown) {
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const invoked: [string, unknown][] = [];
  const ipc: IpcPort = {
    invoke: async (channel, payload) => {
      invoked.push([channel, payload]);
      return reply(channel, payload);
    },
    on: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
  };
  const fire = (payload: unknown) => listeners.get(EVENT_CHANNEL)?.forEach((l) => l({ sender: 'ipcRenderer!' }, payload));
  return { ipc, invoked, fire, listeners };
}

describe('preload bridge', () => {
  it('has one function per contract channel plus onEvent, and nothing else', () => {
    const bridge = createBridge(fakeIpc(() => ({ ok: true, result: null })).ipc);
    expect(Object.keys(bridge).sort()).toEqual([...CHANNEL_NAMES, 'onEvent'].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes spa:<channel> and unwraps {ok, result} / {ok: false, error}', async () => {
    const { ipc, invoked } = fakeIpc((channel) => (channel === 'spa:runs.list' ? { ok: true, result: { runs: [], warnings: [] } } : { ok: false, error: 'no run x' }));
    const bridge = createBridge(ipc);
    await expect(bridge['runs.list']({})).resolves.toEqual({ runs: [], warnings: [] });
    await expect(bridge['runs.get']({ id: 'x' })).rejects.toThrow('no run x');
    expect(invoked).toEqual([
      ['spa:runs.list', {}],
      ['spa:runs.get', { id: 'x' }],
    ]);
    const broken = createBridge(fakeIpc(() => undefined).ipc);
    await expect(broken['app.info']({})).rejects.toThrow(/malformed reply/);
  });

  it('passes only the event payload to listeners (never the IPC event) and unsubscribes', () => {
    const { ipc, fire, listeners } = fakeIpc(() => null);
    const bridge = createBridge(ipc);
    const got: unknown[][] = [];
    const off = bridge.onEvent((...args: unknown[]) => got.push(args));
    const event: StudioEvent = { type: 'catalog.changed' };
    fire(event);
    expect(got).toEqual([[event]]);
    off();
    fire(event);
    expect(got).toHaveLength(1);
    expect(listeners.get(EVENT_CHANNEL)?.size).toBe(0);
  });
});
