import { describe, expect, it } from 'vitest';
import { html, jsonIsland, raw } from './html.ts';

describe('html escaping', () => {
  const cases: [string, string][] = [
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['"quoted" & \'single\'', '&quot;quoted&quot; &amp; &#39;single&#39;'],
    ['`tick`', '&#96;tick&#96;'],
  ];
  for (const [input, out] of cases) {
    it(`escapes ${input}`, () => {
      expect(html`<p title="${input}">${input}</p>`.value).toBe(`<p title="${out}">${out}</p>`);
    });
  }

  it('keeps markup made by html and raw, escapes arrays item by item', () => {
    expect(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>');
    expect(html`${raw('<br>')}${null}${undefined}${false}${0}`.value).toBe('<br>0');
  });

  it('never lets data end a JSON island early', () => {
    const out = jsonIsland('d', { name: '</script><img src=x onerror=alert(1)>', sep: '\u2028' }).value;
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    expect(out).not.toContain('<img');
    expect(JSON.parse(out.slice(out.indexOf('>') + 1, out.lastIndexOf('</script>')))).toEqual({ name: '</script><img src=x onerror=alert(1)>', sep: '\u2028' });
  });
});
