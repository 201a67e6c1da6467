import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { answerOptions, courseInput, courseValues, questionInputs, questionValues, splitOptions } from './courseForm';

describe('course form', () => {
  it('turns form values into CourseInput (dates, trimmed text, live start only for live units)', () => {
    const input = courseInput({
      code: ' TY-1 ',
      title: ' 体验课 ',
      subjectKind: 'GENERAL',
      hours: 2,
      opensOn: dayjs('2026-11-01'),
      closesOn: dayjs('2027-10-31'),
      units: [
        { title: '第一讲', kind: 'VIDEO', durationSeconds: 60, startsAt: dayjs('2026-12-01T10:00:00Z') },
        { title: '直播', kind: 'LIVE', durationSeconds: 3600, startsAt: dayjs('2026-12-01T10:00:00Z') },
      ],
      examQuestionCount: 3,
      examMinutes: 10,
      examMaxAttempts: 3,
      passMark: 60,
    });
    expect(input).toMatchObject({
      code: 'TY-1',
      title: '体验课',
      description: '',
      specialty: null,
      capacity: null,
      opensOn: '2026-11-01',
      closesOn: '2027-10-31',
    });
    expect(input.units).toEqual([
      { title: '第一讲', kind: 'VIDEO', durationSeconds: 60, startsAt: null },
      { title: '直播', kind: 'LIVE', durationSeconds: 3600, startsAt: '2026-12-01T10:00:00.000Z' },
    ]);
  });

  it('round-trips a stored course', () => {
    const values = courseValues({
      code: 'A',
      title: 'B',
      description: 'C',
      subjectKind: 'PROFESSIONAL',
      specialty: 'CHEMICAL',
      hours: 8,
      opensOn: '2026-01-01',
      closesOn: '2026-12-31',
      capacity: 200,
      examQuestionCount: 0,
      examMinutes: 30,
      examMaxAttempts: 3,
      passMark: 60,
      units: [{ title: 'U', kind: 'DOCUMENT', durationSeconds: 1800, startsAt: null }],
    });
    expect(courseInput(values)).toMatchObject({ specialty: 'CHEMICAL', capacity: 200, opensOn: '2026-01-01', hours: 8 });
  });
});

describe('question bank', () => {
  it('splits options per line and sorts answers; true/false sends no options', () => {
    expect(splitOptions('甲\n\n 乙 \r\n丙')).toEqual(['甲', '乙', '丙']);
    expect(
      questionInputs([
        { kind: 'MULTIPLE', stem: ' 选 ', options: '甲\n乙\n丙', answer: [2, 0], points: 2 },
        { kind: 'TRUE_FALSE', stem: '对吗', options: 'x', answer: [1], points: 1 },
      ]),
    ).toEqual([
      { kind: 'MULTIPLE', stem: '选', options: ['甲', '乙', '丙'], answer: [0, 2], points: 2 },
      { kind: 'TRUE_FALSE', stem: '对吗', options: [], answer: [1], points: 1 },
    ]);
  });

  it('reads the stored bank back and offers the answer choices', () => {
    expect(questionValues([{ kind: 'SINGLE', stem: 'S', options: ['a', 'b'], answer: [1], points: 1 }])).toEqual([
      { kind: 'SINGLE', stem: 'S', options: 'a\nb', answer: [1], points: 1 },
    ]);
    expect(answerOptions('TRUE_FALSE', undefined).map((o) => o.label)).toEqual(['正确', '错误']);
    expect(answerOptions('SINGLE', 'a\nb')).toEqual([
      { value: 0, label: 'A. a' },
      { value: 1, label: 'B. b' },
    ]);
  });
});
