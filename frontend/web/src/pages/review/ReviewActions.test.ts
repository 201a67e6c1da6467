import { describe, expect, it } from 'vitest';
import { reviewErrorTexts, reviewStageOf } from './ReviewActions';

describe('reviewStageOf', () => {
  it('maps statuses to the stage a reviewer acts at', () => {
    expect(reviewStageOf('SUBMITTED')).toBe('PRELIMINARY');
    expect(reviewStageOf('PRELIMINARY_REVIEW')).toBe('PRELIMINARY');
    expect(reviewStageOf('FINAL_REVIEW')).toBe('FINAL');
    expect(reviewStageOf('APPROVED')).toBeNull();
  });
});

describe('reviewErrorTexts', () => {
  it('says the case was handled by someone else on STALE_VERSION', () => {
    expect(reviewErrorTexts([{ code: 'STALE_VERSION', message: 'stale', field: null }])).toEqual([
      '申请已被他人处理，请刷新',
    ]);
  });

  it('falls back to the server message and a generic text', () => {
    expect(reviewErrorTexts([{ code: 'NOT_ASSIGNED', message: '未领取该申请' }])).toEqual(['未领取该申请']);
    expect(reviewErrorTexts([])).toEqual(['操作失败，请稍后再试']);
  });
});
