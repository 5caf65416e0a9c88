import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { ApiPage } from '../http/api-page.decorator';
import { Page } from '../http/pagination';
import { CatalogueService } from './catalogue.service';
import { Course } from './course.entity';
import { CourseQuery, CreateCourseDto, UpdateCourseDto } from './dto/course.dto';

@ApiTags('catalogue')
@Controller('courses')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  /** The catalogue, by code or, with `q`, by relevance (Dutch and English full-text search). */
  @Roles(...STAFF, 'teacher')
  @Get()
  @ApiPage(Course)
  list(@Query() query: CourseQuery): Promise<Page<Course>> {
    return this.catalogue.list(query);
  }

  @Roles(...STAFF, 'teacher')
  @Get(':id')
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<Course> {
    return this.catalogue.get(id);
  }

  @Roles('planner', 'admin')
  @Post()
  @ApiConflictResponse({ description: 'The code is taken' })
  create(@Body() body: CreateCourseDto): Promise<Course> {
    return this.catalogue.create(body);
  }

  /** Changes a course that is not retired; exam components are matched by id, left-out ones are removed. */
  @Roles('planner', 'admin')
  @Patch(':id')
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Stale version' })
  @ApiUnprocessableEntityResponse({ description: 'The course is retired' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCourseDto): Promise<Course> {
    return this.catalogue.update(id, body);
  }

  /** Takes the course out of the catalogue for new editions; existing editions keep it. */
  @Roles('planner', 'admin')
  @Post(':id/retire')
  @HttpCode(200)
  @ApiNotFoundResponse()
  retire(@Param('id', ParseUUIDPipe) id: string): Promise<Course> {
    return this.catalogue.retire(id);
  }

  /** Deletes a course that no edition uses (409 `course_in_use` otherwise: retire it). */
  @Roles('planner', 'admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'An edition or another course uses it' })
  async remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.catalogue.remove(id);
  }
}
