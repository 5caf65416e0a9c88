import { Body, Controller, Delete, Get, HttpCode, Param, ParseEnumPipe, Patch, Put, StreamableFile } from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { STAFF } from '../kernel/role';
import { UpdateSettingsDto, UploadImageDto } from './dto/settings.dto';
import { InstituteSettings, SETTINGS_IMAGE_KINDS, SettingsImageKind } from './institute-settings.entity';
import { SettingsService } from './settings.service';

const kindPipe = new ParseEnumPipe(Object.fromEntries(SETTINGS_IMAGE_KINDS.map((k) => [k, k])));

@ApiTags('settings')
@Controller('settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Roles(...STAFF)
  @Get()
  get(): Promise<InstituteSettings> {
    return this.settings.get();
  }

  @Roles('admin')
  @Patch()
  @ApiConflictResponse({ description: 'Stale version' })
  update(@Body() body: UpdateSettingsDto): Promise<InstituteSettings> {
    return this.settings.update(body);
  }

  /** Replaces the logo or a signature image. */
  @Roles('admin')
  @Put('images/:kind')
  @HttpCode(204)
  @ApiParam({ name: 'kind', enum: SETTINGS_IMAGE_KINDS })
  @ApiNoContentResponse()
  async putImage(@Param('kind', kindPipe) kind: SettingsImageKind, @Body() body: UploadImageDto): Promise<void> {
    await this.settings.putImage(kind, body);
  }

  /** Removes the logo or a signature image: mail and documents are then made without it. */
  @Roles('admin')
  @Delete('images/:kind')
  @HttpCode(204)
  @ApiParam({ name: 'kind', enum: SETTINGS_IMAGE_KINDS })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  async removeImage(@Param('kind', kindPipe) kind: SettingsImageKind): Promise<void> {
    await this.settings.removeImage(kind);
  }

  @Roles(...STAFF)
  @Get('images/:kind')
  @ApiParam({ name: 'kind', enum: SETTINGS_IMAGE_KINDS })
  @ApiOkResponse({ content: { 'image/png': { schema: { type: 'string', format: 'binary' } }, 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse()
  async getImage(@Param('kind', kindPipe) kind: SettingsImageKind): Promise<StreamableFile> {
    const image = await this.settings.getImage(kind);
    return new StreamableFile(image.data, { type: image.mediaType });
  }
}
