/** An exam to seat in a slot: its index in the problem and its number of students. */
export interface ExamSize {
  exam: number;
  size: number;
}

export interface FreeRoom {
  id: string;
  capacity: number;
}

/**
 * One room per exam within a slot, best fit decreasing: the largest exam first, each into the
 * smallest free room that holds it. Answers the room of each exam that got one; the others
 * found no room large enough that was still free.
 */
export function fitRooms(exams: readonly ExamSize[], rooms: readonly FreeRoom[]): { rooms: Map<number, string>; unfitted: number[] } {
  const free = [...rooms].sort((a, b) => a.capacity - b.capacity || a.id.localeCompare(b.id));
  const placed = new Map<number, string>();
  const unfitted: number[] = [];
  for (const exam of [...exams].sort((a, b) => b.size - a.size || a.exam - b.exam)) {
    const at = free.findIndex((room) => room.capacity >= exam.size);
    if (at < 0) {
      unfitted.push(exam.exam);
      continue;
    }
    placed.set(exam.exam, free[at].id);
    free.splice(at, 1);
  }
  return { rooms: placed, unfitted };
}
