import { describe, expect, it } from 'vitest';
import { fieldPath, formErrors } from './formErrors';

describe('formErrors', () => {
  it('puts an error on its field with the Chinese text of its code', () => {
    const result = formErrors([{ field: 'password', code: 'INVALID_CREDENTIALS', message: 'bad' }]);
    expect(result).toEqual({
      fields: [{ name: ['password'], errors: ['用户名或密码错误'] }],
      messages: [],
    });
  });

  it('maps every known login error code to Chinese', () => {
    const { fields } = formErrors([
      { field: 'username', code: 'TOO_MANY_ATTEMPTS', message: 'too many' },
      { field: 'username', code: 'ACCOUNT_DISABLED', message: 'disabled' },
    ]);
    expect(fields).toEqual([
      { name: ['username'], errors: ['登录失败次数过多，请稍后再试', '账号已停用，请联系管理员'] },
    ]);
  });

  it('falls back to the server message for an unknown code', () => {
    const { messages } = formErrors([{ field: null, code: 'SOMETHING_NEW', message: '服务端说明' }]);
    expect(messages).toEqual(['服务端说明']);
  });

  it('turns errors without a field, or on a field the form lacks, into form messages', () => {
    const result = formErrors(
      [
        { field: null, code: 'TOO_MANY_ATTEMPTS', message: 'x' },
        { field: 'refreshToken', code: 'REFRESH_TOKEN_EXPIRED', message: 'y' },
        { field: 'username', code: 'ACCOUNT_DISABLED', message: 'z' },
      ],
      { fields: ['username', 'password'] },
    );
    expect(result.fields).toEqual([{ name: ['username'], errors: ['账号已停用，请联系管理员'] }]);
    expect(result.messages).toEqual(['登录失败次数过多，请稍后再试', '登录已过期，请重新登录']);
  });

  it('maps input.* and nested paths onto the form, with list indexes as numbers', () => {
    const { fields } = formErrors([
      { field: 'input.idNumber', code: 'ID_NUMBER_CHECKSUM', message: 'x' },
      { field: 'input.documents.0.kind', code: 'TOO_LONG', message: 'y' },
    ]);
    expect(fields).toEqual([
      { name: ['idNumber'], errors: ['身份证号码校验位不正确'] },
      { name: ['documents', 0, 'kind'], errors: ['内容过长'] },
    ]);
    expect(fieldPath('password')).toBe('password');
  });

  it('lets a form override a text and does not repeat the same message', () => {
    const { fields, messages } = formErrors(
      [
        { field: 'password', code: 'INVALID_CREDENTIALS', message: 'a' },
        { field: 'password', code: 'INVALID_CREDENTIALS', message: 'a' },
        { code: 'X', message: '重复' },
        { code: 'X', message: '重复' },
      ],
      { messages: { INVALID_CREDENTIALS: '密码错误' } },
    );
    expect(fields).toEqual([{ name: ['password'], errors: ['密码错误'] }]);
    expect(messages).toEqual(['重复']);
  });

  it('returns nothing for no errors', () => {
    expect(formErrors([])).toEqual({ fields: [], messages: [] });
  });
});
