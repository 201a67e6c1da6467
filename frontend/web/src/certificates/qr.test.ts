import { describe, expect, it } from 'vitest';
import { MIN_MODULE_PX, qrDisplaySize, qrModules, qrSvgAt, qrSvgGeometry, qrViews } from './qr';

/** What segno writes for a version-22 symbol at scale 4 (113 modules with the quiet zone). */
const SEGNO_V22 =
  '<svg xmlns="http://www.w3.org/2000/svg" width="452" height="452" class="segno">' +
  '<path transform="scale(4)" class="qrline" stroke="#000" d="M4 4.5h7m2 0h3"/></svg>';

function svgTag(markup: string): Element {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  return doc.documentElement;
}

describe('qrModules', () => {
  it('is 17 + 4 × version', () => {
    expect(qrModules(1)).toBe(21);
    expect(qrModules(22)).toBe(105);
    expect(qrModules(40)).toBe(177);
  });
});

describe('qrSvgGeometry', () => {
  it('derives the viewBox from width and height and counts modules from the scale', () => {
    expect(qrSvgGeometry(SEGNO_V22)).toEqual({ viewBox: '0 0 452 452', width: 452, modules: 113 });
  });

  it('keeps an existing viewBox', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><path d="M4 4h1"/></svg>';
    expect(qrSvgGeometry(svg, 1)).toEqual({ viewBox: '0 0 29 29', width: 29, modules: 29 });
  });

  it('falls back on the version when the SVG does not say', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M4 4h1"/></svg>';
    expect(qrSvgGeometry(svg, 22)).toEqual({ viewBox: '0 0 113 113', width: null, modules: 113 });
  });

  it('accepts px units and single quotes', () => {
    expect(qrSvgGeometry("<svg width='116px' height='116px'><path transform='scale(4)'/></svg>").modules).toBe(29);
  });
});

describe('qrDisplaySize', () => {
  it('uses a whole number of pixels per module, at least 4', () => {
    expect(qrDisplaySize(113, { target: 560 })).toBe(452);
    expect(qrDisplaySize(113, { target: 200 })).toBe(452);
    expect(qrDisplaySize(29, { target: 560 })).toBe(29 * 19);
    expect(qrDisplaySize(113, { target: 240, minModulePx: 1 })).toBe(226);
  });
});

describe('qrSvgAt', () => {
  it('adds the viewBox, sets the size and renders crisp', () => {
    const el = svgTag(qrSvgAt(SEGNO_V22, 226));
    expect(el.getAttribute('viewBox')).toBe('0 0 452 452');
    expect(el.getAttribute('width')).toBe('226');
    expect(el.getAttribute('height')).toBe('226');
    expect(el.getAttribute('shape-rendering')).toBe('crispEdges');
    expect(el.getAttribute('style')).toContain('image-rendering:pixelated');
    expect(el.getAttribute('class')).toBe('segno');
    expect(el.querySelector('path')?.getAttribute('transform')).toBe('scale(4)');
  });

  it('leaves text without an <svg> alone', () => {
    expect(qrSvgAt('not svg', 100)).toBe('not svg');
  });
});

describe('qrViews', () => {
  it('shows a version-22 symbol whole inline and at ≥ 4 px per module enlarged', () => {
    const views = qrViews(SEGNO_V22, 22);
    expect(views.modules).toBe(113);
    expect(views.inline.size).toBe(226);
    expect(views.inlineBelowMinimum).toBe(true);
    expect(views.full.size).toBeGreaterThanOrEqual(113 * MIN_MODULE_PX);
    expect(views.full.size % 113).toBe(0);
    expect(svgTag(views.full.markup).getAttribute('viewBox')).toBe('0 0 452 452');
  });
});
