import { useEffect } from 'react';

// Each page names itself in the browser tab; screen readers announce it on navigation.
export function useDocumentTitle(pageTitle: string, productName: string): void {
  useEffect(() => {
    document.title = pageTitle === productName ? productName : `${pageTitle} – ${productName}`;
  }, [pageTitle, productName]);
}
