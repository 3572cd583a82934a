import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { collapseWhitespace } from '../../shared/core/text.ts';
import { SUMMARY_HTML_MAX, TEXT_MAX, htmlToText, sanitizeSummary, summarise, summariseText } from '../../shared/core/sanitize.ts';

describe('sanitizeSummary', () => {
  it('removes scripts, styles, frames, forms, images, event handlers and style attributes', () => {
    const out = sanitizeSummary(
      '<p style="color:red" onclick="x()">Hi <img src="https://t.example.net/p.gif" onerror="alert(1)"><b onmouseover="y()">there</b></p>' +
        '<script>alert(1)</script><style>p{}</style><iframe src="https://e.example.net">fallback</iframe>' +
        '<form action="https://e.example.net"><input name="q"><button>Go</button></form><svg><script>alert(2)</script></svg>',
    );
    expect(out).toBe('<p>Hi <b>there</b></p><p>Go</p>');
    expect(out).not.toMatch(/script|style|iframe|img|onerror|onclick|form|input|svg/i);
  });

  it('keeps only http, https and mailto links, made absolute against the base', () => {
    const out = sanitizeSummary(
      '<a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a> <a href="vbscript:x">vb</a> ' +
        '<a href="../rel?x=1#f" title="T" target="_blank" rel="opener">rel</a> <a href="mailto:a@example.org">mail</a> ' +
        '<a href="//cdn.example.net/x">proto</a> <a href=" JaVaScRiPt:alert(1)">js2</a>',
      'https://example.org/a/b/',
    );
    expect(out).toBe(
      'js data vb <a href="https://example.org/a/rel?x=1#f" title="T">rel</a> <a href="mailto:a@example.org">mail</a> ' +
        '<a href="https://cdn.example.net/x">proto</a> js2',
    );
  });

  it('drops relative links when there is no base, keeping their text', () => {
    expect(sanitizeSummary('<p><a href="/x">text</a></p>')).toBe('<p>text</p>');
  });

  it('keeps the allowed structure and turns h1 into h2', () => {
    const html = '<h1>T</h1><ul><li><em>a</em></li></ul><blockquote>q</blockquote><pre><code>x &lt; y</code></pre><table><tr><td colspan="2">c</td></tr></table><abbr title="World Health Organization">WHO</abbr><sub>2</sub>';
    expect(sanitizeSummary(html)).toBe(
      '<h2>T</h2><ul><li><em>a</em></li></ul><blockquote>q</blockquote><pre><code>x &lt; y</code></pre><table><tr><td colspan="2">c</td></tr></table><abbr title="World Health Organization">WHO</abbr><sub>2</sub>',
    );
  });
});

// ReliefWeb's description, as its feed writes it.
const RELIEFWEB =
  '<div class="tag country">Country: Ukraine</div><div class="tag source">Sources: Danish Refugee Council, Danish Demining Group</div>' +
  '<p><img src="https://reliefweb.example/preview.png" alt=""></p><p>Please refer to the attached files.</p>';

describe('sanitizeSummary: dropped blocks keep their boundary, empty elements go', () => {
  it('turns loose text between dropped blocks into paragraphs and drops the image\'s empty paragraph', () => {
    expect(sanitizeSummary(RELIEFWEB)).toBe(
      '<p>Country: Ukraine</p><p>Sources: Danish Refugee Council, Danish Demining Group</p><p>Please refer to the attached files.</p>',
    );
  });

  it('wraps the text before and after a dropped block too', () => {
    expect(sanitizeSummary('Intro <section>Body</section> Outro')).toBe('<p>Intro</p><p>Body</p><p>Outro</p>');
    expect(sanitizeSummary('a<hr>b')).toBe('<p>a</p><p>b</p>');
    expect(sanitizeSummary('<figure><img src="x.png"><figcaption>Caption</figcaption></figure>Text')).toBe('<p>Caption</p><p>Text</p>');
    expect(sanitizeSummary('<blockquote><div>a</div><div>b</div></blockquote>')).toBe('<blockquote><p>a</p><p>b</p></blockquote>');
    expect(sanitizeSummary('<div>a <em>b</em><br>c</div><div>d</div>')).toBe('<p>a <em>b</em><br />c</p><p>d</p>');
  });

  it('uses a line break where a paragraph cannot go', () => {
    expect(sanitizeSummary('<ul><li><div>a</div><div>b</div></li></ul>')).toBe('<ul><li>a<br />b</li></ul>');
    expect(sanitizeSummary('<p><strong><span>Country:</span><dl><dt>x</dt><dd>y</dd></dl></strong></p>')).toBe('<p><strong>Country:<br />x<br />y</strong></p>');
    expect(sanitizeSummary('<table><tr><td><div>a</div><div>b</div></td></tr></table>')).toBe('<table><tr><td>a<br />b</td></tr></table>');
  });

  it('adds nothing at the edges or where a kept block already ends the line', () => {
    expect(sanitizeSummary('<div><p>a</p></div><div><p>b</p></div>')).toBe('<p>a</p><p>b</p>');
    expect(sanitizeSummary('<div><div>a</div></div>')).toBe('<p>a</p>');
    expect(sanitizeSummary('<ul><li>a</li></ul><div>b</div>')).toBe('<ul><li>a</li></ul><p>b</p>');
    expect(sanitizeSummary('<p>plain</p>')).toBe('<p>plain</p>');
  });

  it('drops elements left without text, keeping table cells in their place', () => {
    expect(sanitizeSummary('<p><a href="https://x.example/"><img src="https://x.example/i.png"></a></p><p>&nbsp;</p><ul><li> </li></ul><h2><br></h2>')).toBe('');
    expect(sanitizeSummary('<p>a</p><p></p><p>b</p>')).toBe('<p>a</p><p>b</p>');
    expect(sanitizeSummary('<table><tr><td></td><td>x</td></tr><tr><td></td></tr></table>')).toBe('<table><tr><td></td><td>x</td></tr></table>');
    expect(sanitizeSummary('<em>a</em><b> </b><em>b</em>')).toBe('<em>a</em> <em>b</em>');
    // An empty paragraph goes, but the lines it separated stay apart.
    expect(sanitizeSummary('a</p>b')).toBe('<p>a</p><p>b</p>');
    expect(sanitizeSummary('<li>a<p><img src="x.png"></p>b</li>')).toBe('<li>a<br />b</li>');
  });

  it('drops a comment without a trace', () => {
    expect(sanitizeSummary(`${RELIEFWEB}<!-- -->`)).toBe(sanitizeSummary(RELIEFWEB));
  });
});

describe('sanitizeSummary on broken markup', () => {
  it('closes what it opened and ignores stray end tags, so the output is always well-formed', () => {
    expect(sanitizeSummary('<p><b>bold <i>both')).toBe('<p><b>bold <i>both</i></b></p>');
    // A stray </p> is an empty paragraph in HTML (as in browsers), dropped as empty; other stray end tags vanish.
    expect(sanitizeSummary('</p>stray</b> text<p>x</li></p>')).toBe('stray text<p>x</p>');
    expect(sanitizeSummary('<a href="javascript:x"><b>kept</b></a> <a href="https://e.org/?a=1&b=&quot;2&quot;">q</a>')).toBe(
      '<b>kept</b> <a href="https://e.org/?a=1&amp;b=%222%22">q</a>',
    );
  });

  it('escapes text that looks like markup and keeps nothing of comments or CDATA', () => {
    expect(sanitizeSummary('1 &lt; 2 &amp;&amp; <!-- <script>x</script> --> 3 > 2<![CDATA[<b>]]>')).toBe('1 &lt; 2 &amp;&amp;  3 &gt; 2');
    expect(sanitizeSummary('<td colspan="2 onmouseover=x" rowspan="3">c</td>')).toBe('<td rowspan="3">c</td>');
  });
});

describe('htmlToText', () => {
  it('removes tags, decodes entities and collapses whitespace, with block boundaries as spaces', () => {
    expect(htmlToText('<p>One&nbsp;&amp;&#160;two</p><p>Three&lt;4&gt;</p>\n\n<div>five<br>six</div>')).toBe('One & two Three<4> five six');
    expect(htmlToText('<script>x()</script>Visible <style>.a{}</style>text')).toBe('Visible text');
    expect(htmlToText('  plain   text  ')).toBe('plain text');
    expect(htmlToText(RELIEFWEB)).toBe('Country: Ukraine Sources: Danish Refugee Council, Danish Demining Group Please refer to the attached files.');
    expect(htmlToText('<figure>a</figure><dl><dt>b</dt></dl><address>c</address><center>d</center><caption>e</caption>f')).toBe('a b c d e f');
  });
});

describe('summarise', () => {
  it('returns sanitised HTML and its plain text', () => {
    expect(summarise('<p>Hello <a href="/w">world</a></p>', 'https://example.org/')).toEqual({
      summary: '<p>Hello <a href="https://example.org/w">world</a></p>',
      text: 'Hello world',
    });
  });

  it('replaces a summary over 8,000 characters of HTML by a short escaped paragraph', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
    const html = `<p>${words} &lt;tag&gt;</p>`;
    expect(sanitizeSummary(html).length).toBeGreaterThan(SUMMARY_HTML_MAX);
    const { summary, text } = summarise(html);
    expect(text?.length).toBeLessThanOrEqual(TEXT_MAX + 1);
    expect(text?.endsWith('…')).toBe(true);
    // Cut at a word boundary: the last word before the ellipsis is a whole one.
    expect(words.split(' ')).toContain(text?.slice(0, -1).split(' ').pop());
    expect(summary).toBe(`<p>${text}</p>`);
  });

  it('always caps the text near 1,000 characters, keeping a shorter summary HTML as it is', () => {
    const html = `<p>${'abc '.repeat(600)}</p>`;
    const { summary, text } = summarise(html);
    expect(summary).toBe(html);
    expect(text?.length).toBeLessThanOrEqual(TEXT_MAX + 1);
    expect(text?.endsWith('abc…')).toBe(true);
  });

  it('returns nothing for markup without text', () => {
    expect(summarise('<p> <img src="x.png"> </p>')).toEqual({});
  });
});

describe('summariseText', () => {
  it('escapes plain text and keeps its paragraphs', () => {
    expect(summariseText('First <b> & line\n\nSecond\n para')).toEqual({
      summary: '<p>First &lt;b&gt; &amp; line</p><p>Second para</p>',
      text: 'First <b> & line Second para',
    });
  });
});

describe('text without markup', () => {
  it('is read without the HTML parser, with the same result', () => {
    // Without '<' and without an '&' that could start a reference (as in "&amp" or "&#38;"),
    // htmlparser2 gives the text back unchanged; with them, the parser is used. Both must agree.
    const pieces = ['a', 'B', ' ', '  ', '\n', '\t', '&', '& ', '&;', '&&', ';', '#', '>', '"', "'", 'é', '\u00a0', '\u0001', '😀', 'amp', 'lt;', 'copy', '#38;', 'x41;'];
    let seed = 8080;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 3000; n++) {
      const s = Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      let parsed = '';
      const parser = new Parser({ ontext: (data) => void (parsed += data) }, { decodeEntities: true });
      parser.end(s);
      expect(htmlToText(s), s).toBe(collapseWhitespace(parsed));
      const { summary, text } = summarise(s);
      expect(text ?? '', s).toBe(collapseWhitespace(parsed));
      if (text) expect(summary, s).toBe(sanitizeSummary(s));
    }
  });
});
