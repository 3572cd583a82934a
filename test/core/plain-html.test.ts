// The plain-HTML reader must give exactly the events htmlparser2 gives for what it accepts (the
// sanitiser's output is built from those events), and must decline everything else.
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { readPlainHtml, type HtmlHandler } from '../../shared/core/plain-html.ts';

type Event = ['open', string, string] | ['close', string] | ['text', string];

function recorder(): HtmlHandler & { events: Event[] } {
  const events: Event[] = [];
  return {
    events,
    onopentag: (name, attribs) => void events.push(['open', name, JSON.stringify(Object.entries(attribs))]),
    onclosetag: (name) => void events.push(['close', name]),
    // Text may come in pieces (htmlparser2 splits it at references): only the joined text counts.
    ontext: (data) => {
      const last = events[events.length - 1];
      if (last?.[0] === 'text') last[1] += data;
      else events.push(['text', data]);
    },
  };
}

function byHtmlparser2(html: string): Event[] {
  const r = recorder();
  const parser = new Parser(r, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(html);
  parser.end();
  return r.events;
}

function byPlainReader(html: string): Event[] | undefined {
  const r = recorder();
  return readPlainHtml(html, r) ? r.events : undefined;
}

describe('readPlainHtml', () => {
  it.each([
    '<p>A <strong>study</strong> of case 1, with <a href="/cases/1">annexes</a>.</p>',
    '<P>Upper <B>case</B> <A HREF="x" Title=\'t\' href="y">names</A></P>',
    'text only, with &amp; &lt;b&gt; &quot;refs&quot; &apos;and&apos;&nbsp;&#39;&#x41;&#X42;',
    '<ul><li>one<li>two</ul><p>a<p>b<div>c</div>',
    '<table><tr><td colspan="2">a<td>b<tr><th>c</table>',
    '<h1>a<h2>b</h1>c</h2>',
    '<dl><dt>t<dd>d<dt>u</dl>',
    '</p>stray</b> end tags</li><p>x</p></p>',
    '<br><br/><br /></br><hr><img src="a.png" alt="b"></img><wbr>',
    '<p>long<wbr>word</wbr> and <img src="i.png">caption</p>',
    '<a href="1"><a href="2">nested links</a></a>',
    '<p>unclosed <em>at <strong>the end',
    '<td colspan="2 onmouseover=x" rowspan="3">c</td>',
    '<p\n  class="x"\tid=\'y\'   >spaced</p >',
    '',
  ])('gives the events htmlparser2 gives: %j', (html) => {
    expect(byPlainReader(html)).toEqual(byHtmlparser2(html));
  });

  it.each([
    '<!-- comment --><p>x</p>',
    '<script>alert(1)</script>',
    '<style>p{}</style>',
    '<title>t</title>',
    '<svg><a href="x">y</a></svg>',
    '<form><input></form>',
    '<a href=unquoted>x</a>',
    '<a href = "spaced">x</a>',
    '<a href="x"title="y">no space</a>',
    '<p/x>',
    'AT&T',
    '&copy; 2024',
    '&amp',
    '&#0;',
    '&#x80;',
    '&#xD800;',
    '1 < 2',
    '< p>',
    '<p>cut off <a href="x',
    '<custom-element>x</custom-element>',
    '<![CDATA[x]]>',
    '<a href="a<b">x</a>',
  ])('declines %j (htmlparser2 reads it instead)', (html) => {
    expect(byPlainReader(html)).toBeUndefined();
  });

  it('agrees with htmlparser2 on thousands of generated fragments, accepting most plain ones', () => {
    const pieces = [
      'a', 'b c', ' ', '\n', '\r\n', '\t', '.', '>', '"', "'", '=', '/', 'é', '\u00a0', '😀', '&amp;', '&lt;', '&gt;', '&quot;',
      '&apos;', '&nbsp;', '&#65;', '&#x263A;', '&#10;', '<p>', '</p>', '<P>', '<b>', '</B>', '<strong>', '</strong>', '<em>', '</em>',
      '<a href="/x?a=1&amp;b=2">', '<a href=\'https://e.example/\' title="T &amp; U">', '</a>', '<br>', '<br/>', '</br>', '<hr>', '<wbr>',
      '<img src="i.png">', '</img>', '<ul>', '</ul>', '<ol>', '<li>', '</li>', '<table>', '<tr>', '<td>', '<th>', '</td>', '</tr>',
      '</table>', '<tbody>', '<thead>', '<tfoot>', '<h1>', '</h1>', '<h3>', '</h3>', '<div>', '</div>', '<span class="c">', '</span>',
      '<blockquote>', '</blockquote>', '<pre>', '</pre>', '<code>', '</code>', '<dl>', '<dt>', '<dd>', '</dl>', '<sub>', '<sup>',
      '<td colspan="3">', '<p id="1" ID="2">', '<section>', '</section>', '<figure>', '<figcaption>', '</figure>',
    ];
    let seed = 20240601;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let accepted = 0;
    const cases = 4000;
    for (let n = 0; n < cases; n++) {
      const length = Math.floor(random() * 16);
      let html = '';
      for (let k = 0; k < length; k++) html += pieces[Math.floor(random() * pieces.length)];
      const plain = byPlainReader(html);
      if (plain === undefined) continue;
      accepted++;
      expect(plain, html).toEqual(byHtmlparser2(html));
    }
    expect(accepted).toBeGreaterThan(cases * 0.9);
  });
});
