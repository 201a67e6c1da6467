import { describe, expect, it } from 'vitest';
import {
  cleanItems,
  deadlineColor,
  documentValues,
  formInput,
  formValuesFromStored,
  latestByKind,
  normalizeDate,
  ocrPending,
  prefillFromCertificate,
} from './helpers';

describe('deadlineColor', () => {
  it('is red when breached, orange when due soon, none otherwise', () => {
    expect(deadlineColor('BREACHED')).toBe('red');
    expect(deadlineColor('DUE_SOON')).toBe('orange');
    expect(deadlineColor('ON_TIME')).toBeUndefined();
    expect(deadlineColor(null)).toBeUndefined();
  });
});

describe('normalizeDate', () => {
  it.each([
    ['2024-10-20', '2024-10-20'],
    ['2024/10/20', '2024-10-20'],
    ['2024.1.5', '2024-01-05'],
    ['2024年10月20日', '2024-10-20'],
    ['2024 年 3 月 9 日', '2024-03-09'],
    ['20241020', '2024-10-20'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeDate(input)).toBe(expected);
  });

  it('rejects what is not a date', () => {
    expect(normalizeDate('')).toBeNull();
    expect(normalizeDate(null)).toBeNull();
    expect(normalizeDate('2024-13-01')).toBeNull();
    expect(normalizeDate('二〇二四年')).toBeNull();
  });
});

describe('documentValues', () => {
  it('prefers the confirmed value over the OCR value', () => {
    expect(
      documentValues(
        [
          { name: 'certificate_number', value: 'A0O1' },
          { name: 'issue_date', value: '2024-10-20' },
        ],
        [{ name: 'certificate_number', value: 'A001' }],
      ),
    ).toEqual({ certificate_number: 'A001', issue_date: '2024-10-20' });
  });
});

describe('prefillFromCertificate', () => {
  const certificate = { certificate_number: ' 0344201800012345 ', issue_date: '2024年10月20日', name: '林晓' };

  it('fills an empty form from the certificate', () => {
    expect(prefillFromCertificate({}, certificate)).toEqual({
      qualificationNumber: '0344201800012345',
      qualificationDate: '2024-10-20',
    });
  });

  it('keeps what the registrant typed', () => {
    expect(
      prefillFromCertificate({ qualificationNumber: 'MINE', school: '中国矿业大学' }, certificate),
    ).toEqual({ qualificationNumber: 'MINE', qualificationDate: '2024-10-20', school: '中国矿业大学' });
  });

  it('leaves the form as it is without a certificate or with an unreadable date', () => {
    expect(prefillFromCertificate({ school: 'X' }, null)).toEqual({ school: 'X' });
    expect(prefillFromCertificate({}, { issue_date: '不详' })).toEqual({});
  });
});

describe('form values', () => {
  it('drops empty stored values and unknown educations', () => {
    expect(
      formValuesFromStored({ qualificationNumber: '', education: 'BACHELOR', school: null, major: 'X' }),
    ).toEqual({ education: 'BACHELOR', major: 'X' });
    expect(formValuesFromStored({ education: '本科' })).toEqual({});
  });

  it('sends blanks as null', () => {
    expect(formInput({ qualificationNumber: ' 123 ', school: '  ' })).toEqual({
      qualificationNumber: '123',
      qualificationDate: null,
      education: null,
      school: null,
      major: null,
      diplomaNumber: null,
      identityNote: null,
    });
  });
});

describe('documents', () => {
  it('keeps the latest live document of each kind', () => {
    const docs = [
      { id: '1', kind: 'ID_CARD', status: 'CONFIRMED' },
      { id: '2', kind: 'ID_CARD', status: 'CONFIRMED' },
      { id: '3', kind: 'DIPLOMA', status: 'CONFIRMED' },
      { id: '4', kind: 'DIPLOMA', status: 'EXPIRED' },
    ];
    const latest = latestByKind(docs);
    expect(latest.get('ID_CARD')?.id).toBe('2');
    expect(latest.get('DIPLOMA')?.id).toBe('3');
  });

  it('polls only while a confirmed document waits for OCR', () => {
    expect(ocrPending([{ status: 'CONFIRMED', ocrStatus: 'PENDING' }])).toBe(true);
    expect(ocrPending([{ status: 'UPLOADING', ocrStatus: 'PENDING' }])).toBe(false);
    expect(ocrPending([{ status: 'CONFIRMED', ocrStatus: 'DONE' }])).toBe(false);
    expect(ocrPending([])).toBe(false);
  });
});

describe('cleanItems', () => {
  it('trims the return items and drops blanks', () => {
    expect(cleanItems([' 补充劳动合同 ', '', undefined, '  '])).toEqual(['补充劳动合同']);
    expect(cleanItems(undefined)).toEqual([]);
  });
});
