import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['true', '1', 'yes', 'on'].includes(String(value).toLowerCase())
    ? true
    : ['false', '0', 'no', 'off'].includes(String(value).toLowerCase())
      ? false
      : value;
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const isProduction = (env: Environment) => env.NODE_ENV === 'production';

/**
 * Secrets that have been published, and so sign nothing: Registrar's former built-in
 * development secret, its test suite's, and the usual placeholders.
 */
const PUBLISHED_SECRETS = [
  'registrar-development-secret-not-for-production-use',
  'test-secret-that-is-at-least-32-bytes-long',
  'your-256-bit-secret',
  'changeme',
  'secret',
  'password',
];
/** A random secret of 32 bytes or more, however encoded (hex has 16 symbols), shows far more distinct characters than this. */
const MIN_DISTINCT_CHARACTERS = 10;

/** Why a signing secret is unfit, or undefined. Blank is never fit; weak or published ones only matter in production. */
function weakSecretReason(secret: string, production: boolean): string | undefined {
  if (secret.trim() === '') return 'JWT_SECRET must not be blank';
  if (!production) return undefined;
  const normalised = secret.trim().toLowerCase();
  if (PUBLISHED_SECRETS.some((known) => normalised === known || normalised.replaceAll(known, '') === '')) {
    return 'JWT_SECRET must not be a published value (a default, an example, a placeholder); generate one, e.g. `openssl rand -base64 48`';
  }
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS) {
    return `JWT_SECRET must be random: it has fewer than ${MIN_DISTINCT_CHARACTERS} distinct characters; generate one, e.g. \`openssl rand -base64 48\``;
  }
  return undefined;
}

@ValidatorConstraint({ name: 'strongSecret' })
class StrongSecret implements ValidatorConstraintInterface {
  private reason(args: ValidationArguments): string | undefined {
    return typeof args.value === 'string' ? weakSecretReason(args.value, isProduction(args.object as Environment)) : undefined;
  }
  validate(_value: unknown, args: ValidationArguments): boolean {
    return this.reason(args) === undefined;
  }
  defaultMessage(args: ValidationArguments): string {
    return this.reason(args) ?? 'JWT_SECRET is unfit';
  }
}

/**
 * Every setting Registrar reads from the environment, validated once at boot.
 * The README's configuration table mirrors this class.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @Min(0)
  @Max(65535)
  @IsInt()
  PORT = 3000;

  /** A real PostgreSQL server; without it an embedded server is started (not in production). */
  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => isProduction(env) || env.DATABASE_URL !== undefined)
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL (required in production)' })
  DATABASE_URL?: string;

  /** Where the embedded database, its lock and the development mail files live. */
  @IsString()
  DATA_DIR = './data';

  @Transform(toInt)
  @Min(1024)
  @Max(65535)
  @IsInt()
  EMBEDDED_PG_PORT = 54329;

  @Transform(toBoolean)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  /** Seeds the demo institute into an empty database; never in production. */
  @Transform(toBoolean)
  @IsBoolean()
  SEED_DEMO = true;

  /** Runs a job worker inside the API process (the default); `npm run worker` runs one on its own. */
  @Transform(toBoolean)
  @IsBoolean()
  RUN_WORKER = true;

  /** Without it (outside production) a random secret is made once and kept in DATA_DIR/jwt-secret. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => isProduction(env) || env.JWT_SECRET !== undefined)
  @Validate(StrongSecret)
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 bytes long' })
  @IsString({ message: 'JWT_SECRET is required in production' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @Min(30)
  @Max(86400)
  @IsInt()
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @Min(1)
  @Max(365)
  @IsInt()
  REFRESH_TOKEN_TTL_DAYS = 30;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.ADMIN_EMAIL !== undefined)
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters long' })
  @IsString({ message: 'ADMIN_PASSWORD is required when ADMIN_EMAIL is set' })
  ADMIN_PASSWORD?: string;

  /** Comma-separated origins allowed by CORS; empty allows none. */
  @IsString()
  CORS_ORIGINS = '';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Failed logins allowed per account from one client address within LOGIN_WINDOW_MINUTES (see LoginThrottleService). */
  @Transform(toInt)
  @Min(1)
  @IsInt()
  LOGIN_MAX_FAILURES_PER_ACCOUNT = 5;

  /** Failed logins allowed per account from all addresses together: far above the one-address limit, so one attacker cannot lock the owner out. */
  @Transform(toInt)
  @Min(1)
  @IsInt()
  LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL = 100;

  /** Failed logins allowed per client address, whatever the account. */
  @Transform(toInt)
  @Min(1)
  @IsInt()
  LOGIN_MAX_FAILURES_PER_ADDRESS = 20;

  /** The counting window, and the first lockout; each further lockout lasts twice as long. */
  @Transform(toInt)
  @Min(1)
  @IsInt()
  LOGIN_WINDOW_MINUTES = 15;

  /** Public base URL of the API, used in links in mail and documents; `http://localhost:<PORT>` when not set. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL: string;

  /** SMTP server (smtp:// or smtps://); without it mail is written as .eml files under DATA_DIR/mail. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => isProduction(env) || env.SMTP_URL !== undefined)
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL (required in production)' })
  SMTP_URL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => isProduction(env) || env.MAIL_FROM !== undefined)
  @IsString({ message: 'MAIL_FROM is required in production' })
  MAIL_FROM?: string;

  @Transform(toInt)
  @Min(1)
  @IsInt()
  MAIL_RATE_PER_MINUTE = 600;

  /** How long a worker holds the messages it claimed; renewed while it sends, taken over by another worker when it dies. */
  @Transform(toInt)
  @Min(1)
  @IsInt()
  MAIL_LEASE_SECONDS = 30;

  @Transform(toBoolean)
  @IsBoolean()
  SMTP_TLS_REJECT_UNAUTHORIZED = true;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DKIM_DOMAIN?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DKIM_SELECTOR?: string;

  /** PEM private key, or a path to one. */
  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.DKIM_DOMAIN !== undefined)
  @IsString({ message: 'DKIM_PRIVATE_KEY is required when DKIM_DOMAIN is set' })
  DKIM_PRIVATE_KEY?: string;

  /** The institute's PKCS#12 file that signs diploma PDFs; without it (outside production) a self-signed one is made in DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DIPLOMA_SIGNING_P12?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((env: Environment) => env.DIPLOMA_SIGNING_P12 !== undefined)
  @IsString({ message: 'DIPLOMA_SIGNING_PASSWORD is required when DIPLOMA_SIGNING_P12 is set' })
  DIPLOMA_SIGNING_PASSWORD?: string;

  /** Production without DIPLOMA_SIGNING_P12 refuses to issue diplomas unless this says unsigned PDFs are acceptable. */
  @Transform(toBoolean)
  @IsBoolean()
  DIPLOMA_ALLOW_UNSIGNED = false;

  /** Requests to the public verification routes allowed per client address per minute. */
  @Transform(toInt)
  @Min(1)
  @IsInt()
  VERIFY_RATE_PER_MINUTE = 60;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get usesEmbeddedDatabase(): boolean {
    return this.DATABASE_URL === undefined;
  }

  get corsOrigins(): string[] {
    return this.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  }
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment; throws an error naming every bad variable and its rule. */
export function loadEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const known = Object.keys(new Environment());
  const raw = Object.fromEntries(Object.entries(source).filter(([key]) => known.includes(key)));
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(
      errors.flatMap((error) =>
        Object.values(error.constraints ?? {}).map((message) =>
          message.startsWith(error.property) ? message : `${error.property}: ${message}`,
        ),
      ),
    );
  }
  if (env.isProduction) {
    env.SEED_DEMO = false;
  }
  // Links must reach this server on the port it listens on, not on the default one.
  env.PUBLIC_URL ??= `http://localhost:${env.PORT}`;
  return env;
}
