/** 识别结果: OCR fields in an editable table, confirmed with documentFieldsConfirm. */
import { useState } from 'react';
import { useMutation } from 'urql';
import { Alert, App, Button, Input, Select, Space, Table, Tag } from 'antd';
import type { TableProps } from 'antd';
import { DocumentFieldsConfirmDocument } from '../../gql/graphql';
import { describeError, errorMessage } from '../../api/errorMessages';
import type { ApplicationDocumentDetail } from '../../registration/useApplication';
import { OCR_FIELD_LABELS, labelFrom } from '../../registration/labels';
import { enumOptions, ocrFieldEnum, ocrValueLabel } from '../../labels/enums';
import { documentValues } from '../../registration/helpers';

type Field = ApplicationDocumentDetail['ocrFields'][number];

export function OcrFieldsEditor({
  document,
  editable,
  onConfirmed,
}: {
  document: ApplicationDocumentDetail;
  editable: boolean;
  onConfirmed: () => void;
}) {
  const { message } = App.useApp();
  const [values, setValues] = useState<Record<string, string>>(() =>
    documentValues(document.ocrFields, document.confirmedFields),
  );
  const [alerts, setAlerts] = useState<string[]>([]);
  const [{ fetching }, confirm] = useMutation(DocumentFieldsConfirmDocument);
  const confirmed = document.confirmedFields.length > 0;

  const columns: TableProps<Field>['columns'] = [
    { key: 'name', title: '字段', render: (_, field) => labelFrom(OCR_FIELD_LABELS, field.name) },
    {
      key: 'value',
      title: '识别结果',
      render: (_, field) => {
        const value = values[field.name] ?? field.value;
        if (!(editable && !confirmed)) return ocrValueLabel(field.name, value);
        const enumName = ocrFieldEnum(field.name);
        const options = enumName ? enumOptions(enumName) : [];
        // A coded field (gender MALE, specialty METAL_SMELTING) is chosen by its Chinese
        // name; the code is what gets confirmed. Free text stays free text.
        if (enumName && (value === '' || options.some((option) => option.value === value))) {
          return (
            <Select
              aria-label={labelFrom(OCR_FIELD_LABELS, field.name)}
              value={value || undefined}
              options={options}
              style={{ minWidth: 200 }}
              onChange={(next: string) => setValues((prev) => ({ ...prev, [field.name]: next }))}
            />
          );
        }
        return (
          <Input
            aria-label={labelFrom(OCR_FIELD_LABELS, field.name)}
            value={values[field.name] ?? ''}
            onChange={(event) => setValues((prev) => ({ ...prev, [field.name]: event.target.value }))}
          />
        );
      },
    },
    {
      key: 'confidence',
      title: '置信度',
      render: (_, field) => `${Math.round(field.confidence * 100)}%`,
    },
    {
      key: 'valid',
      title: '校验',
      render: (_, field) => (
        <Space size={4}>
          {field.valid === true ? <Tag color="green">通过</Tag> : null}
          {field.valid === false ? <Tag color="red">未通过</Tag> : null}
          {field.corrected ? <Tag color="orange">已自动纠正</Tag> : null}
        </Space>
      ),
    },
  ];

  const submit = async () => {
    setAlerts([]);
    const fields = document.ocrFields.map((field) => ({ name: field.name, value: values[field.name] ?? field.value }));
    const result = await confirm({ id: document.id, fields });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.documentFieldsConfirm;
    if (payload?.document) {
      message.success(`${document.kindName}识别结果已确认`);
      onConfirmed();
      return;
    }
    setAlerts((payload?.errors ?? []).map((error) => errorMessage(error.code, error.message)));
  };

  return (
    <Space orientation="vertical" size="small" className="full-width">
      {alerts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} />
      ))}
      <Table<Field>
        rowKey="name"
        size="small"
        columns={columns}
        dataSource={[...document.ocrFields]}
        pagination={false}
        locale={{ emptyText: '未识别到字段' }}
      />
      {confirmed ? (
        <Tag color="green">识别结果已确认</Tag>
      ) : editable ? (
        <Button type="primary" onClick={submit} loading={fetching}>
          确认识别结果
        </Button>
      ) : null}
    </Space>
  );
}
