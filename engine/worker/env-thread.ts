/**
 * Worker-thread entry that hosts a stage worker's environments (env-host.ts). It answers one
 * request at a time: the stage thread posts it on `port`, blocks on the shared word with
 * Atomics.wait, and reads the answer with receiveMessageOnPort once this thread bumps the word.
 * If a step never returns, the stage thread stops waiting and terminates this thread; nothing
 * here needs to cooperate.
 *
 * workerData: { port, signal (SharedArrayBuffer, Int32 word 0 = last answered request),
 * preload (a module imported first: fault-injection tests install their faulty environments
 * there), context (free-form, for the preload) }.
 */
import { pathToFileURL } from 'node:url';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { TextEnv } from '../../envs/core/types';
import { makeEnv } from '../../envs/registry';
import type { EnvReply, EnvRequest, EnvValue } from './env-protocol';

interface ThreadData {
  port: MessagePort;
  signal: SharedArrayBuffer;
  preload: string | null;
}

const data = workerData as ThreadData;
const word = new Int32Array(data.signal);
const envs = new Map<number, TextEnv>();

function envOf(id: number): TextEnv {
  const env = envs.get(id);
  if (!env) throw new Error(`no environment ${id} in the environment thread`);
  return env;
}

function answer(req: EnvRequest): EnvValue {
  switch (req.op) {
    case 'create': {
      const env = makeEnv(req.env);
      envs.set(req.id, env);
      return { maxSteps: env.maxSteps, maxObservationLength: env.maxObservationLength };
    }
    case 'reset':
      return envOf(req.id).reset(req.options);
    case 'step':
      return envOf(req.id).step(req.text);
    case 'admissible':
      return envOf(req.id).admissibleActions();
    case 'task':
      return envOf(req.id).currentTask();
    case 'close': {
      const env = envs.get(req.id);
      envs.delete(req.id);
      env?.close();
      return null;
    }
  }
}

function reply(r: EnvReply): void {
  data.port.postMessage(r);
  Atomics.store(word, 0, r.seq);
  Atomics.notify(word, 0);
}

async function main(): Promise<void> {
  if (data.preload) await import(pathToFileURL(data.preload).href);
  data.port.on('message', (req: EnvRequest) => {
    try {
      reply({ seq: req.seq, value: answer(req) });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply({ seq: req.seq, error: { name: err.name, message: err.message, stack: err.stack ?? '' } });
    }
  });
  // Ready: request 0 is answered.
  reply({ seq: 0, value: null });
}

void main().catch((e: Error) => {
  reply({ seq: 0, error: { name: e.name, message: `environment thread failed to start: ${e.message}`, stack: e.stack ?? '' } });
});
