import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useClient, useMutation } from 'urql';
import type { CombinedError } from 'urql';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Progress,
  Result,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import {
  CheckCircleTwoTone,
  LockOutlined,
  PauseCircleOutlined,
  PlayCircleOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { ExamStartDocument, LearningEnrolmentDocument, LearningHeartbeatDocument } from '../../gql/graphql';
import type { LearningEnrolmentQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import '../../education/education.css';
import { describeError, errorMessage } from '../../api/errorMessages';
import { formatDateTime } from '../../registration/helpers';
import { ATTEMPT_STATUS_LABELS, SUBJECT_KIND_LABELS, UNIT_KIND_LABELS } from '../../education/labels';
import {
  createSequence,
  firstOpenUnit,
  formatClock,
  formatDuration,
  formatHours,
  unitUnlocked,
} from '../../education/helpers';

type EnrolmentNode = Exclude<NonNullable<LearningEnrolmentQuery['node']>, Record<PropertyKey, never>>;
type Unit = EnrolmentNode['course']['units'][number];
type Policy = LearningEnrolmentQuery['learningPolicy'];
type Attempt = EnrolmentNode['attempts'][number];

interface UnitState {
  coveredSeconds: number;
  positionSeconds: number;
  completed: boolean;
  byAttendance: boolean;
}

interface EnrolmentState {
  status: EnrolmentNode['status'];
  percent: number;
  unitsCompletedAt: string | null | undefined;
  completedAt: string | null | undefined;
}

/** Beats that change nothing but are expected now and then: keep beating. */
const SILENT_CODES = new Set(['TOO_FAST', 'OUT_OF_ORDER']);

/** 课程学习: the course player for one enrolment. */
export function CoursePlayerPage() {
  const { enrolmentId = '' } = useParams();
  const client = useClient();
  // Read once, not as a live query: every heartbeat returns an Enrolment, and the document
  // cache would refetch a live query after each one (new presigned material URLs would
  // restart the video). The player keeps its own state from the heartbeat payloads.
  const [loaded, setLoaded] = useState<{ id: string; data?: LearningEnrolmentQuery; error?: CombinedError } | null>(null);
  useEffect(() => {
    let alive = true;
    void client
      .query(LearningEnrolmentDocument, { id: enrolmentId }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        if (alive) setLoaded({ id: enrolmentId, data: result.data, error: result.error });
      });
    return () => {
      alive = false;
    };
  }, [client, enrolmentId]);
  const data = loaded?.id === enrolmentId ? loaded.data : undefined;
  const error = loaded?.id === enrolmentId ? loaded.error : undefined;
  const fetching = loaded?.id !== enrolmentId;
  const enrolment = data?.node && 'course' in data.node ? (data.node as EnrolmentNode) : null;

  if (error) {
    return (
      <PageContainer title="课程学习">
        <Alert type="error" showIcon title={describeError(error)} />
      </PageContainer>
    );
  }
  if (fetching || !data) {
    return (
      <PageContainer title="课程学习">
        <Flex justify="center" className="page-loading">
          <Spin description="加载中…" />
        </Flex>
      </PageContainer>
    );
  }
  if (!enrolment) {
    return (
      <PageContainer title="课程学习">
        <Result status="404" title="报名记录不存在" extra={<Link to="/learning">返回我的课程</Link>} />
      </PageContainer>
    );
  }
  return <Player key={enrolment.id} enrolment={enrolment} policy={data.learningPolicy} />;
}

function initialUnits(enrolment: EnrolmentNode): Record<string, UnitState> {
  const out: Record<string, UnitState> = {};
  for (const p of enrolment.progress) {
    out[p.unit.id] = {
      coveredSeconds: p.coveredSeconds,
      positionSeconds: p.positionSeconds,
      completed: p.completed,
      byAttendance: p.byAttendance,
    };
  }
  return out;
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}

function Player({ enrolment, policy }: { enrolment: EnrolmentNode; policy: Policy }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const course = enrolment.course;
  const units = course.units;
  const [unitStates, setUnitStates] = useState<Record<string, UnitState>>(() => initialUnits(enrolment));
  const [state, setState] = useState<EnrolmentState>({
    status: enrolment.status,
    percent: enrolment.percent,
    unitsCompletedAt: enrolment.unitsCompletedAt,
    completedAt: enrolment.completedAt,
  });
  const completedIds = useMemo(
    () => new Set(Object.entries(unitStates).filter(([, s]) => s.completed).map(([id]) => id)),
    [unitStates],
  );
  const [currentId, setCurrentId] = useState<string | null>(
    () => firstOpenUnit(units, completedIds)?.id ?? units[0]?.id ?? null,
  );
  const current = units.find((u) => u.id === currentId) ?? null;
  const [playing, setPlaying] = useState(false);
  const [fatal, setFatal] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const visible = usePageVisible();
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const sequence = useRef(createSequence());
  const inFlight = useRef(false);
  const startPosition = useRef(0);
  const elapsedRef = useRef(0);
  const [, heartbeat] = useMutation(LearningHeartbeatDocument);
  const [{ fetching: starting }, examStart] = useMutation(ExamStartDocument);

  const currentDone = current ? Boolean(unitStates[current.id]?.completed) : true;
  const beating = playing && visible && !fatal && current !== null && current.kind !== 'LIVE' && !currentDone;
  const intervalMs = Math.max(1, policy.heartbeatIntervalSeconds) * 1000;

  // A new unit: the local clock restarts from its saved position.
  useEffect(() => {
    startPosition.current = current ? (unitStates[current.id]?.positionSeconds ?? 0) : 0;
    elapsedRef.current = 0;
    setElapsed(0);
    // Only when the unit changes: its saved position is read once.
  }, [currentId]);

  // The running timer of the placeholder player.
  useEffect(() => {
    if (!beating) return undefined;
    const timer = window.setInterval(() => {
      elapsedRef.current += 1;
      setElapsed(elapsedRef.current);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [beating]);

  const position = useCallback((): number => {
    const video = videoRef.current;
    if (video && !Number.isNaN(video.currentTime)) return Math.floor(video.currentTime);
    return startPosition.current + elapsedRef.current;
  }, []);

  // Read by the beat loop without restarting it on every beat.
  const completedRef = useRef(completedIds);
  completedRef.current = completedIds;
  const messageRef = useRef(message);
  messageRef.current = message;

  // Heartbeats while the unit plays in a visible tab: one at once, then every interval.
  useEffect(() => {
    if (!beating || !currentId) return undefined;
    const unitId = currentId;
    let stopped = false;
    const beat = async () => {
      if (inFlight.current) return;
      inFlight.current = true;
      const result = await heartbeat({
        enrolmentId: enrolment.id,
        unitId,
        sequence: sequence.current.next(),
        positionSeconds: Math.max(0, position()),
      });
      inFlight.current = false;
      if (result.error) {
        setWarning(`学习进度暂未保存：${describeError(result.error)}`);
        return;
      }
      const payload = result.data?.learningHeartbeat;
      if (!payload) return;
      const silent = payload.errors.filter((e) => SILENT_CODES.has(e.code));
      if (silent.some((e) => e.code === 'OUT_OF_ORDER')) sequence.current.skipAhead();
      const loud = payload.errors.filter((e) => !SILENT_CODES.has(e.code));
      if (loud.length) {
        setFatal(loud.map((e) => errorMessage(e.code, e.message)).join('；'));
        setPlaying(false);
        return;
      }
      if (payload.errors.length) return;
      setWarning(null);
      const p = payload.progress;
      if (p) {
        setUnitStates((prev) => ({
          ...prev,
          [p.unit.id]: {
            coveredSeconds: p.coveredSeconds,
            positionSeconds: p.positionSeconds,
            completed: p.completed,
            byAttendance: p.byAttendance,
          },
        }));
      }
      if (payload.enrolment) {
        const e = payload.enrolment;
        setState({
          status: e.status,
          percent: e.percent,
          unitsCompletedAt: e.unitsCompletedAt,
          completedAt: e.completedAt,
        });
      }
      if (p?.completed && !stopped) {
        const done = new Set(completedRef.current);
        done.add(p.unit.id);
        const next = firstOpenUnit(units, done);
        const title = units.find((u) => u.id === p.unit.id)?.title ?? '';
        messageRef.current.success(`已完成“${title}”`);
        if (next) {
          setCurrentId(next.id);
          // A video needs its own play; the placeholder keeps running.
          if (next.kind === 'VIDEO' && next.materialUrl) setPlaying(false);
        } else {
          setPlaying(false);
        }
      }
    };
    void beat();
    const timer = window.setInterval(() => void beat(), intervalMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [beating, currentId, enrolment.id, heartbeat, intervalMs, position, units]);

  const allUnitsDone = Boolean(state.unitsCompletedAt) || units.every((u) => completedIds.has(u.id));
  const completed = state.status === 'COMPLETED';
  const attempts: Attempt[] = enrolment.attempts;
  const openAttempt = attempts.find((a) => a.status === 'IN_PROGRESS');
  const passed = attempts.some((a) => a.passed);
  const attemptsLeft = course.examMaxAttempts - attempts.length;

  const startExam = async () => {
    const result = await examStart({ enrolmentId: enrolment.id });
    if (result.error) {
      message.error(describeError(result.error));
      return;
    }
    const payload = result.data?.examStart;
    if (payload?.attempt) {
      navigate(`/exams/${encodeURIComponent(payload.attempt.id)}?enrolment=${encodeURIComponent(enrolment.id)}`);
      return;
    }
    for (const e of payload?.errors ?? []) message.error(errorMessage(e.code, e.message));
  };

  const selectUnit = (unit: Unit) => {
    if (!unitUnlocked(units, unit.id, completedIds) && unit.kind !== 'LIVE') return;
    setPlaying(false);
    setFatal(null);
    setCurrentId(unit.id);
  };

  return (
    <PageContainer
      title={course.title}
      description={`${course.provider.name} · ${SUBJECT_KIND_LABELS[course.subjectKind]} · ${formatHours(course.hours)}学时 · 开放至${course.closesOn}`}
      extra={<Link to="/learning">返回我的课程</Link>}
    >
      <Space orientation="vertical" size="large" className="full-width">
        <Card size="small">
          <Flex align="center" gap={16} wrap>
            <Typography.Text strong id="overall-progress-label">
              总进度
            </Typography.Text>
            <Progress
              percent={state.percent}
              aria-labelledby="overall-progress-label"
              status={completed ? 'success' : 'active'}
              style={{ flex: 1, minWidth: 200, margin: 0 }}
              showInfo={false}
            />
            <Typography.Text data-testid="overall-percent">{state.percent}%</Typography.Text>
          </Flex>
        </Card>

        {completed ? (
          <Result
            status="success"
            title="已结业"
            subTitle={`已认定 ${formatHours(course.hours)} 学时（${SUBJECT_KIND_LABELS[course.subjectKind]}）${state.completedAt ? `，结业时间 ${formatDateTime(state.completedAt)}` : ''}`}
            extra={
              <Link to="/hours">
                <Button type="primary">查看我的学时</Button>
              </Link>
            }
          />
        ) : allUnitsDone && course.hasExam ? (
          <Card title="课程考试">
            <Space orientation="vertical" className="full-width">
              <Typography.Text>
                全部单元已学完。考试共 {course.examQuestionCount} 题，限时 {course.examMinutes} 分钟，{course.passMark}
                分及格，最多可考 {course.examMaxAttempts} 次（剩余 {Math.max(0, attemptsLeft)} 次）。
              </Typography.Text>
              <Button
                type="primary"
                onClick={() => void startExam()}
                loading={starting}
                disabled={passed || (!openAttempt && attemptsLeft <= 0)}
              >
                {openAttempt ? '继续考试' : '参加考试'}
              </Button>
            </Space>
          </Card>
        ) : null}

        <Row gutter={[16, 16]}>
          <Col xs={24} lg={8}>
            <Card title="课程单元" size="small">
              <ul className="unit-list" aria-label="课程单元">
                {units.map((unit) => {
                  const s = unitStates[unit.id];
                  const covered = Math.min(s?.coveredSeconds ?? 0, unit.durationSeconds);
                  const unlocked = unit.kind === 'LIVE' || unitUnlocked(units, unit.id, completedIds);
                  const isCurrent = unit.id === currentId;
                  return (
                    <li
                      key={unit.id}
                      className={isCurrent ? 'unit-item unit-item-current' : 'unit-item'}
                      aria-current={isCurrent ? 'step' : undefined}
                      data-testid={`unit-${unit.position}`}
                    >
                      <Space orientation="vertical" size={2} className="full-width">
                        <Flex justify="space-between" gap={8} align="center">
                          <Button
                            type="link"
                            className="unit-link"
                            disabled={!unlocked}
                            onClick={() => selectUnit(unit)}
                            icon={
                              s?.completed ? (
                                <CheckCircleTwoTone twoToneColor="#52c41a" />
                              ) : unlocked ? (
                                unit.kind === 'LIVE' ? (
                                  <VideoCameraOutlined />
                                ) : (
                                  <PlayCircleOutlined />
                                )
                              ) : (
                                <LockOutlined />
                              )
                            }
                          >
                            {unit.position}. {unit.title}
                          </Button>
                          <Tag>{UNIT_KIND_LABELS[unit.kind]}</Tag>
                        </Flex>
                        {unit.kind === 'LIVE' ? (
                          <Typography.Text type="secondary">
                            {s?.completed ? '已出勤' : `直播 ${formatDateTime(unit.startsAt)}`}
                          </Typography.Text>
                        ) : (
                          <Flex gap={8} align="center">
                            <Progress
                              percent={unit.durationSeconds ? Math.floor((covered / unit.durationSeconds) * 100) : 0}
                              size="small"
                              showInfo={false}
                              style={{ flex: 1, margin: 0 }}
                              aria-label={`${unit.title} 进度`}
                            />
                            <Typography.Text type="secondary" data-testid={`unit-${unit.position}-covered`}>
                              {formatClock(covered)} / {formatClock(unit.durationSeconds)}
                            </Typography.Text>
                          </Flex>
                        )}
                      </Space>
                    </li>
                  );
                })}
              </ul>
            </Card>
          </Col>
          <Col xs={24} lg={16}>
            <Card
              title={current ? `正在学习：${current.title}` : '课程单元'}
              size="small"
              extra={current ? <Tag>{UNIT_KIND_LABELS[current.kind]}</Tag> : null}
            >
              <Space orientation="vertical" className="full-width">
                {fatal ? <Alert type="error" showIcon title={fatal} /> : null}
                {warning ? <Alert type="warning" showIcon title={warning} /> : null}
                {!current ? (
                  <Empty description="本课程没有单元" />
                ) : current.kind === 'LIVE' ? (
                  <Descriptions column={1} bordered size="small">
                    <Descriptions.Item label="直播开始时间">{formatDateTime(current.startsAt) || '待定'}</Descriptions.Item>
                    <Descriptions.Item label="时长">{formatDuration(current.durationSeconds)}</Descriptions.Item>
                    <Descriptions.Item label="完成方式">以培训机构登记的出勤为准</Descriptions.Item>
                    <Descriptions.Item label="状态">{unitStates[current.id]?.completed ? '已出勤' : '未登记出勤'}</Descriptions.Item>
                  </Descriptions>
                ) : current.kind === 'VIDEO' && current.materialUrl ? (
                  <video
                    ref={videoRef}
                    key={current.id}
                    src={current.materialUrl}
                    controls
                    autoPlay={playing}
                    className="course-video"
                    aria-label={`${current.title} 视频`}
                    onLoadedMetadata={(e) => {
                      const saved = unitStates[current.id]?.positionSeconds ?? 0;
                      if (saved > 0 && saved < e.currentTarget.duration) e.currentTarget.currentTime = saved;
                    }}
                    onPlay={() => setPlaying(true)}
                    onPause={() => setPlaying(false)}
                    onEnded={() => setPlaying(false)}
                  />
                ) : (
                  <div className="courseware-placeholder" role="group" aria-label="课件">
                    <Typography.Title level={5}>课件</Typography.Title>
                    {current.materialUrl ? (
                      <a href={current.materialUrl} target="_blank" rel="noreferrer">
                        打开课件（{current.materialFilename ?? '文件'}）
                      </a>
                    ) : (
                      <Typography.Text type="secondary">本单元暂无课件文件，请按计时完成学习。</Typography.Text>
                    )}
                    <Typography.Text className="courseware-timer" data-testid="unit-timer" aria-live="off">
                      本次学习计时 {formatClock(elapsed)}
                    </Typography.Text>
                    {currentDone ? (
                      <Tag color="green">本单元已完成</Tag>
                    ) : playing ? (
                      <Button icon={<PauseCircleOutlined />} onClick={() => setPlaying(false)}>
                        暂停
                      </Button>
                    ) : (
                      <Button
                        type="primary"
                        icon={<PlayCircleOutlined />}
                        onClick={() => {
                          setFatal(null);
                          setPlaying(true);
                        }}
                      >
                        开始学习
                      </Button>
                    )}
                  </div>
                )}
                {current && current.kind !== 'LIVE' ? (
                  <Typography.Text type="secondary">
                    学习时长以服务器记录为准：页面在前台且处于播放状态时才计时，单元时长 {formatDuration(current.durationSeconds)}。
                  </Typography.Text>
                ) : null}
              </Space>
            </Card>
          </Col>
        </Row>

        {attempts.length ? (
          <Card title="考试记录" size="small">
            <Table<Attempt>
              rowKey="id"
              pagination={false}
              dataSource={attempts}
              scroll={{ x: 'max-content' }}
              columns={[
                { key: 'no', title: '第几次', render: (_, a) => `第${a.attemptNo}次` },
                { key: 'status', title: '状态', render: (_, a) => ATTEMPT_STATUS_LABELS[a.status] },
                { key: 'startedAt', title: '开始时间', render: (_, a) => formatDateTime(a.startedAt) },
                {
                  key: 'score',
                  title: '成绩',
                  render: (_, a) => (a.score === null || a.score === undefined ? '—' : `${a.score} / ${a.maxScore}`),
                },
                {
                  key: 'passed',
                  title: '结果',
                  render: (_, a) =>
                    a.passed === null || a.passed === undefined ? '—' : a.passed ? <Tag color="green">通过</Tag> : <Tag color="red">未通过</Tag>,
                },
                {
                  key: 'view',
                  title: '操作',
                  render: (_, a) => (
                    <Link to={`/exams/${encodeURIComponent(a.id)}?enrolment=${encodeURIComponent(enrolment.id)}`}>
                      {a.status === 'IN_PROGRESS' ? '继续答题' : '查看试卷'}
                    </Link>
                  ),
                },
              ]}
            />
          </Card>
        ) : null}
      </Space>
    </PageContainer>
  );
}
