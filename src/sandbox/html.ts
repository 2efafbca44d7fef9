// HTML escaping for the console's pages: every string that did not come from this folder's own
// templates goes through it, in text and in attribute values alike.
export const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
