import { describe, expect, it } from 'vitest';
import {
  applicationStep,
  byUrgency,
  currentApplication,
  expiryStep,
  hoursStep,
  minusDays,
  reviewCasePath,
  shanghaiDateTime,
  staffNeedingAttention,
} from './home';
import type { ApplicationLike } from './home';
import type { StaffRow } from '../employer/staff';

const app = (over: Partial<ApplicationLike> & Pick<ApplicationLike, 'id' | 'status'>): ApplicationLike => ({
  missingDocuments: [],
  returnItems: [],
  dueAt: null,
  createdAt: null,
  ...over,
});

describe('currentApplication', () => {
  it('takes the newest open application, else the newest one, else null', () => {
    const old = app({ id: 'a', status: 'DRAFT', createdAt: '2026-01-01T00:00:00Z' });
    const decided = app({ id: 'b', status: 'APPROVED', createdAt: '2026-06-01T00:00:00Z' });
    const open = app({ id: 'c', status: 'FINAL_REVIEW', createdAt: '2026-03-01T00:00:00Z' });
    expect(currentApplication([old, open, decided])?.id).toBe('c');
    expect(currentApplication([decided])?.id).toBe('b');
    expect(currentApplication([])).toBeNull();
    // Without creation times, the list order (oldest first) decides.
    expect(currentApplication([app({ id: 'x', status: 'DRAFT' }), app({ id: 'y', status: 'DRAFT' })])?.id).toBe('y');
  });
});

describe('applicationStep', () => {
  it('asks for the missing documents of a draft, by their names', () => {
    const step = applicationStep(app({ id: 'QXBwOjE=', status: 'DRAFT', missingDocuments: ['ID_CARD', 'DIPLOMA'] }));
    expect(step.title).toBe('草稿：请上传缺少的材料');
    expect(step.detail).toBe('尚缺 2 项：身份证、学历证书。');
    expect(step.link).toEqual({ to: '/applications/QXBwOjE%3D', label: '上传材料' });
    expect(step.tone).toBe('warning');
  });

  it('asks to submit a complete draft', () => {
    expect(applicationStep(app({ id: '1', status: 'DRAFT' })).title).toBe('草稿：材料已齐，请核对后提交');
  });

  it('lists the items of a return', () => {
    const step = applicationStep(app({ id: '1', status: 'RETURNED_FOR_CORRECTION', returnItems: ['身份证模糊', '合同缺页'] }));
    expect(step.tone).toBe('error');
    expect(step.title).toBe('退回补正：请按退回事项补正后重新提交');
    expect(step.detail).toBe('补正事项：身份证模糊；合同缺页');
    expect(step.link?.label).toBe('补正材料');
  });

  it('says to wait during review, with the statutory deadline in Asia/Shanghai', () => {
    const step = applicationStep(app({ id: '1', status: 'PRELIMINARY_REVIEW', dueAt: '2026-12-07T10:00:00Z' }));
    expect(step.title).toBe('初审中：等待初审');
    expect(step.detail).toBe('无需操作，审核结果将通知您，法定办结时限2026年12月7日 18:00。');
    expect(applicationStep(app({ id: '1', status: 'FINAL_REVIEW' })).title).toBe('终审中：等待终审');
  });

  it('names a decided application by its label and offers a new one without any', () => {
    expect(applicationStep(app({ id: '1', status: 'APPROVED' })).title).toBe('最近一次申请：准予注册');
    expect(applicationStep(app({ id: '1', status: 'REJECTED' })).title).toBe('最近一次申请：不予注册');
    expect(applicationStep(null)).toMatchObject({ title: '暂无注册申请', link: { to: '/applications' } });
  });
});

describe('hoursStep', () => {
  const req = { cycleEnd: '2027-06-30', required: 24, counted: 16, shortfall: 8, met: false, outlook: 'ON_TRACK' as const };

  it('states the shortfall and the days left of the cycle', () => {
    const step = hoursStep(req, 0, '2026-12-04');
    expect(step.title).toBe('学时尚差 8 学时');
    expect(step.detail).toBe('须在2027年6月30日前完成（剩 208 天）；已计入 16/24 学时。');
    expect(step.tone).toBe('warning');
    expect(step.link).toEqual({ to: '/courses', label: '选课学习' });
  });

  it('is urgent within 90 days of the cycle end and after it', () => {
    expect(hoursStep(req, 0, '2027-05-01').tone).toBe('error');
    expect(hoursStep(req, 0, '2027-07-01').detail).toContain('统计期间已于2027年6月30日结束');
  });

  it('is met, or has no cycle; pending self-reports are mentioned', () => {
    expect(hoursStep({ ...req, met: true, shortfall: 0, counted: 24 }, 2, '2026-12-04')).toMatchObject({
      tone: 'success',
      title: '本周期学时已达标',
      detail: '已计入 24/24 学时。另有 2 条个人申报待审核。',
    });
    expect(hoursStep(null, 0, '2026-12-04').title).toBe('暂无继续教育统计周期');
  });
});

describe('expiryStep', () => {
  const reg = { status: 'ACTIVE' as const, validUntil: '2028-03-01', number: '4400012025000001' };

  it('says when renewal opens, a year before expiry', () => {
    expect(minusDays('2028-03-01', 365)).toBe('2027-03-02');
    const step = expiryStep(reg, [], '2026-12-04');
    expect(step.tone).toBe('success');
    expect(step.title).toBe('注册证书 4400012025000001有效');
    expect(step.detail).toBe('有效期至2028年3月1日（剩 453 天）；延续注册自2027年3月2日起可申请。');
  });

  it('is in the renewal window from then, urgent within 90 days, expired after', () => {
    expect(expiryStep(reg, [], '2027-06-01')).toMatchObject({ tone: 'warning', title: '注册证书 4400012025000001还有 274 天到期' });
    expect(expiryStep(reg, [], '2028-01-01')).toMatchObject({ tone: 'error', link: { to: '/applications', label: '申请延续注册' } });
    expect(expiryStep(reg, [], '2028-03-02')).toMatchObject({ tone: 'error', title: '注册证书 4400012025000001已过期' });
  });

  it('falls back to the active certificate, else says there is none', () => {
    const cert = { number: 'C-1', status: 'ACTIVE' as const, validUntil: '2028-03-01' };
    expect(expiryStep(null, [{ ...cert, status: 'REVOKED', number: 'C-0' }, cert], '2026-12-04').title).toBe('注册证书 C-1有效');
    expect(expiryStep(null, [], '2026-12-04').title).toBe('暂无有效注册证书');
  });
});

describe('reviewer helpers', () => {
  it('orders breached, then due soon, then by deadline', () => {
    const cases = [
      { id: 'a', deadlineStatus: 'ON_TIME' as const, dueAt: '2026-12-01T00:00:00Z' },
      { id: 'b', deadlineStatus: 'DUE_SOON' as const, dueAt: '2026-12-09T00:00:00Z' },
      { id: 'c', deadlineStatus: 'BREACHED' as const, dueAt: '2026-12-02T00:00:00Z' },
      { id: 'd', deadlineStatus: 'DUE_SOON' as const, dueAt: '2026-12-05T00:00:00Z' },
      { id: 'e', deadlineStatus: null, dueAt: null },
    ];
    expect(byUrgency(cases).map((c) => c.id)).toEqual(['c', 'd', 'b', 'a', 'e']);
    expect(reviewCasePath('QXBwOjE=')).toBe('/review/applications/QXBwOjE%3D');
    expect(shanghaiDateTime('2026-12-31T16:30:00Z')).toBe('2027年1月1日 00:30');
    expect(shanghaiDateTime(null)).toBe('');
  });
});

describe('staffNeedingAttention', () => {
  const base = { idNumberMasked: '440305********1358' };
  const fine: StaffRow = {
    ...base,
    id: '1',
    name: '张三',
    registration: { status: 'ACTIVE', validUntil: '2029-01-01' },
    currentCertificate: { number: 'C-1', validUntil: '2029-01-01' },
    hours: { required: 24, counted: 24, shortfall: 0, met: true, outlook: 'MET', cycleEnd: '2027-12-31' },
  };
  it('lists staff short of hours or expiring within 90 days, the worst first', () => {
    const short: StaffRow = { ...fine, id: '2', name: '李四', hours: { ...fine.hours!, counted: 10, shortfall: 14, met: false, outlook: 'AT_RISK' } };
    const expiring: StaffRow = {
      ...fine,
      id: '3',
      name: '王五',
      registration: { status: 'ACTIVE', validUntil: '2027-01-15' },
      currentCertificate: { number: 'C-3', validUntil: '2027-01-20' },
    };
    const sameDay: StaffRow = { ...expiring, id: '5', name: '孙七', currentCertificate: { number: 'C-5', validUntil: '2027-01-15' } };
    const unregistered: StaffRow = { ...base, id: '4', name: '赵六', registration: null, currentCertificate: null, hours: null };
    const got = staffNeedingAttention([fine, expiring, short, unregistered, sameDay], '2026-12-04');
    expect(got.map((a) => a.row.name)).toEqual(['李四', '孙七', '王五']);
    expect(got[0]!.reasons.map((r) => r.label)).toEqual(['差 14 学时']);
    expect(got[2]!.reasons.map((r) => r.label)).toEqual(['注册即将到期', '证书C-3即将到期']);
    // A certificate ending with the flagged registration is not said twice.
    expect(got[1]!.reasons.map((r) => r.label)).toEqual(['注册即将到期']);
  });
});
