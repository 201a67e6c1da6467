/**
 * The trainer's course editor: form values ↔ the API's CourseInput and QuestionInput
 * (unit-tested in courseForm.test.ts).
 */
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { CourseInput, QuestionInput, QuestionKind, Specialty, SubjectKind, UnitKind } from '../gql/graphql';

export interface UnitValues {
  title: string;
  kind: UnitKind;
  durationSeconds: number;
  startsAt?: Dayjs | null;
}

export interface CourseValues {
  code: string;
  title: string;
  description?: string;
  subjectKind: SubjectKind;
  specialty?: Specialty | null;
  hours: number;
  opensOn: Dayjs;
  closesOn: Dayjs;
  capacity?: number | null;
  units: UnitValues[];
  examQuestionCount: number;
  examMinutes: number;
  examMaxAttempts: number;
  passMark: number;
}

export interface QuestionValues {
  kind: QuestionKind;
  stem: string;
  /** One option per line (ignored for TRUE_FALSE). */
  options?: string;
  answer: number[];
  points: number;
}

export interface CourseSource {
  code: string;
  title: string;
  description: string;
  subjectKind: SubjectKind;
  specialty?: Specialty | null;
  hours: number;
  opensOn: string;
  closesOn: string;
  capacity?: number | null;
  examQuestionCount: number;
  examMinutes: number;
  examMaxAttempts: number;
  passMark: number;
  units: readonly { title: string; kind: UnitKind; durationSeconds: number; startsAt?: string | null }[];
}

export function courseInput(values: CourseValues): CourseInput {
  return {
    code: values.code.trim(),
    title: values.title.trim(),
    description: values.description ?? '',
    subjectKind: values.subjectKind,
    specialty: values.specialty ?? null,
    hours: values.hours,
    opensOn: values.opensOn.format('YYYY-MM-DD'),
    closesOn: values.closesOn.format('YYYY-MM-DD'),
    capacity: values.capacity ?? null,
    units: (values.units ?? []).map((u) => ({
      title: u.title.trim(),
      kind: u.kind,
      durationSeconds: Math.round(u.durationSeconds),
      startsAt: u.kind === 'LIVE' && u.startsAt ? u.startsAt.toISOString() : null,
    })),
    examQuestionCount: values.examQuestionCount ?? 0,
    examMinutes: values.examMinutes ?? 30,
    examMaxAttempts: values.examMaxAttempts ?? 3,
    passMark: values.passMark ?? 60,
  };
}

export function courseValues(course: CourseSource): CourseValues {
  return {
    code: course.code,
    title: course.title,
    description: course.description,
    subjectKind: course.subjectKind,
    specialty: course.specialty ?? null,
    hours: course.hours,
    opensOn: dayjs(course.opensOn),
    closesOn: dayjs(course.closesOn),
    capacity: course.capacity ?? null,
    units: course.units.map((u) => ({
      title: u.title,
      kind: u.kind,
      durationSeconds: u.durationSeconds,
      startsAt: u.startsAt ? dayjs(u.startsAt) : null,
    })),
    examQuestionCount: course.examQuestionCount,
    examMinutes: course.examMinutes,
    examMaxAttempts: course.examMaxAttempts,
    passMark: course.passMark,
  };
}

/** Options as typed, one per line, blanks dropped. */
export function splitOptions(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export function questionInputs(values: readonly QuestionValues[]): QuestionInput[] {
  return values.map((q) => ({
    kind: q.kind,
    stem: q.stem.trim(),
    options: q.kind === 'TRUE_FALSE' ? [] : splitOptions(q.options),
    answer: [...(q.answer ?? [])].sort((a, b) => a - b),
    points: q.points ?? 1,
  }));
}

export function questionValues(
  bank: readonly { kind: QuestionKind; stem: string; options: readonly string[]; answer: readonly number[]; points: number }[],
): QuestionValues[] {
  return bank.map((q) => ({
    kind: q.kind,
    stem: q.stem,
    options: q.kind === 'TRUE_FALSE' ? '' : q.options.join('\n'),
    answer: [...q.answer],
    points: q.points,
  }));
}

/** The choices a question's answer may name: letters for options, 正确/错误 for true/false. */
export function answerOptions(kind: QuestionKind, optionsText: string | undefined): { value: number; label: string }[] {
  if (kind === 'TRUE_FALSE') {
    return [
      { value: 0, label: '正确' },
      { value: 1, label: '错误' },
    ];
  }
  return splitOptions(optionsText).map((text, i) => ({ value: i, label: `${String.fromCharCode(65 + i)}. ${text}` }));
}
