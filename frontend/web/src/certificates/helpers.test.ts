import { describe, expect, it } from 'vitest';
import {
  checkState,
  formatChineseDay,
  normalizeNumber,
  parseVerifierInput,
  qrOfLink,
  shortHash,
  verificationTone,
  verifyPath,
} from './helpers';
import { CERTIFICATE_STATUS_COLORS, CERTIFICATE_STATUS_LABELS, VERIFICATION_STATUS_LABELS } from './labels';

describe('parseVerifierInput', () => {
  it('treats empty input as empty', () => {
    expect(parseVerifierInput('  ')).toEqual({ kind: 'empty' });
    expect(parseVerifierInput(null)).toEqual({ kind: 'empty' });
  });

  it('normalises a typed number', () => {
    expect(parseVerifierInput(' aq2026 44-02 000001 k ')).toEqual({ kind: 'number', number: 'AQ20264402000001K' });
    expect(normalizeNumber('aq-2026')).toBe('AQ2026');
  });

  it('keeps QR text exactly, only dropping line breaks a paste may add', () => {
    expect(parseVerifierInput(' RS1:AbC-_d\nEf ')).toEqual({ kind: 'qr', qrPayload: 'RS1:AbC-_dEf' });
    expect(parseVerifierInput('rs1:xY')).toEqual({ kind: 'qr', qrPayload: 'RS1:xY' });
  });

  it('reads the QR text from the link the certificate QR carries', () => {
    expect(parseVerifierInput('https://regsafe.example.cn/verify?qr=RS1:AbC-_dEf')).toEqual({ kind: 'qr', qrPayload: 'RS1:AbC-_dEf' });
    // a scanner that percent-encodes, another host, a path prefix, a trailing slash
    expect(parseVerifierInput(' HTTP://other.example/app/verify/?qr=RS1%3AxY ')).toEqual({ kind: 'qr', qrPayload: 'RS1:xY' });
    expect(qrOfLink('https://x.cn/verify?qr=RS1:a&qr=RS1:b')).toBeNull();
    expect(qrOfLink('https://x.cn/other?qr=RS1:a')).toBeNull();
    expect(qrOfLink('RS1:abc')).toBeNull();
  });

  it('reads the number from a verification link', () => {
    expect(parseVerifierInput('https://regsafe.example.cn/verify/AQ20264402000001K')).toEqual({
      kind: 'number',
      number: 'AQ20264402000001K',
    });
    expect(parseVerifierInput('https://x.cn/verify/aq2026?from=pdf')).toEqual({ kind: 'number', number: 'AQ2026' });
  });

  it('builds the page address', () => {
    expect(verifyPath({ kind: 'number', number: 'AQ1' })).toBe('/verify/AQ1');
    expect(verifyPath({ kind: 'qr', qrPayload: 'RS1:a+b' })).toBe('/verify?qr=RS1%3Aa%2Bb');
    expect(verifyPath({ kind: 'empty' })).toBe('/verify');
  });
});

describe('verdicts', () => {
  it('only VALID is good; revoked, tampered and unknown fail', () => {
    expect(verificationTone('VALID')).toBe('success');
    expect(verificationTone('EXPIRED')).toBe('warning');
    expect(verificationTone('SUPERSEDED')).toBe('warning');
    expect(verificationTone('REVOKED')).toBe('error');
    expect(verificationTone('TAMPERED')).toBe('error');
    expect(verificationTone('UNKNOWN')).toBe('info');
  });

  it('labels every status in Chinese', () => {
    expect(VERIFICATION_STATUS_LABELS.REVOKED).toBe('已撤销');
    expect(VERIFICATION_STATUS_LABELS.VALID).toBe('有效');
    expect(CERTIFICATE_STATUS_LABELS.SUPERSEDED).toBe('已被取代');
    expect(CERTIFICATE_STATUS_COLORS.ACTIVE).toBe('success');
    expect(CERTIFICATE_STATUS_COLORS.REVOKED).toBe('error');
  });

  it('shows an unchecked proof as not checked, never as passed', () => {
    expect(checkState(true)).toBe('pass');
    expect(checkState(false)).toBe('fail');
    expect(checkState(null)).toBe('pending');
    expect(checkState(undefined)).toBe('pending');
  });

  it('shortens hashes in the middle', () => {
    expect(shortHash('abcdefghijklmnopqrstuvwxyz', 4)).toBe('abcd…wxyz');
    expect(shortHash('abc', 4)).toBe('abc');
    expect(shortHash(null)).toBe('');
  });
});

describe('formatChineseDay', () => {
  it('writes the calendar day in Chinese', () => {
    expect(formatChineseDay('2026-11-30T03:00:00+08:00')).toMatch(/^2026年11月(29|30)日$/);
    expect(formatChineseDay(null)).toBe('');
  });
});
