import type { ConflictGraph } from './conflict-graph';
import { PROXIMITY_PENALTY, PROXIMITY_REACH, totalPenalty } from './spread-penalty';
import type { Random } from './random';

/** PENALTY_AROUND[t - s + 5]: the penalty between slots s and t, for t within 5 slots of s. */
const PENALTY_AROUND = Int32Array.from({ length: 2 * PROXIMITY_REACH + 1 }, (_, i) => PROXIMITY_PENALTY[Math.abs(i - PROXIMITY_REACH)]);

/** A chain that would overfill a slot's seats. */
export const OVER_CAPACITY = Number.POSITIVE_INFINITY;

/**
 * Simulated annealing over Kempe chain moves on a clash-free timetable. A Kempe chain from
 * exam e towards slot b is e with every exam in b that shares students with it, every exam in
 * e's slot a that shares students with those, and so on; swapping the chain's slots keeps the
 * timetable clash-free, and a chain of one exam is a plain move.
 *
 * The cost change comes from `near[e * slotCount + t]`, the students exam e shares with the
 * exams in slot t. A chain member only changes its distance to exams outside a and b (its
 * neighbours in a and b are all in the chain and keep their distance |a-b|), so its part of
 * the change is a sum over the 5 slots either side of its old and its new slot: the cost of
 * a move does not depend on how many neighbours an exam has. `near` is brought up to date only
 * when a move is taken.
 */
export class KempeSearch {
  readonly slots: Int32Array;
  readonly best: Int32Array;
  penalty: number;
  bestPenalty: number;
  private readonly near: Int32Array;
  /** neighboursIn[e * slotCount + t]: how many neighbours of e sit in slot t, to end a scan once all are found. */
  private readonly neighboursIn: Int32Array;
  private readonly load: Float64Array;
  private readonly placed: Int32Array;
  private readonly chain: Int32Array;
  private readonly inChain: Int32Array;
  private stamp = 0;
  private chainLength = 0;
  private chainFrom = 0;
  private chainTo = 0;

  constructor(
    private readonly graph: ConflictGraph,
    private readonly slotCount: number,
    private readonly seats: Float64Array | null,
    initial: Int32Array,
  ) {
    const n = graph.examCount;
    this.slots = initial.slice();
    this.best = initial.slice();
    this.near = new Int32Array(n * slotCount);
    this.neighboursIn = new Int32Array(n * slotCount);
    this.load = new Float64Array(slotCount);
    this.chain = new Int32Array(n);
    this.inChain = new Int32Array(n);
    const placed: number[] = [];
    for (let e = 0; e < n; e++) {
      const slot = this.slots[e];
      if (slot < 0) continue;
      placed.push(e);
      this.load[slot] += graph.sizes[e];
      for (let k = graph.offsets[e]; k < graph.offsets[e + 1]; k++) {
        this.near[graph.neighbours[k] * slotCount + slot] += graph.shared[k];
        this.neighboursIn[graph.neighbours[k] * slotCount + slot]++;
      }
    }
    this.placed = Int32Array.from(placed);
    this.penalty = totalPenalty(graph, this.slots);
    this.bestPenalty = this.penalty;
  }

  /**
   * Builds the chain that takes `exam` to slot `to` and returns the change in total penalty
   * the move would make (OVER_CAPACITY when a slot's seats would not hold it). `applyChain`
   * then makes that move.
   */
  kempeChain(exam: number, to: number): number {
    const { graph, slots, near, neighboursIn, chain, inChain, slotCount } = this;
    const from = slots[exam];
    const stamp = ++this.stamp;
    this.chainFrom = from;
    this.chainTo = to;
    chain[0] = exam;
    inChain[exam] = stamp;
    let length = 1;
    let delta = 0;
    let seatsToward = 0;
    let seatsBack = 0;
    for (let i = 0; i < length; i++) {
      const member = chain[i];
      const own = slots[member];
      const other = own === from ? to : from;
      if (own === from) seatsToward += graph.sizes[member];
      else seatsBack += graph.sizes[member];
      const row = member * slotCount;
      let last = own + PROXIMITY_REACH < slotCount ? own + PROXIMITY_REACH : slotCount - 1;
      for (let t = own > PROXIMITY_REACH ? own - PROXIMITY_REACH : 0; t <= last; t++) {
        if (t !== from && t !== to) delta -= near[row + t] * PENALTY_AROUND[t - own + PROXIMITY_REACH];
      }
      last = other + PROXIMITY_REACH < slotCount ? other + PROXIMITY_REACH : slotCount - 1;
      for (let t = other > PROXIMITY_REACH ? other - PROXIMITY_REACH : 0; t <= last; t++) {
        if (t !== from && t !== to) delta += near[row + t] * PENALTY_AROUND[t - other + PROXIMITY_REACH];
      }
      // The scan ends once every neighbour in the other slot is found: at once for a plain move.
      let unseen = neighboursIn[row + other];
      for (let k = graph.offsets[member]; unseen > 0; k++) {
        const next = graph.neighbours[k];
        if (slots[next] !== other) continue;
        unseen--;
        if (inChain[next] !== stamp) {
          inChain[next] = stamp;
          chain[length++] = next;
        }
      }
    }
    this.chainLength = length;
    if (this.seats !== null) {
      const change = seatsBack - seatsToward;
      if (this.load[from] + change > this.seats[from] || this.load[to] - change > this.seats[to]) return OVER_CAPACITY;
    }
    return delta;
  }

  /** Makes the move of the last `kempeChain` call, whose change was `delta`. */
  applyChain(delta: number): void {
    const { graph, slots, near, neighboursIn, chain, slotCount, chainFrom: from, chainTo: to } = this;
    for (let i = 0; i < this.chainLength; i++) {
      const member = chain[i];
      const own = slots[member];
      const other = own === from ? to : from;
      slots[member] = other;
      this.load[own] -= graph.sizes[member];
      this.load[other] += graph.sizes[member];
      for (let k = graph.offsets[member]; k < graph.offsets[member + 1]; k++) {
        const row = graph.neighbours[k] * slotCount;
        near[row + own] -= graph.shared[k];
        near[row + other] += graph.shared[k];
        neighboursIn[row + own]--;
        neighboursIn[row + other]++;
      }
    }
    this.penalty += delta;
  }

  /**
   * Anneals from the current timetable until the deadline (or the iteration cap): the
   * temperature falls geometrically with the time used, from one at which a typical worsening
   * move is often taken to one at which the smallest possible worsening (one student, exams 5
   * slots apart) rarely is.
   */
  anneal(random: Random, deadline: number, maxIterations: number, onProgress: (bestPenalty: number) => void): number {
    const movable = this.placed.length;
    if (movable === 0 || this.slotCount < 2) return 0;
    const start = performance.now();
    const span = Math.max(1, deadline - start);
    const hot = this.typicalWorsening(random) * 0.3;
    const cold = 0.3;
    const ratio = Math.min(1, cold / hot);
    let temperature = hot;
    let iterations = 0;
    let bestSaved = true;
    let reported = start;
    while (iterations < maxIterations) {
      if ((iterations & 1023) === 0) {
        const now = performance.now();
        if (now >= deadline) break;
        // A move cap makes the run reproducible: the temperature then follows the moves, not the clock.
        const elapsed = maxIterations === Number.POSITIVE_INFINITY ? (now - start) / span : iterations / maxIterations;
        temperature = hot * Math.pow(ratio, elapsed);
        if (now - reported > 250) {
          reported = now;
          onProgress(this.bestPenalty);
        }
      }
      iterations++;
      const exam = this.placed[random.below(movable)];
      let to = random.below(this.slotCount - 1);
      if (to >= this.slots[exam]) to++;
      const delta = this.kempeChain(exam, to);
      if (delta > 0 && (delta === OVER_CAPACITY || random.unit() >= Math.exp(-delta / temperature))) continue;
      if (delta > 0 && bestSaved === false) {
        this.best.set(this.slots);
        bestSaved = true;
      }
      this.applyChain(delta);
      if (this.penalty < this.bestPenalty) {
        this.bestPenalty = this.penalty;
        bestSaved = false;
      }
    }
    if (!bestSaved) this.best.set(this.slots);
    return iterations;
  }

  /** Mean worsening of random moves from the current timetable, to scale the temperature. */
  private typicalWorsening(random: Random): number {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < 2000; i++) {
      const exam = this.placed[random.below(this.placed.length)];
      let to = random.below(this.slotCount - 1);
      if (to >= this.slots[exam]) to++;
      const delta = this.kempeChain(exam, to);
      if (delta > 0 && delta !== OVER_CAPACITY) {
        sum += delta;
        count++;
      }
    }
    return count ? sum / count : 1;
  }
}
