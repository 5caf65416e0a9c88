import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { ConflictError, InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { JsonPage, jsonPageFrom } from '../http/pagination';
import { AuthService } from './auth.service';
import { CreateUserDto, UpdateUserDto, UserQuery } from './dto/user.dto';
import { hashPassword } from './password';
import { Role } from '../kernel/role';
import { UserAccount } from './user-account.entity';
import { lockVersion } from '../database/version-lock';
import { definedFields } from '../http/defined-fields';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserAccount) private readonly users: Repository<UserAccount>,
    private readonly auth: AuthService,
  ) {}

  /** A user's name and address as other modules show them (the advisor who signs an advice); null when there is none. */
  async person(id: string, manager: EntityManager = this.users.manager): Promise<{ displayName: string; email: string } | null> {
    const user = await manager.findOne(UserAccount, { where: { id }, select: { displayName: true, email: true } });
    return user ? { displayName: user.displayName, email: user.email } : null;
  }

  async list(query: UserQuery): Promise<JsonPage<UserAccount>> {
    const qb = this.users.createQueryBuilder('user').orderBy('user.email');
    if (query.role) qb.andWhere(':role = ANY(user.roles)', { role: query.role });
    if (query.search) {
      const pattern = `%${query.search.replace(/[\\%_]/g, '\\$&')}%`;
      qb.andWhere(new Brackets((w) => w.where('user.email ILIKE :pattern', { pattern }).orWhere('user.displayName ILIKE :pattern')));
    }
    return jsonPageFrom(qb, query);
  }

  async get(id: string): Promise<UserAccount> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  findByEmail(email: string): Promise<UserAccount | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase() });
  }

  async create(input: CreateUserDto): Promise<UserAccount> {
    assertLinks(input.roles, input.studentId, input.teacherId);
    if (await this.findByEmail(input.email)) {
      throw new ConflictError('email_taken', `A user with email ${input.email} already exists`, {}, [{ field: 'email', rule: 'unique', message: 'email is already in use' }]);
    }
    const user = this.users.create({
      email: input.email.trim().toLowerCase(),
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      roles: input.roles,
      locale: input.locale ?? 'nl',
      studentId: input.studentId ?? null,
      teacherId: input.teacherId ?? null,
      active: true,
    });
    const saved = await this.users.save(user);
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateUserDto): Promise<UserAccount> {
    await this.users.manager.transaction(async (manager) => {
      await lockVersion(manager, UserAccount, id, input.version, 'User');
      await this.change(manager, id, input);
      // A new password or a deactivation ends every session of this user, with the change.
      if (input.password !== undefined || input.active === false) await this.auth.revokeAllFor(manager, id);
    });
    return this.get(id);
  }

  private async change(manager: EntityManager, id: string, input: UpdateUserDto): Promise<void> {
    const user = await manager.findOneByOrFail(UserAccount, { id });
    const { password, version: _version, ...changes } = definedFields(input);
    Object.assign(user, changes, password !== undefined ? { passwordHash: await hashPassword(password) } : {});
    assertLinks(user.roles, user.studentId, user.teacherId);
    await manager.save(user);
  }

  /** The active users with this role, by email, as other modules address them (the planners asked about an edition). */
  async activeWithRole(role: Role, manager: EntityManager = this.users.manager): Promise<Array<{ id: string; email: string; displayName: string; locale: 'nl' | 'en' }>> {
    const users = await manager
      .createQueryBuilder(UserAccount, 'user')
      .select(['user.id', 'user.email', 'user.displayName', 'user.locale'])
      .where('user.active')
      .andWhere(':role = ANY(user.roles)', { role })
      .orderBy('user.email')
      .getMany();
    return users.map(({ id, email, displayName, locale }) => ({ id, email, displayName, locale }));
  }
}

/** A student user reads one student's records, a teacher user acts as one teacher: both need that link. */
function assertLinks(roles: Role[], studentId?: string | null, teacherId?: string | null): void {
  const errors = [];
  if (roles.includes('student') && !studentId) {
    errors.push({ field: 'studentId', rule: 'requiredForStudent', message: 'studentId is required for a user with role student' });
  }
  if (roles.includes('teacher') && !teacherId) {
    errors.push({ field: 'teacherId', rule: 'requiredForTeacher', message: 'teacherId is required for a user with role teacher' });
  }
  if (errors.length) throw new InvalidInputError(errors);
}
