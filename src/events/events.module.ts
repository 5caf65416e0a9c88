import { Global, Module } from '@nestjs/common';
import { DomainEvents } from './domain-events';

/** The in-transaction event bus every domain module raises its events on. */
@Global()
@Module({ providers: [DomainEvents], exports: [DomainEvents] })
export class EventsModule {}
