/**
 * Light or dark, following DevTools when we run inside it (its theme setting is not the
 * OS preference) and the OS preference in the standalone viewer.
 */
export type Theme = 'light' | 'dark';

export function detectTheme(): Theme {
  const devtools = typeof chrome !== 'undefined' ? chrome.devtools : undefined;
  if (devtools?.panels) return devtools.panels.themeName === 'dark' ? 'dark' : 'light';
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Test and screenshot hook: `?theme=dark` forces a theme. */
export function themeFromQuery(search: string): Theme | null {
  const t = new URLSearchParams(search).get('theme');
  return t === 'dark' || t === 'light' ? t : null;
}
