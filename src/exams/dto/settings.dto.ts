import { IsInt, Max, Min } from 'class-validator';

export class UpdateExamSettingsDto {
  @IsInt()
  @Min(1)
  version: number;

  /** The reminder of a sitting goes this many days before it. */
  @IsInt()
  @Min(1)
  @Max(60)
  reminderDays: number;
}
