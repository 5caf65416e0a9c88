/** What planning tells the other modules, in the transaction of the change (see `DomainEvents`). */
export interface EditionStatusChanged {
  editionId: string;
  courseId: string;
  at: Date;
}

/** A session was added, changed (moved, another teacher or room) or cancelled. */
export interface SessionChanged {
  sessionId: string;
  editionId: string;
  change: 'added' | 'changed' | 'cancelled';
  at: Date;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    /** The edition takes enrolments. */
    'edition.opened': EditionStatusChanged;
    /** The edition goes ahead (go/no-go passed). */
    'edition.confirmed': EditionStatusChanged;
    'edition.cancelled': EditionStatusChanged;
    'session.changed': SessionChanged;
  }
}
