import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { InvalidInputError, NotFoundError } from '../kernel/domain-errors';
import { UpdateSettingsDto, UploadImageDto } from './dto/settings.dto';
import { InstituteSettings, SettingsImage, SettingsImageKind } from './institute-settings.entity';
import { lockVersion } from '../database/version-lock';

const SIGNATURES: Record<UploadImageDto['mediaType'], Buffer> = {
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
};

@Injectable()
export class SettingsService {
  constructor(
    @InjectRepository(InstituteSettings) private readonly settings: Repository<InstituteSettings>,
    @InjectRepository(SettingsImage) private readonly images: Repository<SettingsImage>,
  ) {}

  async get(): Promise<InstituteSettings> {
    return this.settings.findOneByOrFail({ id: 1 });
  }

  async update(input: UpdateSettingsDto): Promise<InstituteSettings> {
    const { version, ...changes } = input;
    await this.settings.manager.transaction(async (manager) => {
      await lockVersion(manager, InstituteSettings, 1, version, 'The institute settings');
      const current = await manager.findOneByOrFail(InstituteSettings, { id: 1 });
      await manager.save(Object.assign(current, { id: 1 }, changes));
    });
    return this.get();
  }

  async putImage(kind: SettingsImageKind, input: UploadImageDto): Promise<void> {
    const data = Buffer.from(input.data, 'base64');
    const signature = SIGNATURES[input.mediaType];
    if (!data.subarray(0, signature.length).equals(signature)) {
      throw new InvalidInputError([{ field: 'data', rule: 'mediaType', message: `data is not a ${input.mediaType} image` }]);
    }
    await this.images.save({ kind, mediaType: input.mediaType, data });
  }

  async removeImage(kind: SettingsImageKind): Promise<void> {
    // remove, not delete: the audit log records what was removed.
    await this.images.remove(await this.getImage(kind));
  }

  async getImage(kind: SettingsImageKind): Promise<SettingsImage> {
    const image = await this.images.findOneBy({ kind });
    if (!image) throw new NotFoundError('Image', kind);
    return image;
  }

  /** For documents and mail that show the image only when the institute has one. */
  findImage(kind: SettingsImageKind): Promise<SettingsImage | null> {
    return this.images.findOneBy({ kind });
  }

  /** The logo as a data: URL for a page that loads nothing from elsewhere; null when the institute has none. */
  async logoDataUrl(): Promise<string | null> {
    const logo = await this.findImage('logo');
    return logo ? `data:${logo.mediaType};base64,${logo.data.toString('base64')}` : null;
  }
}
