import { applyDecorators, Injectable, SetMetadata, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { DomainError, InvalidInputError } from '../kernel/domain-errors';
import { fieldErrors } from '../http/validation';

/** An option in commander's notation (`--email <email>`), and whether the command needs it. */
export interface CliOption {
  flags: string;
  description: string;
  required?: boolean;
}

/** A command's name, help text and options: read by `--help` without starting the application. */
export interface CliCommandSpec {
  name: string;
  description: string;
  options: CliOption[];
}

/** A command that runs inside the application (without HTTP, job workers or seeding). */
export interface CliCommand {
  run(options: Record<string, string | undefined>): Promise<void>;
}

const SPEC = 'registrar:cli-command';

/** Marks a provider as a CLI command; list it in CLI_COMMANDS (cli.module.ts). */
export const Command = (spec: CliCommandSpec) => applyDecorators(Injectable(), SetMetadata(SPEC, spec));

export function commandSpecOf(type: Type<CliCommand>): CliCommandSpec {
  return Reflect.getMetadata(SPEC, type) as CliCommandSpec;
}

/** The options as a DTO, checked by the same rules as the HTTP API; refused with the same field errors. */
export async function validated<T extends object>(dto: Type<T>, plain: object): Promise<T> {
  const input = plainToInstance(dto, plain);
  const errors = fieldErrors(await validate(input, { whitelist: true, forbidNonWhitelisted: true }));
  if (errors.length) throw new InvalidInputError(errors);
  return input;
}

/** A password for an operator to hand on: 24 hex digits (96 bits), nothing a shell or an option parser reads otherwise. */
export function generatedPassword(): string {
  return randomBytes(12).toString('hex');
}

/** What went wrong, for a terminal: a problem's detail and each field error, or the error's message. */
export function describeFailure(error: unknown): string {
  if (error instanceof DomainError && error.errors?.length) return error.errors.map((e) => `${e.field}: ${e.message}`).join('\n');
  return error instanceof Error ? error.message : String(error);
}
