/**
 * Contrast of what the page renders, computed in the page from computed styles (WCAG 2.x
 * relative luminance): text against the background it sits on (4.5:1, 3:1 for large text) and
 * chart series (legend swatches, SVG marks) against their panel (3:1, WCAG 1.4.11). Passed to
 * page.evaluate, so the function is self-contained.
 */
export function measureContrast() {
  const parse = (value) => {
    const m = /rgba?\(([^)]+)\)/.exec(value) ?? /color\(srgb ([^)]+)\)/.exec(value);
    if (!m) return null;
    const parts = m[1]
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    const scale = value.startsWith('color(') ? 255 : 1;
    return { r: parts[0] * scale, g: parts[1] * scale, b: parts[2] * scale, a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const lum = ({ r, g, b }) => {
    const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (x, y) => {
    const [hi, lo] = [lum(x), lum(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  /** the colour behind an element: its ancestors' backgrounds composited down to the page */
  const backgroundOf = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), { r: 255, g: 255, b: 255, a: 1 });
  };
  const hex = ({ r, g, b }) => '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const shown = (el) => el.getClientRects().length > 0 && !el.closest('.visually-hidden, [aria-hidden=true], option, :disabled');
  const describe = (el) =>
    `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}`;

  const text = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !shown(el) || ['SCRIPT', 'STYLE', 'TITLE'].includes(el.tagName)) continue;
    const style = getComputedStyle(el);
    const svg = el instanceof SVGElement;
    const fg = parse(svg ? style.fill : style.color);
    if (!fg) continue;
    const bg = backgroundOf(svg ? el.closest('svg') : el);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const value = ratio(over({ ...fg, a: fg.a * Number(svg ? style.fillOpacity : 1) }, bg), bg);
    text.push({
      what: `${describe(el)} "${el.textContent.trim().slice(0, 40)}"`,
      fg: hex(fg),
      bg: hex(bg),
      ratio: value,
      needed: large ? 3 : 4.5,
    });
  }

  const graphics = [];
  const mark = (el, color, opacity = 1) => {
    const c = parse(color);
    if (!c || c.a === 0 || !shown(el)) return;
    const bg = backgroundOf(el.closest('.panel') ?? el.parentElement);
    graphics.push({ what: describe(el), fg: hex(c), bg: hex(bg), ratio: ratio(over({ ...c, a: c.a * opacity }, bg), bg), needed: 3 });
  };
  for (const el of document.querySelectorAll('.swatch')) mark(el, getComputedStyle(el).backgroundColor);
  for (const el of document.querySelectorAll(
    '[data-sampler] line, [data-sampler] circle, [data-testid=prior-chart] rect, .recharts-line-curve, .recharts-line-dot, [data-testid=hypervolume-chart] polyline, [data-testid=subnet-diagram] rect',
  )) {
    const style = getComputedStyle(el);
    if (style.stroke && style.stroke !== 'none') mark(el, style.stroke, Number(style.strokeOpacity));
    else mark(el, style.fill, Number(style.fillOpacity));
  }
  const failing = (list) => list.filter((x) => x.ratio < x.needed);
  return {
    text: text.length,
    graphics: graphics.length,
    lowestText: text.sort((a, b) => a.ratio - b.ratio)[0] ?? null,
    lowestGraphic: graphics.sort((a, b) => a.ratio - b.ratio)[0] ?? null,
    failures: [...failing(text), ...failing(graphics)],
  };
}
