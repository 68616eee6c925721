/**
 * WebShop in SPA-RL's text mode as a TextEnv: the ReAct harness of ReActEnv around the
 * page machine of world.ts.
 */
import { ReActEnv, type ActionOutcome } from '../core/base-env';
import type { Rng } from '../core/rng';
import type { TaskGenerator } from '../core/types';
import { getCatalogue } from './catalogue';
import { webshopGenerator } from './generator';
import type { WebshopTask } from './types';
import { WebshopWorld } from './world';

export class WebshopEnv extends ReActEnv<WebshopTask> {
  readonly name = 'webshop' as const;
  /** SPA-RL's eval_agent/configs/task/webshop.json max_steps. */
  readonly maxSteps = 10;
  /** A results page with 10 long titles fits comfortably. */
  readonly maxObservationLength = 6000;
  protected readonly reportsAdmissible = true;
  protected readonly style = 'webshop' as const;
  private readonly world = new WebshopWorld(getCatalogue());
  private started = false;

  constructor(generator: TaskGenerator<WebshopTask> = webshopGenerator) {
    super(generator);
  }

  /**
   * The first user turn, with the `Observation:\n` prefix: SPA-RL's SFT data and its ICL
   * example start that way (the live harness sends the raw page; see README).
   */
  protected begin(task: WebshopTask, _rng: Rng): string {
    this.started = true;
    return `Observation:\n${this.world.begin(task)}`;
  }

  protected execute(action: string): ActionOutcome {
    return this.world.execute(action);
  }

  protected progress(): number {
    return this.world.progress();
  }

  admissibleActions(): string[] {
    return this.started ? this.world.admissibleActions() : [];
  }
}
