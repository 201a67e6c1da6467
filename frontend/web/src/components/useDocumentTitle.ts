import { useEffect } from 'react';

export const PRODUCT_NAME = '注册安全工程师管理平台';

/** Sets the tab title to "<page> - 注册安全工程师管理平台". */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} - ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [title]);
}
