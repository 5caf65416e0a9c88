import { ApiProperty } from '@nestjs/swagger';
import { DIPLOMA_STATES, DiplomaState } from '../diploma.entity';

/** What anyone may know of a diploma: its state, the name, course, date and number. */
export class Verification {
  @ApiProperty({ enum: DIPLOMA_STATES })
  state: DiplomaState;
  name: string;
  course: string;
  /** YYYY-MM-DD */
  issueDate: string;
  number: string;
  @ApiProperty({ type: Date, nullable: true })
  revokedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true })
  supersededAt: Date | null;
}

/** A file that is, byte for byte, a diploma the institute issued; its state tells whether it still counts. */
export class DocumentCheck {
  authentic: true;
  sha256: string;
  diploma: Verification;
}
