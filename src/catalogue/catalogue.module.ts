import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueController } from './catalogue.controller';
import { CatalogueService } from './catalogue.service';
import { Course } from './course.entity';
import { ExamComponent } from './exam-component.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Course, ExamComponent])],
  controllers: [CatalogueController],
  providers: [CatalogueService],
  exports: [CatalogueService],
})
export class CatalogueModule {}
