// MapLibre writes source attributions into the page as HTML. Our attributions come from the server's
// data (dataset manifests), so they are escaped to plain text first.
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function attributionText(parts: readonly string[]): string {
  return [...new Set(parts.map((part) => part.trim()).filter(Boolean))].map(escapeHtml).join(' · ');
}
