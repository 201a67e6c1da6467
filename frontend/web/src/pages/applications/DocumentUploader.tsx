/**
 * 上传材料 of one kind: documentUploadRequest → PUT the bytes to the slot's presigned URL
 * (with progress) → uploadConfirm, through the one upload hook.
 */
import { useMutation } from 'urql';
import { App, Button, Space, Upload } from 'antd';
import type { UploadProps } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { DocumentUploadRequestDocument } from '../../gql/graphql';
import type { DocumentKind } from '../../gql/graphql';
import { IMAGES_AND_PDF, UploadProgress, acceptOf, step, useUpload, useUploadConfirm } from '../../uploads';

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
  const confirmUpload = useUploadConfirm();
  const upload = useUpload({
    limits: IMAGES_AND_PDF,
    request: async (file, contentType) =>
      step(
        await requestUpload({ applicationId, kind, filename: file.name, size: file.size, contentType }),
        (data) => data.documentUploadRequest,
        (payload) => (payload.upload?.url ? { url: payload.upload.url, uploadId: payload.upload.id } : null),
      ),
    confirm: (slot) => confirmUpload(slot.uploadId),
    onDone: () => {
      message.success(`${kindName}已上传`);
      onUploaded();
    },
  });

  const customRequest: UploadProps['customRequest'] = async ({ file, onSuccess, onError }) => {
    const outcome = await upload.start(file as File);
    if (outcome.ok) onSuccess?.({});
    else onError?.(new Error(outcome.failure.message));
  };

  return (
    <Space orientation="vertical" size={4} className="full-width">
      <Upload
        accept={`.jpg,.jpeg,.png,.pdf,${acceptOf(IMAGES_AND_PDF)}`}
        showUploadList={false}
        maxCount={1}
        customRequest={customRequest}
        disabled={upload.busy}
        data-testid={`upload-${kind}`}
      >
        <Button icon={<UploadOutlined />} loading={upload.busy}>
          上传{kindName}
        </Button>
      </Upload>
      <UploadProgress upload={upload} label={`${kindName}上传进度`} showDone />
    </Space>
  );
}
