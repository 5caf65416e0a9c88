import type { ConflictGraph } from './conflict-graph';
import type { Random } from './random';

export interface Construction {
  /** Slot per exam, -1 for an exam that could not be placed. */
  slots: Int32Array;
  /** Why each exam left at -1 could not be placed. */
  reasons: Map<number, string>;
}

/**
 * A clash-free timetable within the slot limit: DSatur (the exam with the most distinct slots
 * already taken by its neighbours goes next, into the first slot free of them); an exam with no
 * such slot goes where it clashes least, and a tabu search on the number of clashing pairs
 * (TabuCol) then moves exams until no pair clashes. That repair is what fits the tight
 * instances (hec-s-92 in 18 slots, where DSatur alone needs 19). Exams still clashing when
 * the time runs out are taken out, with the reason.
 */
export function constructTimetable(graph: ConflictGraph, slotCount: number, seats: Float64Array | null, deadline: number, random: Random): Construction {
  const state = new ClashState(graph, slotCount, seats);
  const reasons = new Map<number, string>();
  saturationOrder(state, reasons);
  if (state.clashingCount > 0) repairClashes(state, deadline, random);
  takeOutClashing(state);
  reinsert(state);
  for (let e = 0; e < graph.examCount; e++) {
    if (state.slots[e] < 0 && !reasons.has(e)) reasons.set(e, whyUnplaceable(state, e));
  }
  return { slots: state.slots, reasons };
}

/** Slots per exam, with for every exam and slot how many of its neighbours sit there. */
class ClashState {
  readonly slots: Int32Array;
  /** neighboursIn[e * slotCount + s]: neighbours of e in slot s. */
  readonly neighboursIn: Int32Array;
  readonly load: Float64Array;
  /** Exams whose own slot holds a neighbour, kept as an unordered set with positions. */
  readonly clashing: Int32Array;
  private readonly clashingAt: Int32Array;
  clashingCount = 0;
  clashingPairs = 0;

  constructor(
    readonly graph: ConflictGraph,
    readonly slotCount: number,
    readonly seats: Float64Array | null,
  ) {
    const n = graph.examCount;
    this.slots = new Int32Array(n).fill(-1);
    this.neighboursIn = new Int32Array(n * slotCount);
    this.load = new Float64Array(slotCount);
    this.clashing = new Int32Array(n);
    this.clashingAt = new Int32Array(n).fill(-1);
  }

  hasRoom(exam: number, slot: number): boolean {
    return this.seats === null || this.load[slot] + this.graph.sizes[exam] <= this.seats[slot];
  }

  /** Moves an exam to a slot (-1: out of the timetable), keeping the counts and the clash set. */
  place(exam: number, slot: number): void {
    const { graph, slotCount, neighboursIn, slots } = this;
    const from = slots[exam];
    if (from >= 0) {
      this.load[from] -= graph.sizes[exam];
      this.clashingPairs -= neighboursIn[exam * slotCount + from];
    }
    if (slot >= 0) {
      this.load[slot] += graph.sizes[exam];
      this.clashingPairs += neighboursIn[exam * slotCount + slot];
    }
    slots[exam] = slot;
    for (let k = graph.offsets[exam]; k < graph.offsets[exam + 1]; k++) {
      const other = graph.neighbours[k];
      if (from >= 0) neighboursIn[other * slotCount + from]--;
      if (slot >= 0) neighboursIn[other * slotCount + slot]++;
      if (slots[other] >= 0 && (slots[other] === from || slots[other] === slot)) this.refresh(other);
    }
    this.refresh(exam);
  }

  private refresh(exam: number): void {
    const slot = this.slots[exam];
    const clashes = slot >= 0 && this.neighboursIn[exam * this.slotCount + slot] > 0;
    const at = this.clashingAt[exam];
    if (clashes && at < 0) {
      this.clashingAt[exam] = this.clashingCount;
      this.clashing[this.clashingCount++] = exam;
    } else if (!clashes && at >= 0) {
      const last = this.clashing[--this.clashingCount];
      this.clashing[at] = last;
      this.clashingAt[last] = at;
      this.clashingAt[exam] = -1;
    }
  }
}

function saturationOrder(state: ClashState, reasons: Map<number, string>): void {
  const { graph, slotCount, neighboursIn } = state;
  const n = graph.examCount;
  const degree = new Int32Array(n);
  for (let e = 0; e < n; e++) degree[e] = graph.offsets[e + 1] - graph.offsets[e];
  const saturation = new Int32Array(n);
  const done = new Uint8Array(n);
  for (let step = 0; step < n; step++) {
    let exam = -1;
    for (let e = 0; e < n; e++) {
      if (done[e]) continue;
      if (
        exam < 0 ||
        saturation[e] > saturation[exam] ||
        (saturation[e] === saturation[exam] && (degree[e] > degree[exam] || (degree[e] === degree[exam] && graph.sizes[e] > graph.sizes[exam])))
      ) {
        exam = e;
      }
    }
    done[exam] = 1;
    let free = -1;
    let leastClashing = -1;
    for (let s = 0; s < slotCount; s++) {
      if (!state.hasRoom(exam, s)) continue;
      const clashes = neighboursIn[exam * slotCount + s];
      if (clashes === 0) {
        free = s;
        break;
      }
      if (leastClashing < 0 || clashes < neighboursIn[exam * slotCount + leastClashing]) leastClashing = s;
    }
    const slot = free >= 0 ? free : leastClashing;
    if (slot < 0) {
      reasons.set(exam, `no slot has ${graph.sizes[exam]} free seats`);
      continue;
    }
    for (let k = graph.offsets[exam]; k < graph.offsets[exam + 1]; k++) {
      const other = graph.neighbours[k];
      if (!done[other] && neighboursIn[other * slotCount + slot] === 0) saturation[other]++;
    }
    state.place(exam, slot);
  }
}

/**
 * TabuCol (Hertz and de Werra, with Galinier and Hao's tenure): move the clashing exam to the
 * slot that removes the most clashes, not back to a slot it left recently unless that beats
 * the best count seen.
 */
function repairClashes(state: ClashState, deadline: number, random: Random): void {
  const { graph, slotCount, neighboursIn, slots } = state;
  const tabuUntil = new Float64Array(graph.examCount * slotCount);
  let fewest = state.clashingPairs;
  for (let iteration = 0; state.clashingPairs > 0; iteration++) {
    if ((iteration & 255) === 0 && performance.now() > deadline) return;
    let bestExam = -1;
    let bestSlot = -1;
    let bestChange = Number.POSITIVE_INFINITY;
    let ties = 0;
    for (let i = 0; i < state.clashingCount; i++) {
      const exam = state.clashing[i];
      const row = exam * slotCount;
      const here = neighboursIn[row + slots[exam]];
      for (let s = 0; s < slotCount; s++) {
        if (s === slots[exam] || !state.hasRoom(exam, s)) continue;
        const change = neighboursIn[row + s] - here;
        if (change > bestChange) continue;
        if (tabuUntil[row + s] > iteration && state.clashingPairs + change >= fewest) continue;
        if (change < bestChange) {
          bestChange = change;
          ties = 0;
        }
        if (random.below(++ties) === 0) {
          bestExam = exam;
          bestSlot = s;
        }
      }
    }
    if (bestExam < 0) continue;
    tabuUntil[bestExam * slotCount + slots[bestExam]] = iteration + random.below(10) + Math.ceil(0.6 * state.clashingCount);
    state.place(bestExam, bestSlot);
    if (state.clashingPairs < fewest) fewest = state.clashingPairs;
  }
}

/** Takes out the exam in the most clashes until none is left. */
function takeOutClashing(state: ClashState): void {
  const { neighboursIn, slotCount, slots } = state;
  while (state.clashingCount > 0) {
    let worst = state.clashing[0];
    for (let i = 1; i < state.clashingCount; i++) {
      const exam = state.clashing[i];
      if (neighboursIn[exam * slotCount + slots[exam]] > neighboursIn[worst * slotCount + slots[worst]]) worst = exam;
    }
    state.place(worst, -1);
  }
}

/** Puts an exam that was taken out back where it fits now, if anywhere. */
function reinsert(state: ClashState): void {
  for (let e = 0; e < state.graph.examCount; e++) {
    if (state.slots[e] >= 0) continue;
    for (let s = 0; s < state.slotCount; s++) {
      if (state.neighboursIn[e * state.slotCount + s] === 0 && state.hasRoom(e, s)) {
        state.place(e, s);
        break;
      }
    }
  }
}

function whyUnplaceable(state: ClashState, exam: number): string {
  let clashing = 0;
  let full = 0;
  for (let s = 0; s < state.slotCount; s++) {
    if (state.neighboursIn[exam * state.slotCount + s] > 0) clashing++;
    else if (!state.hasRoom(exam, s)) full++;
  }
  const parts = [];
  if (clashing) parts.push(`${clashing} hold an exam that shares students with it`);
  if (full) parts.push(`${full} lack ${state.graph.sizes[exam]} free seats`);
  return `no clash-free slot was found: of the ${state.slotCount} slots, ${parts.join(' and ')}`;
}
