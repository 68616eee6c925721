/**
 * The static, compiled form of a task's scene: names, types, locations, lookups, the intro text
 * and the initial state, as flat arrays with integer ids. Built once per task object and cached
 * (tasks are immutable), so that every episode of a task — and the generator's solvability run
 * before it — starts from the same model with only the dynamic state copied.
 */
import { typeOfName, compareDisplayOrder, inDisplayOrder, type AlfworldReceptacle, type AlfworldTask } from './task';
import { texts } from './text';

export class SceneModel {
  readonly recName: string[] = [];
  readonly recType: string[] = [];
  readonly recOpenable: boolean[] = [];
  /** Dense location id of each receptacle (shared by receptacles at one spot). */
  readonly recLocation: number[] = [];
  readonly recByName = new Map<string, number>();
  /** Receptacle ids at each location, in display order. */
  readonly locationReceptacles: number[][] = [];
  readonly objName: string[] = [];
  readonly objType: string[] = [];
  readonly objByName = new Map<string, number>();
  readonly introText: string;
  /** Objects of the target type, lamps of the goal type, receptacles of the goal type. */
  readonly targets: number[] = [];
  readonly lamps: number[] = [];
  readonly goalReceptacles: number[] = [];
  // Initial dynamic state (copied by each world).
  readonly initialOpen: boolean[] = [];
  readonly initialContents: number[][] = [];
  readonly initialParent: number[] = [];
  readonly initialHot: boolean[] = [];
  readonly initialCool: boolean[] = [];
  readonly initialClean: boolean[] = [];
  /** `go to <r>` for every receptacle, sorted as strings, and the receptacle of each. */
  readonly goToSorted: string[];
  readonly goToReceptacle: number[];

  constructor(task: AlfworldTask) {
    // Tasks list receptacles and contents in display order already; sort only if one does not.
    const given = task.receptacles;
    const recs = receptaclesInOrder(given) ? given : given.slice().sort((a, b) => compareDisplayOrder(a.name, b.name));
    // Locations are renumbered densely, in display order of their first receptacle.
    const locIds = new Map<number, number>();
    for (let r = 0; r < recs.length; r++) {
      const rec = recs[r] as AlfworldReceptacle;
      const type = typeOfName(rec.name);
      this.recName.push(rec.name);
      this.recType.push(type);
      this.recOpenable.push(rec.openable);
      this.initialOpen.push(rec.openable && rec.open);
      this.recByName.set(rec.name, r);
      let loc = locIds.get(rec.location);
      if (loc === undefined) {
        loc = this.locationReceptacles.length;
        locIds.set(rec.location, loc);
        this.locationReceptacles.push([]);
      }
      this.recLocation.push(loc);
      (this.locationReceptacles[loc] as number[]).push(r);
      if (type === task.receptacle) this.goalReceptacles.push(r);
      const contents = inDisplayOrder(rec.contents) ? rec.contents : rec.contents.slice().sort(compareDisplayOrder);
      const ids: number[] = [];
      for (const name of contents) {
        const o = this.objName.length;
        const t = typeOfName(name);
        ids.push(o);
        this.objName.push(name);
        this.objType.push(t);
        this.objByName.set(name, o);
        this.initialParent.push(r);
        this.initialHot.push(false);
        this.initialCool.push(false);
        this.initialClean.push(false);
        if (t === task.object) this.targets.push(o);
        if (t === task.toggle) this.lamps.push(o);
      }
      this.initialContents.push(ids);
    }
    for (const name of task.initialState.hot) this.setFlag(this.initialHot, name);
    for (const name of task.initialState.cool) this.setFlag(this.initialCool, name);
    for (const name of task.initialState.clean) this.setFlag(this.initialClean, name);
    this.introText = texts.intro(this.recName);
    const order = this.recName.map((_, r) => r);
    const goTo = this.recName.map((name) => 'go to ' + name);
    order.sort((a, b) => compareStrings(goTo[a] as string, goTo[b] as string));
    this.goToSorted = order.map((r) => goTo[r] as string);
    this.goToReceptacle = order;
  }

  private setFlag(flags: boolean[], name: string): void {
    const o = this.objByName.get(name);
    if (o !== undefined) flags[o] = true;
  }

}

/** Plain code-unit order (what `Array.prototype.sort()` does for strings, without its conversions). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function receptaclesInOrder(recs: readonly AlfworldReceptacle[]): boolean {
  for (let i = 1; i < recs.length; i++) if (compareDisplayOrder((recs[i - 1] as AlfworldReceptacle).name, (recs[i] as AlfworldReceptacle).name) > 0) return false;
  return true;
}

const models = new WeakMap<AlfworldTask, SceneModel>();

/** The compiled model of a task, cached per task object. */
export function sceneModel(task: AlfworldTask): SceneModel {
  let model = models.get(task);
  if (!model) {
    model = new SceneModel(task);
    models.set(task, model);
  }
  return model;
}
