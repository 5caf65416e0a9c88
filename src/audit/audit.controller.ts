import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Roles } from '../auth/auth.decorators';
import { ApiPage } from '../http/api-page.decorator';
import { JsonPage, jsonPageFrom } from '../http/pagination';
import { AuditEntry } from './audit-entry.entity';
import { AuditQuery } from './dto/audit-query.dto';

@ApiTags('audit')
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /** The audit log, newest first, filterable by entity, actor, action and time. */
  @Get()
  @ApiPage(AuditEntry)
  async list(@Query() query: AuditQuery): Promise<JsonPage<AuditEntry>> {
    const qb = this.entries.createQueryBuilder('entry').orderBy('entry.occurredAt', 'DESC');
    if (query.entity) qb.andWhere('entry.entity = :entity', { entity: query.entity });
    if (query.entityId) qb.andWhere('entry.entityId = :entityId', { entityId: query.entityId });
    if (query.actorId) qb.andWhere('entry.actorId = :actorId', { actorId: query.actorId });
    if (query.jobId) qb.andWhere('entry.jobId = :jobId', { jobId: query.jobId });
    if (query.action) qb.andWhere('entry.action = :action', { action: query.action });
    if (query.from) qb.andWhere('entry.occurredAt >= :from', { from: query.from });
    if (query.to) qb.andWhere('entry.occurredAt < :to', { to: query.to });
    return jsonPageFrom(qb, query);
  }
}
