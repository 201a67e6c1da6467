import { useEffect, useState } from 'react';
import type React from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  CourseCloseDocument,
  CourseCreateDocument,
  CourseMaterialUploadRequestDocument,
  CoursePublishDocument,
  CourseQuestionsSetDocument,
  CourseUpdateDocument,
  TrainerCourseDocument,
} from '../../gql/graphql';
import type { QuestionKind, Specialty, SubjectKind, TrainerCourseQuery, UnitKind } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import '../../education/education.css';
import { describeError, errorMessage } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import type { PayloadError } from '../../forms/formErrors';
import { SPECIALTY_LABELS } from '../../registration/labels';
import { PDF_MATERIAL, VIDEO_MATERIAL, acceptOf, step, useUpload, useUploadConfirm } from '../../uploads';
import { COURSE_STATUS_LABELS, QUESTION_KIND_LABELS, SUBJECT_KIND_LABELS, UNIT_KIND_LABELS } from '../../education/labels';
import { formatDuration } from '../../education/helpers';
import {
  answerOptions,
  courseInput,
  courseValues,
  questionInputs,
  questionValues,
} from '../../education/courseForm';
import type { CourseValues, QuestionValues } from '../../education/courseForm';

type CourseNode = Exclude<NonNullable<TrainerCourseQuery['node']>, Record<PropertyKey, never>>;
type UnitRow = CourseNode['units'][number];

const SUBJECT_OPTIONS = (Object.keys(SUBJECT_KIND_LABELS) as SubjectKind[]).map((v) => ({ value: v, label: SUBJECT_KIND_LABELS[v] }));
const SPECIALTY_OPTIONS = (Object.keys(SPECIALTY_LABELS) as Specialty[]).map((v) => ({ value: v, label: SPECIALTY_LABELS[v] }));
const UNIT_OPTIONS = (Object.keys(UNIT_KIND_LABELS) as UnitKind[]).map((v) => ({ value: v, label: UNIT_KIND_LABELS[v] }));
const QUESTION_OPTIONS = (Object.keys(QUESTION_KIND_LABELS) as QuestionKind[]).map((v) => ({ value: v, label: QUESTION_KIND_LABELS[v] }));

const COURSE_FIELDS = [
  'code',
  'title',
  'description',
  'subjectKind',
  'specialty',
  'hours',
  'opensOn',
  'closesOn',
  'capacity',
  'examQuestionCount',
  'examMinutes',
  'examMaxAttempts',
  'passMark',
];

/** Field names of errors on units/questions (`units.0.title`) are the form's list paths. */
function withListFields(errors: readonly PayloadError[], prefix: string): string[] {
  return errors.map((e) => (e.field ?? '').replace(/^input\./, '')).filter((f) => f.startsWith(`${prefix}.`));
}

/**
 * Enter in a field (a date picker confirming its text, a number) must not submit the whole
 * editor half-filled: only the save buttons do. Text areas keep their new lines.
 */
function noEnterSubmit(event: React.KeyboardEvent<HTMLFormElement>): void {
  if (event.key === 'Enter' && (event.target as HTMLElement).tagName === 'INPUT') event.preventDefault();
}

/** 课程编辑: create (`/trainer/courses/new`) or edit one course of the trainer's provider. */
export function TrainerCourseEditPage() {
  const { id = '' } = useParams();
  const isNew = id === 'new';
  const [{ data, error, fetching }, refetch] = useQuery({
    query: TrainerCourseDocument,
    variables: { id },
    pause: isNew,
    requestPolicy: 'cache-and-network',
  });
  const course = data?.node && 'questionBank' in data.node ? (data.node as CourseNode) : null;

  if (isNew) return <CourseEditor course={null} onSaved={() => undefined} />;
  if (error) {
    return (
      <PageContainer title="课程编辑">
        <Alert type="error" showIcon title={describeError(error)} />
      </PageContainer>
    );
  }
  if (!data && fetching) {
    return (
      <PageContainer title="课程编辑">
        <Flex justify="center" className="page-loading">
          <Spin description="加载中…" />
        </Flex>
      </PageContainer>
    );
  }
  if (!course) {
    return (
      <PageContainer title="课程编辑">
        <Result status="404" title="课程不存在或不属于本机构" extra={<Link to="/trainer/courses">返回课程管理</Link>} />
      </PageContainer>
    );
  }
  return <CourseEditor course={course} onSaved={() => refetch({ requestPolicy: 'network-only' })} />;
}

function CourseEditor({ course, onSaved }: { course: CourseNode | null; onSaved: () => void }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<CourseValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching: creating }, create] = useMutation(CourseCreateDocument);
  const [{ fetching: updating }, update] = useMutation(CourseUpdateDocument);
  const [{ fetching: publishing }, publish] = useMutation(CoursePublishDocument);
  const [{ fetching: closing }, close] = useMutation(CourseCloseDocument);
  const draft = !course || course.status === 'DRAFT';

  useEffect(() => {
    if (course) form.setFieldsValue(courseValues(course));
    // Reload the form when the stored version changes.
  }, [course?.id, course?.version]);

  const save = async (values: CourseValues) => {
    setAlerts([]);
    const input = courseInput(values);
    const result = course
      ? await update({ id: course.id, expectedVersion: course.version, input })
      : await create({ input });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data && ('courseCreate' in result.data ? result.data.courseCreate : result.data.courseUpdate);
    if (payload?.course) {
      message.success(course ? '课程已保存' : '课程已创建');
      if (!course) navigate(`/trainer/courses/${encodeURIComponent(payload.course.id)}`, { replace: true });
      else onSaved();
      return;
    }
    const errors = payload?.errors ?? [];
    const { fields, messages } = formErrors<CourseValues>(errors, {
      fields: [...COURSE_FIELDS, ...withListFields(errors, 'units')],
    });
    form.setFields(fields);
    setAlerts(messages);
  };

  const transition = async (kind: 'publish' | 'close') => {
    if (!course) return;
    const vars = { id: course.id, expectedVersion: course.version };
    const result = kind === 'publish' ? await publish(vars) : await close(vars);
    if (result.error) {
      message.error(describeError(result.error));
      return;
    }
    const payload = result.data && ('coursePublish' in result.data ? result.data.coursePublish : result.data.courseClose);
    if (payload?.course) {
      message.success(kind === 'publish' ? '课程已发布' : '课程已结课');
      onSaved();
      return;
    }
    for (const e of payload?.errors ?? []) message.error(errorMessage(e.code, e.message));
  };

  const details = (
    <Form<CourseValues>
      form={form}
      layout="vertical"
      onFinish={(v) => void save(v)}
      onKeyDown={noEnterSubmit}
      initialValues={{
        subjectKind: 'GENERAL',
        units: [],
        examQuestionCount: 0,
        examMinutes: 30,
        examMaxAttempts: 3,
        passMark: 60,
      }}
    >
      {alerts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} className="form-alert" />
      ))}
      {!draft ? (
        <Alert
          type="info"
          showIcon
          className="form-alert"
          title="课程已发布：只能修改名称、简介、结束日期和名额；单元、学时与考试设置不再修改。"
        />
      ) : null}
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="code" label="课程编号" rules={[{ required: true, message: '请填写课程编号' }]}>
            <Input maxLength={32} disabled={!draft} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="title" label="课程名称" rules={[{ required: true, message: '请填写课程名称' }]}>
            <Input maxLength={120} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label="课程简介">
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Form.Item name="subjectKind" label="科目类型" rules={[{ required: true }]}>
            <Select options={SUBJECT_OPTIONS} aria-label="科目类型" disabled={!draft} />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name="specialty" label="专业类别">
            <Select options={SPECIALTY_OPTIONS} allowClear placeholder="适用于所有专业" aria-label="专业类别" disabled={!draft} />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name="hours" label="学时" rules={[{ required: true, message: '请填写学时' }]}>
            <InputNumber min={0.5} max={100} step={0.5} style={{ width: '100%' }} disabled={!draft} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="capacity" label="名额（不填为不限）">
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Form.Item name="opensOn" label="开放日期" rules={[{ required: true, message: '请选择开放日期' }]}>
            <DatePicker style={{ width: '100%' }} disabled={!draft} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="closesOn" label="结束日期（含）" rules={[{ required: true, message: '请选择结束日期' }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Title level={5}>课程单元</Typography.Title>
      <Form.List name="units">
        {(fields, { add, remove, move }) => (
          <Space orientation="vertical" className="full-width">
            {fields.map((field, index) => (
              <Card key={field.key} size="small" title={`第${index + 1}单元`} extra={
                draft ? (
                  <Space>
                    <Button size="small" disabled={index === 0} onClick={() => move(index, index - 1)}>
                      上移
                    </Button>
                    <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={`删除第${index + 1}单元`} />
                  </Space>
                ) : null
              }>
                <Row gutter={12}>
                  <Col xs={24} md={10}>
                    <Form.Item name={[field.name, 'title']} label="单元名称" rules={[{ required: true, message: '请填写单元名称' }]}>
                      <Input maxLength={120} disabled={!draft} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4}>
                    <Form.Item name={[field.name, 'kind']} label="类型" rules={[{ required: true }]}>
                      <Select options={UNIT_OPTIONS} aria-label="单元类型" disabled={!draft} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4}>
                    <Form.Item name={[field.name, 'durationSeconds']} label="时长（秒）" rules={[{ required: true, message: '请填写时长' }]}>
                      <InputNumber min={1} max={86400} style={{ width: '100%' }} disabled={!draft} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={6}>
                    <Form.Item noStyle shouldUpdate>
                      {() =>
                        form.getFieldValue(['units', field.name, 'kind']) === 'LIVE' ? (
                          <Form.Item name={[field.name, 'startsAt']} label="直播开始时间" rules={[{ required: true, message: '请选择开始时间' }]}>
                            <DatePicker showTime style={{ width: '100%' }} disabled={!draft} />
                          </Form.Item>
                        ) : (
                          <Form.Item label="时长">
                            {formatDuration(Number(form.getFieldValue(['units', field.name, 'durationSeconds']) ?? 0))}
                          </Form.Item>
                        )
                      }
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
            ))}
            {draft ? (
              <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'VIDEO', durationSeconds: 2700 })}>
                添加单元
              </Button>
            ) : null}
          </Space>
        )}
      </Form.List>
      <Typography.Title level={5} className="section-title">
        考试设置
      </Typography.Title>
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Form.Item name="examQuestionCount" label="试卷题数（0为无考试）">
            <InputNumber min={0} max={200} style={{ width: '100%' }} disabled={!draft} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="examMinutes" label="考试时长（分钟）">
            <InputNumber min={1} max={300} style={{ width: '100%' }} disabled={!draft} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="examMaxAttempts" label="考试次数上限">
            <InputNumber min={1} max={10} style={{ width: '100%' }} disabled={!draft} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="passMark" label="及格线（百分制）">
            <InputNumber min={1} max={100} style={{ width: '100%' }} disabled={!draft} />
          </Form.Item>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={creating || updating}>
        {course ? '保存课程' : '创建课程'}
      </Button>
    </Form>
  );

  const title = course ? course.title : '新建课程';
  return (
    <PageContainer
      title={title}
      description={
        course ? (
          <Space wrap>
            <span>{course.code}</span>
            <Tag>{COURSE_STATUS_LABELS[course.status]}</Tag>
            <span>版本 {course.version}</span>
            <span>已报名 {course.enrolledCount} 人</span>
          </Space>
        ) : (
          '先保存课程基本信息与单元，再设置题库、上传课件并发布。'
        )
      }
      extra={
        <Space wrap>
          <Link to="/trainer/courses">返回课程管理</Link>
          {course?.status === 'DRAFT' ? (
            <Popconfirm title="发布后单元、学时与考试设置不能再修改，确认发布？" okText="发布" cancelText="取消" onConfirm={() => void transition('publish')}>
              <Button type="primary" loading={publishing}>
                发布课程
              </Button>
            </Popconfirm>
          ) : null}
          {course?.status === 'PUBLISHED' ? (
            <Popconfirm title="结课后不能再报名和学习，已认定的学时保留。确认结课？" okText="结课" cancelText="取消" onConfirm={() => void transition('close')}>
              <Button danger loading={closing}>
                结课
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      }
    >
      <Card>
        {course ? (
          <Tabs
            items={[
              { key: 'details', label: '基本信息', children: details },
              {
                key: 'questions',
                label: `题库（${course.questionBank?.length ?? 0}）`,
                children: <QuestionBankEditor course={course} onSaved={onSaved} />,
              },
              { key: 'materials', label: '课件', children: <MaterialsEditor course={course} onSaved={onSaved} /> },
            ]}
          />
        ) : (
          details
        )}
      </Card>
    </PageContainer>
  );
}

function QuestionBankEditor({ course, onSaved }: { course: CourseNode; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ questions: QuestionValues[] }>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching }, setQuestions] = useMutation(CourseQuestionsSetDocument);
  const draft = course.status === 'DRAFT';

  useEffect(() => {
    form.setFieldsValue({ questions: questionValues(course.questionBank ?? []) });
  }, [course.id, course.version]);

  const save = async ({ questions }: { questions: QuestionValues[] }) => {
    setAlerts([]);
    const result = await setQuestions({ id: course.id, expectedVersion: course.version, questions: questionInputs(questions ?? []) });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.courseQuestionsSet;
    if (payload?.course) {
      message.success('题库已保存');
      onSaved();
      return;
    }
    const errors = payload?.errors ?? [];
    const { fields, messages } = formErrors<{ questions: QuestionValues[] }>(errors, {
      fields: withListFields(errors, 'questions'),
    });
    form.setFields(fields);
    setAlerts(messages);
  };

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void save(v)} onKeyDown={noEnterSubmit} disabled={!draft}>
      {alerts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} className="form-alert" />
      ))}
      <Typography.Paragraph type="secondary">
        试卷每次从题库随机抽取 {course.examQuestionCount} 题；题库至少需要同样多的题目才能发布。正确答案不会在交卷前发送给学员。
        {!draft ? ' 课程已发布，题库不能再修改。' : ''}
      </Typography.Paragraph>
      <Form.List name="questions">
        {(fields, { add, remove }) => (
          <Space orientation="vertical" className="full-width">
            {fields.map((field, index) => (
              <Card
                key={field.key}
                size="small"
                title={`第${index + 1}题`}
                extra={<Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={`删除第${index + 1}题`} />}
              >
                <Row gutter={12}>
                  <Col xs={12} md={6}>
                    <Form.Item name={[field.name, 'kind']} label="题型" rules={[{ required: true }]}>
                      <Select options={QUESTION_OPTIONS} aria-label="题型" />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={4}>
                    <Form.Item name={[field.name, 'points']} label="分值">
                      <InputNumber min={1} max={100} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item name={[field.name, 'stem']} label="题干" rules={[{ required: true, message: '请填写题干' }]}>
                  <Input.TextArea rows={2} maxLength={1000} />
                </Form.Item>
                <Form.Item noStyle shouldUpdate>
                  {() => {
                    const kind = form.getFieldValue(['questions', field.name, 'kind']) as QuestionKind;
                    const optionsText = form.getFieldValue(['questions', field.name, 'options']) as string | undefined;
                    return (
                      <>
                        {kind !== 'TRUE_FALSE' ? (
                          <Form.Item name={[field.name, 'options']} label="选项（每行一个，2至8个）" rules={[{ required: true, message: '请填写选项' }]}>
                            <Input.TextArea rows={4} />
                          </Form.Item>
                        ) : null}
                        <Form.Item
                          name={[field.name, 'answer']}
                          label="正确答案"
                          rules={[{ required: true, message: '请选择正确答案' }]}
                          // A single-answer Select holds one number; the form keeps a list.
                          getValueProps={(value: number[] | undefined) => ({
                            value: kind === 'MULTIPLE' ? (value ?? []) : value?.[0],
                          })}
                          normalize={(value: number | number[] | undefined) =>
                            Array.isArray(value) ? value : value === undefined ? [] : [value]
                          }
                        >
                          <Select
                            mode={kind === 'MULTIPLE' ? 'multiple' : undefined}
                            options={answerOptions(kind, optionsText)}
                            aria-label="正确答案"
                          />
                        </Form.Item>
                      </>
                    );
                  }}
                </Form.Item>
              </Card>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'SINGLE', points: 1, answer: [] })}>
              添加题目
            </Button>
          </Space>
        )}
      </Form.List>
      <Button type="primary" htmlType="submit" loading={fetching} className="section-title">
        保存题库
      </Button>
    </Form>
  );
}

function MaterialsEditor({ course, onSaved }: { course: CourseNode; onSaved: () => void }) {
  return (
    <Table<UnitRow>
      rowKey="id"
      pagination={false}
      dataSource={course.units}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: '请先在基本信息中添加单元' }}
      columns={[
        { key: 'pos', title: '序号', render: (_, u) => u.position },
        { key: 'title', title: '单元名称', render: (_, u) => u.title },
        { key: 'kind', title: '类型', render: (_, u) => UNIT_KIND_LABELS[u.kind] },
        { key: 'duration', title: '时长', render: (_, u) => formatDuration(u.durationSeconds) },
        {
          key: 'material',
          title: '课件',
          render: (_, u) =>
            u.materialFilename ? (
              u.materialUrl ? (
                <a href={u.materialUrl} target="_blank" rel="noreferrer">
                  {u.materialFilename}
                </a>
              ) : (
                u.materialFilename
              )
            ) : (
              <Typography.Text type="secondary">未上传</Typography.Text>
            ),
        },
        {
          key: 'upload',
          title: '上传',
          render: (_, u) =>
            u.kind === 'LIVE' ? (
              <Typography.Text type="secondary">直播以出勤登记为准</Typography.Text>
            ) : (
              <MaterialUpload unit={u} onUploaded={onSaved} />
            ),
        },
      ]}
    />
  );
}

/** 课件 of one unit: courseMaterialUploadRequest → PUT → uploadConfirm. */
function MaterialUpload({ unit, onUploaded }: { unit: UnitRow; onUploaded: () => void }) {
  const { message } = App.useApp();
  const [, requestUpload] = useMutation(CourseMaterialUploadRequestDocument);
  const confirmUpload = useUploadConfirm();
  const limits = unit.kind === 'VIDEO' ? VIDEO_MATERIAL : PDF_MATERIAL;
  const upload = useUpload({
    limits,
    request: async (file, contentType) =>
      step(
        await requestUpload({ unitId: unit.id, filename: file.name, size: file.size, contentType }),
        (data) => data.courseMaterialUploadRequest,
        (t) => (t.upload?.url ? { url: t.upload.url, uploadId: t.upload.id } : null),
      ),
    confirm: (slot) => confirmUpload(slot.uploadId),
    onDone: () => {
      message.success(`“${unit.title}”课件已上传`);
      onUploaded();
    },
    onFailed: (failure) => {
      message.error(failure.message);
    },
  });
  const { state } = upload;

  return (
    <Space size={4}>
      <Upload
        accept={acceptOf(limits)}
        showUploadList={false}
        disabled={upload.busy}
        beforeUpload={(file) => {
          void upload.start(file);
          return false;
        }}
      >
        <Button size="small" icon={<UploadOutlined />} loading={upload.busy}>
          {state.phase === 'uploading'
            ? `上传中 ${state.percent}%`
            : state.phase === 'requesting' || state.phase === 'confirming'
              ? '上传中'
              : unit.materialFilename
                ? '重新上传'
                : '上传课件'}
        </Button>
      </Upload>
      {state.phase === 'requesting' || state.phase === 'uploading' ? (
        <Button size="small" type="link" onClick={upload.cancel}>
          取消
        </Button>
      ) : null}
    </Space>
  );
}
