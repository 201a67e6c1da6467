import { describe, expect, it } from 'vitest';
import { parseEnums, schemaEnums } from './schemaEnums.mjs';
import {
  ENUM_LABELS,
  applicationActionLabel,
  labelOf,
  ocrValueLabel,
  ruleVersionText,
  verificationSourceText,
} from './enums';

/**
 * Enums that are never shown as such, so they need no label table here:
 * the *ErrorCode enums are machine codes of `errors { code }`; people see them only as
 * sentences, through errorMessage()/formErrors() (src/api/errorMessages.ts and the
 * domains' *_ERROR_MESSAGES), which fall back to the server's own Chinese message.
 */
const NOT_DISPLAYED: ReadonlySet<string> = new Set([
  'AuthErrorCode',
  'CertificateErrorCode',
  'EducationErrorCode',
  'IdentityErrorCode',
  'ImportErrorCode',
  'PracticeErrorCode',
  'RegistrationErrorCode',
  'UploadErrorCode',
]);

const HAN = /\p{Script=Han}/u;

describe('enum labels against schema.graphql', () => {
  const enums = schemaEnums();

  it('reads the schema', () => {
    expect(enums.length).toBeGreaterThan(30);
    expect(enums.find((e) => e.name === 'Gender')?.values).toEqual(['MALE', 'FEMALE']);
  });

  it('labels every value of every displayed enum in Chinese', () => {
    const tables = ENUM_LABELS as Readonly<Record<string, Readonly<Record<string, string>>>>;
    const missing: string[] = [];
    for (const { name, values } of enums) {
      if (NOT_DISPLAYED.has(name)) continue;
      const table = tables[name];
      if (!table) {
        missing.push(`${name} (no table in src/labels/enums.ts)`);
        continue;
      }
      for (const value of values) {
        const label = table[value];
        if (!label || !HAN.test(label)) missing.push(`${name}.${value}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no table for an enum the schema no longer has, nor for removed values', () => {
    const byName = new Map(enums.map((e) => [e.name, new Set(e.values)]));
    const stale: string[] = [];
    for (const [name, table] of Object.entries(ENUM_LABELS)) {
      const values = byName.get(name);
      if (!values) {
        stale.push(name);
        continue;
      }
      for (const key of Object.keys(table)) if (!values.has(key)) stale.push(`${name}.${key}`);
    }
    expect(stale).toEqual([]);
  });

  it('allow-lists only error-code enums that the schema still has', () => {
    const names = new Set(enums.map((e) => e.name));
    for (const name of NOT_DISPLAYED) {
      expect(name).toMatch(/ErrorCode$/);
      expect(names.has(name)).toBe(true);
    }
  });
});

describe('parseEnums', () => {
  it('ignores descriptions, comments and directives', () => {
    const sdl = `
"""An enum { with braces } in its description."""
enum Colour {
  """Red { not a value }"""
  RED
  # GREEN is a comment
  BLUE @deprecated(reason: "use RED")
}
type Query { colour: Colour }
`;
    expect(parseEnums(sdl)).toEqual([{ name: 'Colour', values: ['RED', 'BLUE'] }]);
  });
});

describe('labelOf and the plain-string helpers', () => {
  it('labels enum values that arrive as strings', () => {
    expect(labelOf('Gender', 'MALE')).toBe('男');
    expect(labelOf('Specialty', 'METAL_SMELTING')).toBe('金属冶炼安全');
    expect(labelOf('Role', 'PROVINCIAL_REVIEWER')).toBe('省级初审');
    expect(labelOf('CreditEventKind', 'COMMENDATION')).toBe('表彰奖励');
  });

  it('returns unknown values as given and null as empty', () => {
    expect(labelOf('Gender', 'X')).toBe('X');
    expect(labelOf('Gender', 'toString')).toBe('toString');
    expect(labelOf('Gender', null)).toBe('');
  });

  it('labels OCR values by field', () => {
    expect(ocrValueLabel('gender', 'FEMALE')).toBe('女');
    expect(ocrValueLabel('specialty', 'CHEMICAL')).toBe('化工安全');
    expect(ocrValueLabel('education', 'BACHELOR')).toBe('大学本科');
    expect(ocrValueLabel('name', 'MALE')).toBe('MALE');
    expect(ocrValueLabel('gender', '男')).toBe('男');
  });

  it('names history actions', () => {
    expect(applicationActionLabel('CREATE')).toBe('创建申请');
    expect(applicationActionLabel('START_PRELIMINARY')).toBe('开始初审');
    expect(applicationActionLabel('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });

  it('says where a verification came from, in a sentence', () => {
    expect(verificationSourceText('local')).toMatch(/^本地校验/);
    expect(verificationSourceText('local')).not.toContain('local');
    expect(verificationSourceText('http:idcheck.example:8443')).toBe('由联网核查服务（idcheck.example:8443）核验');
  });

  it('says which rule recognised hours, in a sentence', () => {
    expect(ruleVersionText('hours-v1')).toBe('按平台课程学时认定规则（第 1 版）认定');
    expect(ruleVersionText('self-report-v1')).toMatch(/个人申报/);
    expect(ruleVersionText('import-v1')).toMatch(/外部学时导入/);
    expect(ruleVersionText('hours-v2')).toContain('第 2 版');
  });
});
