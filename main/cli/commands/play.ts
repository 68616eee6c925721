import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { INSTRUCTIONS } from '../../../envs/core/prompts';
import type { Policy, ResetInfo, StepInfo, TaskBase, TextEnv } from '../../../envs/core/types';
import { ENVIRONMENTS, makeEnv } from '../../../envs/registry';
import { parseEnv } from '../args';
import { createOutput, type Output } from '../output';

const HELP = `Type an action as the agent would (e.g. "go to cabinet 1", "search[red shoes]", "walk to dining room").
A full agent turn ("Thought: … Action: …" on one line) is accepted too.
  :actions   list the actions executable now        :expert   let the expert take one step
  :instruction  print the agent's instruction        :reset    new episode (next seed)
  :help      this text                               :quit     leave`;

interface PlayOptions {
  seed: string;
  task?: string;
  scene?: string;
  json?: boolean;
  instruction?: boolean;
}

/** One line typed by a person → the agent text the environment receives. */
export function agentTextFromInput(line: string): string {
  const trimmed = line.trim();
  const i = trimmed.indexOf('Action:');
  if (i >= 0) return `${trimmed.slice(0, i).trim()}\n${trimmed.slice(i)}`.trimStart();
  return `Thought: (played by a person)\nAction: ${trimmed}`;
}

class Session {
  private env: TextEnv;
  private expert: Policy;
  private seed: number;
  private lastObservation = '';
  private lastInfo: StepInfo | null = null;
  private over = false;
  private totalReward = 0;

  constructor(
    private readonly name: ReturnType<typeof parseEnv>,
    seed: number,
    private readonly task: string | TaskBase | undefined,
    private readonly out: Output,
  ) {
    this.env = makeEnv(name);
    this.expert = ENVIRONMENTS[name].createExpert();
    this.seed = seed;
  }

  start(): void {
    const r = this.env.reset({ seed: this.seed, ...(this.task ? { task: this.task } : {}) });
    this.expert.begin(r.observation, r.info as ResetInfo);
    this.lastObservation = r.observation;
    this.lastInfo = null;
    this.over = false;
    this.totalReward = 0;
    this.out.record('reset', { env: this.name, seed: this.seed, task: r.info.task, observation: r.observation }, () =>
      `\n── ${this.name} · ${r.info.task.id} · ${r.info.task.taskType} · seed ${this.seed} · max ${this.env.maxSteps} steps ──\n${r.observation}`,
    );
  }

  handle(line: string): boolean {
    const cmd = line.trim();
    if (cmd === '') return true;
    if (cmd === ':quit' || cmd === ':q') return false;
    if (cmd === ':help') return this.out.say(HELP), true;
    if (cmd === ':instruction') return this.out.say(INSTRUCTIONS[this.name]), true;
    if (cmd === ':actions') {
      const actions = this.env.admissibleActions();
      this.out.record('actions', { actions }, () => actions.join('\n'));
      return true;
    }
    if (cmd === ':reset') {
      this.seed++;
      this.start();
      return true;
    }
    if (this.over) {
      this.out.say('The episode is over: :reset for a new one, :quit to leave.');
      return true;
    }
    const text = cmd === ':expert' ? this.expert.act(this.lastObservation, this.lastInfo) : agentTextFromInput(cmd);
    const r = this.env.step(text);
    this.lastObservation = r.observation;
    this.lastInfo = r.info;
    this.totalReward += r.reward;
    this.over = r.terminated || r.truncated;
    this.out.record(
      'step',
      { text, observation: r.observation, reward: r.reward, terminated: r.terminated, truncated: r.truncated, valid: r.info.valid, steps: r.info.steps },
      () => {
        const status = r.terminated ? (r.info.success ? '  ✔ task complete' : '  episode ended') : r.truncated ? '  ✘ step limit reached' : '';
        const echo = cmd === ':expert' ? `${text}\n` : '';
        return `${echo}${r.observation}\n  [step ${r.info.steps}/${this.env.maxSteps} · reward ${r.reward} · ${r.info.valid ? 'valid' : 'invalid'}]${status}`;
      },
    );
    return true;
  }

  close(): void {
    this.env.close();
  }
}

function loadScene(env: ReturnType<typeof parseEnv>, file: string): TaskBase {
  const build = ENVIRONMENTS[env].taskFromScene;
  if (!build) throw new Error(`${env} has no scene descriptions (only alfworld does)`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read scene ${file}: ${(e as Error).message}`);
  }
  return build(json);
}

export function registerPlay(program: Command): void {
  program
    .command('play')
    .argument('<env>', 'alfworld | webshop | virtualhome')
    .description('Play an environment in the terminal, seeing exactly the texts the agent sees')
    .option('--seed <n>', 'episode seed (also picks a training task when --task is not given)', '0')
    .option('--task <id>', 'a task id, e.g. alfworld/v1/unseen/3')
    .option('--scene <file>', 'a scene description (JSON; ALFWorld, see envs/alfworld/README.md)')
    .option('--instruction', "print the agent's instruction first")
    .option('--json', 'one JSON object per line')
    .action(async (envName: string, opts: PlayOptions) => {
      const name = parseEnv(envName);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, got "${opts.seed}"`);
      const out = createOutput(!!opts.json);
      const session = new Session(name, seed, opts.scene ? loadScene(name, opts.scene) : opts.task, out);
      if (opts.instruction) out.say(INSTRUCTIONS[name]);
      session.start();
      if (process.stdin.isTTY) out.say('(:help for commands)');
      const rl = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stdout : undefined, prompt: '> ', terminal: !!process.stdin.isTTY });
      if (process.stdin.isTTY) rl.prompt();
      for await (const line of rl) {
        if (!session.handle(line)) break;
        if (process.stdin.isTTY) rl.prompt();
      }
      rl.close();
      session.close();
    });
}
