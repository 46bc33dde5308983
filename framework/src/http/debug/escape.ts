/**
 * HTML escaping for the debug pages. The five replacements are exactly the HTML form that
 * conf/mask.ts looks for when it redacts secrets, so an escaped secret is still recognised.
 */
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
