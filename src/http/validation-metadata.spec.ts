import { getMetadataStorage, IsBoolean, IsEmail, IsInt, IsString, validate } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata';

class Base {
  @IsString()
  name: unknown;
}

class Child extends Base {
  @IsInt()
  count: unknown;
}

const failing = async (value: object) => (await validate(value)).map((error) => `${error.property}:${Object.keys(error.constraints ?? {}).join(',')}`).sort();

describe("class-validator's rules per class, worked out once", () => {
  beforeAll(() => cacheValidationMetadata());

  it('answers a class its own and its inherited rules, the same list each time it is asked', async () => {
    expect(await failing(Object.assign(new Child(), { name: 1, count: 'x' }))).toEqual(['count:isInt', 'name:isString']);
    expect(await failing(Object.assign(new Child(), { name: 'a', count: 2 }))).toEqual([]);
    const storage = getMetadataStorage() as unknown as { getTargetValidationMetadatas(...args: unknown[]): unknown[] };
    const first = storage.getTargetValidationMetadatas(Child, '', false, false, undefined);
    expect(first).toHaveLength(2);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, undefined)).toBe(first);
  });

  it('takes up rules registered after a class was validated, on it and on classes defined later', async () => {
    expect(await failing(Object.assign(new Child(), { name: 'a', count: 2, email: 'no' }))).toEqual([]);
    IsEmail()(Child.prototype, 'email');
    expect(await failing(Object.assign(new Child(), { name: 'a', count: 2, email: 'no' }))).toEqual(['email:isEmail']);

    class Later extends Base {
      @IsBoolean()
      done: unknown;
    }
    expect(await failing(Object.assign(new Later(), { name: 3, done: 'yes' }))).toEqual(['done:isBoolean', 'name:isString']);
  });
});
