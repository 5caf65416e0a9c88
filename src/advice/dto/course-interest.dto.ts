import { IsUUID } from 'class-validator';

export class CourseInterestDto {
  @IsUUID()
  courseId: string;
}
