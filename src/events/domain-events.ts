import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Every domain event by name, with its payload. Each module adds the events it raises where it
 * raises them, by declaration merging:
 *
 *     declare module '../events/domain-events' {
 *       interface DomainEventMap { 'enrolment.confirmed': EnrolmentConfirmed }
 *     }
 *
 * so a handler of another module gets the payload's type from the name alone.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface DomainEventMap {}

export type DomainEventType = keyof DomainEventMap;

export type DomainEventHandler<K extends DomainEventType> = (event: DomainEventMap[K], manager: EntityManager) => Promise<void>;

/**
 * Events between modules inside one transaction. `publish` awaits every handler with the
 * publisher's manager, so an event and its consequences (a ledger item, an outbox mail) commit
 * or roll back together; a handler that throws undoes the change that raised the event.
 * A module raises its own events and registers handlers for others' in `onModuleInit`.
 */
@Injectable()
export class DomainEvents {
  private readonly handlers = new Map<DomainEventType, DomainEventHandler<DomainEventType>[]>();

  on<K extends DomainEventType>(type: K, handler: DomainEventHandler<K>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as unknown as DomainEventHandler<DomainEventType>);
    this.handlers.set(type, list);
  }

  async publish<K extends DomainEventType>(manager: EntityManager, type: K, event: DomainEventMap[K]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) throw new Error(`Event ${String(type)} must be published inside the transaction that causes it`);
    for (const handler of this.handlers.get(type) ?? []) await handler(event, manager);
  }
}
