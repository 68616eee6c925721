/**
 * Step annotations of one trajectory, saved as the person works: a label saves at once, text
 * and numbers after a 400 ms pause, and everything pending is flushed when the step or the
 * trajectory changes or the page goes away. Saves of one step never overlap (the later edit
 * waits and wins), so the file's "latest record wins" order matches what is on screen.
 */
import type { Annotation, AnnotationLabel } from '../../../common/run-schema';
import { api } from './studio';

export interface Draft {
  label: AnnotationLabel | null;
  correctedContribution: number | null;
  comment: string;
}

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error';

const EMPTY: Draft = { label: null, correctedContribution: null, comment: '' };
const TEXT_DELAY_MS = 400;

export class TrajectoryAnnotations {
  drafts = $state<Record<number, Draft>>({});
  states = $state<Record<number, SaveState>>({});
  errors = $state<Record<number, string>>({});
  private timers = new Map<number, ReturnType<typeof setTimeout>>();
  private inFlight = new Map<number, Promise<void>>();
  private again = new Set<number>();

  constructor(
    readonly runId: string,
    readonly trajectoryId: string,
    saved: readonly Annotation[],
  ) {
    // Latest record per step wins (the file is append-only).
    const byStep: Record<number, Draft> = {};
    const sorted = [...saved].sort((a, b) => a.at.localeCompare(b.at));
    for (const a of sorted) byStep[a.step] = { label: a.label, correctedContribution: a.correctedContribution, comment: a.comment };
    this.drafts = byStep;
    this.states = Object.fromEntries(Object.keys(byStep).map((s) => [Number(s), 'saved' as SaveState]));
  }

  get(step: number): Draft {
    return this.drafts[step] ?? EMPTY;
  }

  state(step: number): SaveState | null {
    return this.states[step] ?? null;
  }

  has(step: number): boolean {
    const d = this.drafts[step];
    return !!d && (d.label !== null || d.correctedContribution !== null || d.comment.trim() !== '');
  }

  /** Labels save at once (a key press is a decision); pressing the same label again clears it. */
  setLabel(step: number, label: AnnotationLabel | null): void {
    const cur = this.get(step);
    this.drafts[step] = { ...cur, label: cur.label === label ? null : label };
    this.schedule(step, 0);
  }

  setComment(step: number, comment: string): void {
    this.drafts[step] = { ...this.get(step), comment };
    this.schedule(step, TEXT_DELAY_MS);
  }

  setCorrected(step: number, value: number | null): void {
    this.drafts[step] = { ...this.get(step), correctedContribution: value };
    this.schedule(step, TEXT_DELAY_MS);
  }

  /** Saves everything pending now; resolves when it has landed. */
  async flush(): Promise<void> {
    const pending = [...this.timers.keys()];
    for (const step of pending) {
      clearTimeout(this.timers.get(step));
      this.timers.delete(step);
      void this.save(step);
    }
    await Promise.all([...this.inFlight.values()]);
  }

  get pendingCount(): number {
    return Object.values(this.states).filter((s) => s === 'dirty' || s === 'saving').length;
  }

  private schedule(step: number, delay: number): void {
    this.states[step] = 'dirty';
    const t = this.timers.get(step);
    if (t) clearTimeout(t);
    if (delay === 0) {
      this.timers.delete(step);
      void this.save(step);
      return;
    }
    this.timers.set(
      step,
      setTimeout(() => {
        this.timers.delete(step);
        void this.save(step);
      }, delay),
    );
  }

  private save(step: number): Promise<void> {
    if (this.inFlight.has(step)) {
      this.again.add(step);
      return this.inFlight.get(step)!;
    }
    const d = this.get(step);
    const corrected = d.correctedContribution;
    if (corrected !== null && (!Number.isFinite(corrected) || corrected < -100 || corrected > 100)) {
      this.states[step] = 'error';
      this.errors[step] = 'corrected contribution must be a number between −100 and 100';
      return Promise.resolve();
    }
    this.states[step] = 'saving';
    const run = (async () => {
      try {
        await api['runs.annotate']({
          id: this.runId,
          annotation: { trajectoryId: this.trajectoryId, step, label: d.label, correctedContribution: corrected, comment: d.comment },
        });
        delete this.errors[step];
        this.states[step] = this.timers.has(step) ? 'dirty' : 'saved';
      } catch (err) {
        this.states[step] = 'error';
        this.errors[step] = (err as Error).message;
      } finally {
        this.inFlight.delete(step);
        if (this.again.delete(step)) void this.save(step);
      }
    })();
    this.inFlight.set(step, run);
    return run;
  }
}
