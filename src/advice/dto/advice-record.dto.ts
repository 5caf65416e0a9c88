import type { PePoints } from '../../catalogue/course-attributes';
import type { Daypart } from '../candidate-table';
import type { AdviceResult, DeliveryPreference, ExcludedEdition, Intake, ScoredEdition, ScorePart, SelectedEdition, SuggestedCourse } from '../advice-scoring';
import type { SentAdvice } from '../advice.entity';
import type { EducationLevel } from '../../enrolment/education-level';

// What an advice stores (its jsonb columns), as classes for the OpenAPI document; each
// implements the type the ranking works with, so that the two cannot drift apart.

export class IntakeDto implements Intake {
  interests: string;
  goals: string;
  priorEducationLevel: EducationLevel | null;
  priorEducationField: string;
  /** ISO weekdays, 1 = Monday. */
  preferredWeekdays: number[];
  preferredDayparts: Daypart[];
  delivery: DeliveryPreference;
  region: string;
  budgetCents: number | null;
  startFrom: string | null;
  startUntil: string | null;
  pePoints: PePoints[];
}

export class ScorePartDto {
  /** 0–1. */
  score: number;
  weight: number;
}

/** Each part of the score that applies to the intake; parts without a preference are left out. */
export class ScorePartsDto implements Partial<Record<ScorePart, ScorePartDto>> {
  text?: ScorePartDto;
  start?: ScorePartDto;
  schedule?: ScorePartDto;
  delivery?: ScorePartDto;
  region?: ScorePartDto;
  budget?: ScorePartDto;
  pePoints?: ScorePartDto;
}

export class ScoredEditionDto implements ScoredEdition {
  editionId: string;
  editionCode: string;
  courseId: string;
  courseCode: string;
  courseName: string;
  startDate: string;
  location: string;
  priceCents: number;
  seatsLeft: number;
  /** 0–100: the weighted mean of the parts that apply to this intake. */
  score: number;
  parts: ScorePartsDto;
  reasons: string[];
}

export class ExcludedEditionDto extends ScoredEditionDto implements ExcludedEdition {
  excludedBecause: string[];
}

export class SuggestedCourseDto implements SuggestedCourse {
  courseId: string;
  courseCode: string;
  courseName: string;
  reasons: string[];
}

export class AdviceResultDto implements AdviceResult {
  ranked: ScoredEditionDto[];
  /** Editions a hard rule excluded, best would-be score first (at most 50). */
  excluded: ExcludedEditionDto[];
  excludedTotal: number;
  /** Fitting courses without an open edition. */
  coursesWithoutEdition: SuggestedCourseDto[];
}

/** An edition the advisor chose to send, with the reasons as the mail gives them. */
export class ChosenEditionDto implements SelectedEdition {
  editionId: string;
  reasons: string[];
}

export class SentAdviceEditionDto {
  courseName: string;
  editionCode: string;
  startDate: string;
  location: string;
  priceCents: number;
  reasons: string[];
}

export class SentAdviceCourseDto {
  courseName: string;
}

/** The data the advice mail was rendered from. */
export class SentAdviceDto implements SentAdvice {
  applicantName: string;
  advisorName: string;
  personalNote: string | null;
  editions: SentAdviceEditionDto[];
  interestCourses: SentAdviceCourseDto[];
}
