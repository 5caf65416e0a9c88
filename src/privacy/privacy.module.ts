import { Global, Module } from '@nestjs/common';
import { PersonalDataRegistry } from './personal-data-registry';

/** Where every module registers how it exports and erases a student's personal data. */
@Global()
@Module({ providers: [PersonalDataRegistry], exports: [PersonalDataRegistry] })
export class PrivacyModule {}
