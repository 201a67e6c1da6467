import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useClient, useMutation } from 'urql';
import type { CombinedError } from 'urql';
import { Alert, App, Button, Card, Checkbox, Flex, Radio, Result, Space, Spin, Statistic, Tag, Typography } from 'antd';
import { CheckCircleTwoTone, CloseCircleTwoTone, ClockCircleOutlined } from '@ant-design/icons';
import { ExamAnswerDocument, ExamAttemptDocument, ExamSubmitDocument } from '../../gql/graphql';
import type { ExamAttemptQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import '../../education/education.css';
import { describeError, errorMessage } from '../../api/errorMessages';
import { ATTEMPT_STATUS_LABELS, QUESTION_KIND_LABELS } from '../../education/labels';
import { answerLetters, formatClock, optionLetter, toggleChoice } from '../../education/helpers';

type AttemptNode = Exclude<NonNullable<ExamAttemptQuery['node']>, Record<PropertyKey, never>>;
type Question = AttemptNode['questions'][number];

/** Errors a candidate must see: the paper is closed. */
const CLOSED_CODES = new Set(['TIME_UP', 'ALREADY_SUBMITTED']);

/** 考试: answer (autosaved), the countdown by the server's clock, 交卷, and the result. */
export function ExamPage() {
  const { attemptId = '' } = useParams();
  const [search] = useSearchParams();
  const enrolmentId = search.get('enrolment');
  const client = useClient();
  const [loaded, setLoaded] = useState<{ data?: ExamAttemptQuery; error?: CombinedError; at: number } | null>(null);

  // One-shot reads (see CoursePlayerPage): answers are local state, saved as they change.
  const load = useCallback(async () => {
    const result = await client
      .query(ExamAttemptDocument, { id: attemptId }, { requestPolicy: 'network-only' })
      .toPromise();
    setLoaded({ data: result.data, error: result.error, at: Date.now() });
  }, [client, attemptId]);

  useEffect(() => {
    void load();
  }, [load]);

  const attempt = loaded?.data?.node && 'questions' in loaded.data.node ? (loaded.data.node as AttemptNode) : null;
  const backLink = enrolmentId ? (
    <Link to={`/learning/${encodeURIComponent(enrolmentId)}`}>返回课程</Link>
  ) : (
    <Link to="/learning">返回我的课程</Link>
  );

  if (loaded?.error) {
    return (
      <PageContainer title="课程考试" extra={backLink}>
        <Alert type="error" showIcon title={describeError(loaded.error)} />
      </PageContainer>
    );
  }
  if (!loaded) {
    return (
      <PageContainer title="课程考试">
        <Flex justify="center" className="page-loading">
          <Spin description="加载中…" />
        </Flex>
      </PageContainer>
    );
  }
  if (!attempt) {
    return (
      <PageContainer title="课程考试">
        <Result status="404" title="考试记录不存在" extra={backLink} />
      </PageContainer>
    );
  }
  if (attempt.status !== 'IN_PROGRESS') {
    return <ExamResult attempt={attempt} backLink={backLink} />;
  }
  return (
    <ExamPaper
      key={`${attempt.id}:${loaded.at}`}
      attempt={attempt}
      loadedAt={loaded.at}
      backLink={backLink}
      onClosed={(next) => {
        if (next) setLoaded({ data: { node: next }, at: Date.now() });
        else void load();
      }}
    />
  );
}

function ExamPaper({
  attempt,
  loadedAt,
  backLink,
  onClosed,
}: {
  attempt: AttemptNode;
  loadedAt: number;
  backLink: React.ReactNode;
  onClosed: (submitted: AttemptNode | null) => void;
}) {
  const { message, modal } = App.useApp();
  const [answers, setAnswers] = useState<Record<string, number[]>>(() =>
    Object.fromEntries(attempt.questions.map((q) => [q.id, q.chosen])),
  );
  const answersRef = useRef(answers);
  answersRef.current = answers;
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const [closedText, setClosedText] = useState<string | null>(null);
  // The countdown runs from the server's secondsLeft, so the local clock's offset is irrelevant.
  const deadline = useRef(loadedAt + attempt.secondsLeft * 1000);
  const [secondsLeft, setSecondsLeft] = useState(attempt.secondsLeft);
  const submitted = useRef(false);
  const [, answer] = useMutation(ExamAnswerDocument);
  const [{ fetching: submitting }, submit] = useMutation(ExamSubmitDocument);

  const doSubmit = useCallback(
    async (auto: boolean) => {
      if (submitted.current) return;
      submitted.current = true;
      const payloadAnswers = Object.entries(answersRef.current).map(([questionId, choices]) => ({ questionId, choices }));
      const result = await submit({ attemptId: attempt.id, answers: payloadAnswers });
      if (result.error) {
        submitted.current = false;
        message.error(describeError(result.error));
        return;
      }
      const payload = result.data?.examSubmit;
      if (payload?.attempt) {
        message.success(auto ? '考试时间到，已自动交卷' : '已交卷');
        onClosed(payload.attempt);
        return;
      }
      const errors = payload?.errors ?? [];
      const text = errors.map((e) => errorMessage(e.code, e.message)).join('；');
      if (errors.some((e) => CLOSED_CODES.has(e.code))) {
        setClosedText(text);
        // The server graded or closed it: show what it holds.
        window.setTimeout(() => onClosed(null), 1500);
        return;
      }
      submitted.current = false;
      message.error(text || '交卷失败');
    },
    [attempt.id, submit, message, onClosed],
  );

  useEffect(() => {
    const timer = window.setInterval(() => {
      const left = Math.max(0, Math.round((deadline.current - Date.now()) / 1000));
      setSecondsLeft(left);
      if (left <= 0) {
        window.clearInterval(timer);
        void doSubmit(true);
      }
    }, 1000);
    return () => window.clearInterval(timer);
  }, [doSubmit]);

  const change = async (question: Question, choices: number[]) => {
    setAnswers((prev) => ({ ...prev, [question.id]: choices }));
    setSaveState('saving');
    const result = await answer({ attemptId: attempt.id, answers: [{ questionId: question.id, choices }] });
    if (result.error) {
      setSaveState('failed');
      return;
    }
    const errors = result.data?.examAnswer.errors ?? [];
    if (errors.length) {
      setSaveState('failed');
      const text = errors.map((e) => errorMessage(e.code, e.message)).join('；');
      if (errors.some((e) => CLOSED_CODES.has(e.code))) setClosedText(text);
      else message.error(text);
      return;
    }
    setSaveState('saved');
  };

  const answered = attempt.questions.filter((q) => (answers[q.id] ?? []).length > 0).length;
  const confirmSubmit = () => {
    const unanswered = attempt.questions.length - answered;
    modal.confirm({
      title: '确认交卷？',
      content: unanswered > 0 ? `还有 ${unanswered} 题未作答，交卷后不能再修改。` : '交卷后不能再修改答案。',
      okText: '确定交卷',
      cancelText: '继续答题',
      onOk: () => doSubmit(false),
    });
  };

  return (
    <PageContainer
      title={`课程考试（第${attempt.attemptNo}次）`}
      description="答案选择后自动保存；倒计时以服务器时间为准，到时自动交卷。"
      extra={backLink}
    >
      <Space orientation="vertical" size="large" className="full-width">
        <Card size="small" className="exam-bar">
          <Flex justify="space-between" align="center" gap={16} wrap>
            <Statistic
              title="剩余时间"
              value={formatClock(secondsLeft)}
              prefix={<ClockCircleOutlined />}
              valueStyle={{ color: secondsLeft <= 60 ? '#cf1322' : undefined }}
              aria-live="off"
            />
            <Typography.Text>
              已答 {answered} / {attempt.questions.length} 题
            </Typography.Text>
            <Typography.Text type={saveState === 'failed' ? 'danger' : 'secondary'} role="status">
              {saveState === 'saving' ? '正在保存…' : saveState === 'saved' ? '答案已自动保存' : saveState === 'failed' ? '保存失败' : ''}
            </Typography.Text>
            <Button type="primary" onClick={confirmSubmit} loading={submitting} disabled={Boolean(closedText)}>
              交卷
            </Button>
          </Flex>
        </Card>
        {closedText ? <Alert type="error" showIcon title={closedText} /> : null}
        {attempt.questions.map((q) => (
          <Card
            key={q.id}
            size="small"
            title={
              <Space>
                <span>第{q.number}题</span>
                <Tag>{QUESTION_KIND_LABELS[q.kind]}</Tag>
                <Typography.Text type="secondary">{q.points}分</Typography.Text>
              </Space>
            }
          >
            <fieldset className="exam-question" aria-labelledby={`q-${q.number}-stem`}>
              <Typography.Paragraph id={`q-${q.number}-stem`}>{q.stem}</Typography.Paragraph>
              {q.kind === 'MULTIPLE' ? (
                <Checkbox.Group
                  value={answers[q.id] ?? []}
                  disabled={Boolean(closedText)}
                  onChange={(values) => void change(q, [...(values as number[])].sort((a, b) => a - b))}
                >
                  <Space orientation="vertical">
                    {q.options.map((text, i) => (
                      <Checkbox key={i} value={i}>
                        {optionLetter(i)}. {text}
                      </Checkbox>
                    ))}
                  </Space>
                </Checkbox.Group>
              ) : (
                <Radio.Group
                  value={(answers[q.id] ?? [])[0]}
                  disabled={Boolean(closedText)}
                  onChange={(e) => void change(q, toggleChoice(q.kind, answers[q.id] ?? [], e.target.value as number))}
                >
                  <Space orientation="vertical">
                    {q.options.map((text, i) => (
                      <Radio key={i} value={i}>
                        {q.kind === 'TRUE_FALSE' ? text : `${optionLetter(i)}. ${text}`}
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              )}
            </fieldset>
          </Card>
        ))}
      </Space>
    </PageContainer>
  );
}

function ExamResult({ attempt, backLink }: { attempt: AttemptNode; backLink: React.ReactNode }) {
  const letters = (q: Question, answer: readonly number[] | null | undefined) =>
    q.kind === 'TRUE_FALSE' ? (answer ?? []).map((i) => q.options[i]).join('、') : answerLetters(answer);
  return (
    <PageContainer title={`考试结果（第${attempt.attemptNo}次）`}>
      <Space orientation="vertical" size="large" className="full-width">
        <Result
          status={attempt.passed ? 'success' : 'warning'}
          title={attempt.passed ? '考试通过' : '考试未通过'}
          subTitle={
            <span data-testid="exam-score">
              得分 {attempt.score ?? 0} / {attempt.maxScore ?? 0}（{ATTEMPT_STATUS_LABELS[attempt.status]}）
            </span>
          }
          extra={
            <Space wrap>
              <Link to="/hours">
                <Button type="primary">查看我的学时</Button>
              </Link>
              {backLink}
            </Space>
          }
        />
        {attempt.questions.map((q) => (
          <Card
            key={q.id}
            size="small"
            title={
              <Space>
                {q.correct ? (
                  <CheckCircleTwoTone twoToneColor="#52c41a" aria-label="答对" />
                ) : (
                  <CloseCircleTwoTone twoToneColor="#ff4d4f" aria-label="答错" />
                )}
                <span>第{q.number}题</span>
                <Tag>{QUESTION_KIND_LABELS[q.kind]}</Tag>
                <Typography.Text type="secondary">{q.points}分</Typography.Text>
              </Space>
            }
          >
            <Typography.Paragraph>{q.stem}</Typography.Paragraph>
            <ul className="exam-options">
              {q.options.map((text, i) => (
                <li key={i}>
                  {q.kind === 'TRUE_FALSE' ? text : `${optionLetter(i)}. ${text}`}
                </li>
              ))}
            </ul>
            <Space orientation="vertical" size={0}>
              <Typography.Text>你的答案：{letters(q, q.chosen) || '未作答'}</Typography.Text>
              <Typography.Text type={q.correct ? 'success' : 'danger'}>
                正确答案：{letters(q, q.answer)}（{q.correct ? '答对' : '答错'}）
              </Typography.Text>
            </Space>
          </Card>
        ))}
      </Space>
    </PageContainer>
  );
}
