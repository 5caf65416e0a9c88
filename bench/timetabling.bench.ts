import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conflictGraphOf } from '../src/exams/timetabler/conflict-graph';
import type { ExamWithStudents } from '../src/exams/timetabler/model';
import { solveTimetable } from '../src/exams/timetabler/timetabler';
import { readTorontoInstance } from '../src/exams/timetabler/toronto-reader';
import { verifyTimetable } from '../src/exams/timetabler/verify-timetable';
import { report } from './harness';

const DATA = join(__dirname, '..', '..', '..', 'shared', 'bench-data', 'toronto');

interface BenchInstance {
  name: string;
  files: string;
  slots: number;
  bestCost: number;
}

/**
 * Every Toronto instance in `../shared/bench-data/toronto/` (the table in its README gives the
 * files, the slot limit and the best published cost), solved with the time limit each
 * (`TIMETABLING_SECONDS`, 60 by default; `TIMETABLING_INSTANCES=hec92,sta83` picks some). The
 * timetables are judged by the independent checker, and a plain first-fit colouring of the
 * same instance is scored beside them.
 */
export async function timetablingBenchmark(): Promise<void> {
  const seconds = Number(process.env.TIMETABLING_SECONDS ?? 60);
  const only = process.env.TIMETABLING_INSTANCES?.split(',');
  const ratios: number[] = [];
  for (const instance of instancesInReadme().filter((each) => !only || only.includes(each.name))) {
    const { problem } = await readTorontoInstance(join(DATA, instance.files));
    const students = problem.exams.map((exam) => exam.students);
    const greedy = firstFit(problem.exams);
    const greedyCheck = verifyTimetable(students, greedy, Math.max(...greedy) + 1);
    const timetable = await solveTimetable({ ...problem, slotCount: instance.slots }, { timeLimitMs: seconds * 1000 });
    const check = verifyTimetable(students, timetable.slots, instance.slots);
    report('timetabling', `cost:${instance.name}`, check.cost, 'penalty per student', instance.bestCost);
    report('timetabling', `slots:${instance.name}`, timetable.slotsUsed, 'slots', instance.slots);
    report('timetabling', `feasible:${instance.name}`, check.feasible ? 1 : 0, 'boolean');
    report('timetabling', `greedy:${instance.name}`, greedyCheck.cost, 'penalty per student', instance.bestCost);
    report('timetabling', `greedy-slots:${instance.name}`, Math.max(...greedy) + 1, 'slots', instance.slots);
    report('timetabling', `moves:${instance.name}`, timetable.iterations / (timetable.elapsedMs / 1000), 'moves per second');
    ratios.push(check.cost / instance.bestCost);
  }
  if (ratios.length) {
    report('timetabling', 'cost-ratio:mean', ratios.reduce((a, b) => a + b, 0) / ratios.length, 'ratio to the best published');
    report('timetabling', 'cost-ratio:worst', Math.max(...ratios), 'ratio to the best published');
  }
}

/** Rows of the README's table: `| name | files | exams | students | enrolments | slots | best |`. */
function instancesInReadme(): BenchInstance[] {
  return readFileSync(join(DATA, 'README.md'), 'utf8')
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .filter((cells) => cells.length === 9 && /^\d+$/.test(cells[6]) && /^[\d.]+$/.test(cells[7]))
    .map((cells) => ({ name: cells[1], files: cells[2], slots: Number(cells[6]), bestCost: Number(cells[7]) }));
}

/** The plain greedy to beat: exams with the most neighbours first, each in the first slot without a clash. */
function firstFit(exams: readonly ExamWithStudents[]): number[] {
  const graph = conflictGraphOf({ exams, slotCount: 1 });
  const order = exams.map((_, exam) => exam).sort((a, b) => graph.offsets[b + 1] - graph.offsets[b] - (graph.offsets[a + 1] - graph.offsets[a]));
  const slots = new Array<number>(exams.length).fill(-1);
  for (const exam of order) {
    const taken = new Set<number>();
    for (let k = graph.offsets[exam]; k < graph.offsets[exam + 1]; k++) taken.add(slots[graph.neighbours[k]]);
    let slot = 0;
    while (taken.has(slot)) slot++;
    slots[exam] = slot;
  }
  return slots;
}
