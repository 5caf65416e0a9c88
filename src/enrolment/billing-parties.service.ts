import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '../kernel/domain-errors';
import { JsonPage, jsonPageFrom } from '../http/pagination';
import { BillingParty } from './billing-party.entity';
import { BillingPartyQuery, CreateBillingPartyDto, UpdateBillingPartyDto } from './dto/billing-party.dto';
import { normalisePostcode } from './dto/validators';
import { StudentsService } from './students.service';
import { fullName } from './student-name';
import { lockVersion } from '../database/version-lock';

@Injectable()
export class BillingPartiesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly students: StudentsService,
  ) {}

  async create(input: CreateBillingPartyDto): Promise<BillingParty> {
    return this.db.transaction(async (manager) => {
      const student = input.kind === 'student' ? await this.students.active(input.studentId!, manager) : null;
      if (student && (await manager.existsBy(BillingParty, { studentId: student.id }))) {
        throw new ConflictError('duplicate_billing_party', `Student ${fullName(student)} already has a billing party`);
      }
      const address = input.address ?? student?.address ?? null;
      const party = manager.create(BillingParty, {
        kind: input.kind,
        studentId: student?.id ?? null,
        name: input.name ?? (student ? fullName(student) : ''),
        address: address ? { ...address, postcode: normalisePostcode(address.postcode, address.country) } : null,
        vatNumber: input.vatNumber ?? null,
        kvkNumber: input.kvkNumber ?? null,
        contactName: input.contactName ?? (student ? fullName(student) : ''),
        contactEmail: input.contactEmail?.toLowerCase() ?? student?.email ?? null,
        reference: input.reference ?? '',
        peppolId: input.peppolId ?? null,
        paymentTermDays: input.paymentTermDays ?? 30,
        locale: input.locale ?? student?.locale ?? 'nl',
        retainedUntil: null,
      });
      return manager.save(party);
    });
  }

  async list(query: BillingPartyQuery): Promise<JsonPage<BillingParty>> {
    const qb = this.db.getRepository(BillingParty).createQueryBuilder('b').orderBy('lower(b.name)').addOrderBy('b.id');
    if (query.q) qb.andWhere('lower(b.name) LIKE :like', { like: `%${query.q.toLowerCase().replace(/[%_\\]/g, '\\$&')}%` });
    return jsonPageFrom(qb, query);
  }

  async get(id: string, manager: EntityManager = this.db.manager): Promise<BillingParty> {
    const party = await manager.findOneBy(BillingParty, { id });
    if (!party) throw new NotFoundError('BillingParty', id);
    return party;
  }

  async update(id: string, input: UpdateBillingPartyDto): Promise<BillingParty> {
    return this.db.transaction(async (manager) => {
      await lockVersion(manager, BillingParty, id, input.version, 'Billing party');
      const party = await this.get(id, manager);
      const { version: _version, ...changes } = input;
      Object.assign(party, changes);
      if (changes.address) party.address = { ...changes.address, postcode: normalisePostcode(changes.address.postcode, changes.address.country) };
      return manager.save(party);
    });
  }
}
