/** 申请表: typed by the registrant; empty fields are pre-filled from the 资格证书's OCR. */
import { useEffect, useMemo, useState } from 'react';
import { useMutation } from 'urql';
import { Alert, App, Button, Card, Form, Input, Select } from 'antd';
import { ApplicationUpdateDocument } from '../../gql/graphql';
import type { Education } from '../../gql/graphql';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import type { ApplicationDetail } from '../../registration/useApplication';
import { EDUCATION_LABELS } from '../../registration/labels';
import {
  documentValues,
  formInput,
  formValuesFromStored,
  latestByKind,
  prefillFromCertificate,
} from '../../registration/helpers';
import type { ApplicationFormValues } from '../../registration/helpers';

const EDUCATION_OPTIONS = (Object.keys(EDUCATION_LABELS) as Education[]).map((value) => ({
  value,
  label: EDUCATION_LABELS[value],
}));
const FIELDS = [
  'qualificationNumber',
  'qualificationDate',
  'education',
  'school',
  'major',
  'diplomaNumber',
  'identityNote',
] as const;

/** The server names form fields in snake_case (form.identity_note); the form in camelCase. */
function snakeToCamel(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The certificate's field values once OCR is done; null before. */
function certificateValues(application: ApplicationDetail): Record<string, string> | null {
  const certificate = latestByKind(application.documents).get('QUALIFICATION_CERTIFICATE');
  if (!certificate || certificate.ocrStatus !== 'DONE') return null;
  return documentValues(certificate.ocrFields, certificate.confirmedFields);
}

export function ApplicationFormCard({
  application,
  editable,
  onSaved,
}: {
  application: ApplicationDetail;
  editable: boolean;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<ApplicationFormValues>();
  const { message } = App.useApp();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching }, update] = useMutation(ApplicationUpdateDocument);
  const certificate = certificateValues(application);
  const certificateKey = certificate ? JSON.stringify(certificate) : '';
  const initialValues = useMemo(
    () => prefillFromCertificate(formValuesFromStored(application.form), certificate),
    // Only on mount: later polls must not overwrite what the registrant types.
    [],
  );

  // OCR finished after the page opened: fill what is still empty.
  useEffect(() => {
    if (!certificateKey || !editable) return;
    const current = form.getFieldsValue() as ApplicationFormValues;
    const next = prefillFromCertificate(current, JSON.parse(certificateKey) as Record<string, string>);
    if (next.qualificationNumber !== current.qualificationNumber || next.qualificationDate !== current.qualificationDate) {
      form.setFieldsValue({ qualificationNumber: next.qualificationNumber, qualificationDate: next.qualificationDate });
    }
  }, [certificateKey, editable, form]);

  const save = async (values: ApplicationFormValues) => {
    setAlerts([]);
    const result = await update({
      id: application.id,
      expectedVersion: application.version,
      input: { form: formInput(values) },
    });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.applicationUpdate;
    if (payload?.application) {
      message.success('申请表已保存');
      onSaved();
      return;
    }
    const errors = (payload?.errors ?? []).map((error) => ({
      ...error,
      field: error.field ? snakeToCamel(error.field.replace(/^input\.form\./, '').replace(/^form\./, '')) : null,
    }));
    const { fields, messages } = formErrors<ApplicationFormValues>(errors, { fields: FIELDS });
    form.setFields(fields);
    setAlerts(messages);
  };

  return (
    <Card title="申请表">
      {alerts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} className="form-alert" />
      ))}
      <Form<ApplicationFormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={save}
        disabled={!editable}
        className="application-form"
      >
        <Form.Item name="qualificationNumber" label="资格证书编号">
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item
          name="qualificationDate"
          label="资格取得日期"
          rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: '请按 YYYY-MM-DD 填写' }]}
        >
          <Input placeholder="YYYY-MM-DD" maxLength={10} />
        </Form.Item>
        <Form.Item name="education" label="学历">
          <Select options={EDUCATION_OPTIONS} allowClear placeholder="请选择学历" aria-label="学历" />
        </Form.Item>
        <Form.Item name="school" label="毕业院校">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="major" label="所学专业">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="diplomaNumber" label="学历证书编号">
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item
          name="identityNote"
          label="身份证件不一致说明"
          extra="仅当提交前检查提示“上传的身份证与申请人不一致”且确属识别有误或其他正当原因时填写；审核人员将看到此说明。"
        >
          <Input.TextArea maxLength={500} showCount autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        {editable ? (
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={fetching}>
              保存申请表
            </Button>
          </Form.Item>
        ) : null}
      </Form>
    </Card>
  );
}
