import { describe, expect, it } from 'vitest';
import { escapeHtml, runReportHtml } from '../../src/core/records/run-report';

const png = 'data:image/png;base64,iVBORw0KGgo=';

describe('runReportHtml', () => {
  it('holds the title, figures, tables and config, self-contained', () => {
    const html = runReportHtml({
      title: 'run <1>',
      generated: 'made now',
      config: { seed: 3, name: 'a "b"' },
      sections: [
        {
          heading: 'Loss',
          figure: { src: png, alt: 'loss' },
          table: {
            columns: ['step', 'loss'],
            rows: [
              [1, 2.302585093],
              [2, NaN],
            ],
          },
        },
      ],
    });
    expect(html).toContain('<title>run &lt;1&gt;</title>');
    expect(html).toContain(`<img src="${png}" alt="loss">`);
    expect(html).toContain('<td>2.30259</td>');
    expect(html).toContain('&quot;seed&quot;: 3');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
  it('escapes the user text of names and cells', () => {
    const html = runReportHtml({
      title: 't',
      generated: '',
      config: {},
      sections: [{ heading: '<img onerror=x>', table: { columns: ['a&b'], rows: [['</td><script>']] } }],
    });
    expect(html).not.toContain('<img onerror');
    expect(html).not.toContain('<script>');
    expect(html).toContain('a&amp;b');
  });
  it('refuses a figure that is not an image data URL', () => {
    expect(() =>
      runReportHtml({
        title: 't',
        generated: '',
        config: {},
        sections: [{ heading: 'x', figure: { src: 'https://evil/x.png', alt: '' } }],
      }),
    ).toThrow(/data URL/);
  });
  it('escapes all five special characters', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
