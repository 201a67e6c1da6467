/**
 * 上传材料 of one kind: documentUploadRequest → PUT the bytes to the presigned URL (with
 * progress) → documentUploadConfirm.
 */
import { useState } from 'react';
import { useMutation } from 'urql';
import { App, Button, Progress, Space, Upload } from 'antd';
import type { UploadProps } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { DocumentUploadConfirmDocument, DocumentUploadRequestDocument } from '../../gql/graphql';
import type { DocumentKind } from '../../gql/graphql';
import { describeError, errorMessage } from '../../api/errorMessages';
import { contentTypeOf, putFile } from '../../registration/upload';

export interface DocumentUploaderProps {
  applicationId: string;
  kind: DocumentKind;
  kindName: string;
  /** Called once the upload is confirmed. */
  onUploaded: () => void;
}

export function DocumentUploader({ applicationId, kind, kindName, onUploaded }: DocumentUploaderProps) {
  const { message } = App.useApp();
  const [, requestUpload] = useMutation(DocumentUploadRequestDocument);
  const [, confirmUpload] = useMutation(DocumentUploadConfirmDocument);
  const [percent, setPercent] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);

  const customRequest: UploadProps['customRequest'] = async ({ file, onProgress, onSuccess, onError }) => {
    const blob = file as File;
    const fail = (text: string) => {
      setFailed(true);
      message.error(`${kindName}：${text}`);
      onError?.(new Error(text));
    };
    setFailed(false);
    setPercent(0);
    const contentType = contentTypeOf(blob);
    const requested = await requestUpload({
      applicationId,
      kind,
      filename: blob.name,
      size: blob.size,
      contentType,
    });
    if (requested.error) return fail(describeError(requested.error));
    const payload = requested.data?.documentUploadRequest;
    const document = payload?.document;
    if (!payload || !document || !payload.uploadUrl) {
      const first = payload?.errors[0];
      return fail(errorMessage(first?.code, first?.message));
    }
    try {
      await putFile(payload.uploadUrl, blob, contentType, (value) => {
        setPercent(value);
        onProgress?.({ percent: value });
      });
    } catch (error) {
      return fail(error instanceof Error ? error.message : '上传失败');
    }
    const confirmed = await confirmUpload({ id: document.id });
    if (confirmed.error) return fail(describeError(confirmed.error));
    const confirmErrors = confirmed.data?.documentUploadConfirm.errors ?? [];
    if (!confirmed.data?.documentUploadConfirm.document) {
      const first = confirmErrors[0];
      return fail(errorMessage(first?.code, first?.message));
    }
    onSuccess?.({});
    message.success(`${kindName}已上传`);
    onUploaded();
    return undefined;
  };

  return (
    <Space orientation="vertical" size={4} className="full-width">
      <Upload
        accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
        showUploadList={false}
        maxCount={1}
        customRequest={customRequest}
        data-testid={`upload-${kind}`}
      >
        <Button icon={<UploadOutlined />}>上传{kindName}</Button>
      </Upload>
      {percent !== null ? (
        <Progress
          percent={percent}
          size="small"
          status={failed ? 'exception' : percent >= 100 ? 'success' : 'active'}
          aria-label={`${kindName}上传进度`}
        />
      ) : null}
    </Space>
  );
}
