/** Inline SVG icons (no external assets), all decorative. */
const svg = (body: string, box = 24) =>
  `<svg viewBox="0 0 ${box} ${box}" width="24" height="24" aria-hidden="true" focusable="false">${body}</svg>`;
const line = (d: string) =>
  svg(`<path d="${d}" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`);

export const icons = {
  chat: line("M4 6a3 3 0 0 1 3-3h10a3 3 0 0 1 3 3v7a3 3 0 0 1-3 3h-7l-5 4v-4a3 3 0 0 1-1-2ZM8.5 8.5h7m-7 3h4.5"),
  chevronDown: line("M6 9l6 6 6-6"),
  close: line("M6 6l12 12M18 6L6 18"),
  send: svg(
    `<path d="M4.4 11.2 19 4.6c.7-.3 1.4.4 1.1 1.1l-6.6 14.6c-.3.7-1.3.6-1.5-.1l-1.6-5.3-5.9-2.2c-.7-.2-.8-1.2-.1-1.5Z" fill="currentColor"/>`,
  ),
  person: line("M12 11.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7ZM5 19.5c1.2-3.3 3.8-5 7-5s5.8 1.7 7 5"),
  star: svg(
    `<path d="M12 3.6l2.6 5.3 5.8.8-4.2 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.2-4.1 5.8-.8Z" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>`,
  ),
  lock: line("M7 10.5h10a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2v-6a2 2 0 0 1 2-2Zm1 0V8a4 4 0 0 1 8 0v2.5"),
  doc: line("M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8Zm0 0v5h5M9 13h6m-6 4h4"),
  clip: line("M20.5 11.5 12.6 19.4a5 5 0 0 1-7.1-7.1l8.3-8.3a3.3 3.3 0 0 1 4.7 4.7l-8.3 8.3a1.7 1.7 0 0 1-2.4-2.4l7.6-7.6"),
  mail: line("M4 6h16v12H4Zm0 0 8 6.5L20 6"),
  alert: line("M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Zm0-13.5V13m0 3.5v.01"),
  // The default brand mark: a roof over two waves (a bay), on white.
  mark: svg(
    `<rect width="40" height="40" rx="10" fill="#fff"/><path d="M11 18.5 20.5 10l9.5 8.5M8 23c3 0 3-2.4 6.4-2.4s3.2 2.4 6.4 2.4 3.2-2.4 6.4-2.4S30.4 23 33 23" fill="none" stroke="var(--p)" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/><path d="M8 29c3 0 3-2.4 6.4-2.4s3.2 2.4 6.4 2.4 3.2-2.4 6.4-2.4S30.4 29 33 29" fill="none" stroke="var(--ac)" stroke-width="2.6" stroke-linecap="round"/>`,
    40,
  ),
};
