/**
 * The canvas's colours, read from the panel's CSS variables so the light and dark themes
 * (panel.css) stay the one place colours are chosen.
 */
import { WAIT_LEGEND } from '../../timeline/waitClass.ts';

export interface Palette {
  text: string;
  muted: string;
  bg: string;
  bgAlt: string;
  lane: string;
  accent: string;
  select: string;
  /** By class index (WAIT_LEGEND order). */
  wait: string[];
}

export function readPalette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1f1f1f'),
    muted: v('--muted', '#5f6368'),
    bg: v('--bg', '#ffffff'),
    bgAlt: v('--bg-alt', '#f8f9fa'),
    lane: v('--lane', '#e0e0e0'),
    accent: v('--accent', '#1a73e8'),
    select: v('--select', '#cfe8fc'),
    wait: WAIT_LEGEND.map((l) => v(`--tl-${l.cls}`, '#888888')),
  };
}
