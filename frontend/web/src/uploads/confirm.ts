/**
 * uploadConfirm, the one confirm verb of every upload slot: the confirm step of
 * useUpload for every page. Its value is the payload (the CONFIRMED slot and the target
 * it was attached to); a refused, expired or unavailable confirmation is a failure with
 * the server's code and the zh-CN text of UPLOAD_ERROR_MESSAGES.
 */
import { useCallback } from 'react';
import { useMutation } from 'urql';
import { UploadConfirmDocument } from '../gql/graphql';
import type { UploadConfirmMutation } from '../gql/graphql';
import { uploadErrorMessage } from './messages';
import { step } from './useUpload';
import type { StepResult } from './useUpload';

export type UploadConfirmed = UploadConfirmMutation['uploadConfirm'];

export function useUploadConfirm(): (uploadId: string) => Promise<StepResult<UploadConfirmed>> {
  const [, confirm] = useMutation(UploadConfirmDocument);
  return useCallback(
    async (uploadId: string) => {
      const confirmed = step(
        await confirm({ id: uploadId }),
        (data) => data.uploadConfirm,
        // No errors but not CONFIRMED (never expected) is a failure too, not a success.
        (payload) => (payload.upload?.status === 'CONFIRMED' ? payload : null),
      );
      return { ...confirmed, errors: confirmed.errors?.map((e) => ({ ...e, message: uploadErrorMessage(e) })) };
    },
    [confirm],
  );
}
