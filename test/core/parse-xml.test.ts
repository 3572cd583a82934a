// The well-formedness scanner, rewritten for speed, must accept and reject exactly what it did and
// say the same things. The expectations below were recorded from the earlier scanner.
import { describe, expect, it } from 'vitest';
import { scanXml } from '../../shared/core/parse-xml.ts';

type Expected = { error?: string | null; root?: string | null; children: string[]; doctype?: string | null };

const RECORDED: [string, Expected][] = [
  ["<rss><channel><title>A & B</title></channel></rss>", {"error": "an '&' is not written as '&amp;' (line 1, column 24)", "root": "rss", "children": ["channel"], "doctype": null}],
  ["<rss><channel><title>x</title></channel>", {"error": "the document ends before <rss> is closed (it may be cut short) (line 1, column 41)", "root": "rss", "children": ["channel"], "doctype": null}],
  ["<rss><channel></rss>", {"error": "the end tag </rss> does not match the open element <channel> (line 1, column 15)", "root": "rss", "children": ["channel"], "doctype": null}],
  ["</rss>", {"error": "the end tag </rss> has no start tag (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss>text</rss>trailing", {"error": "there is text outside the main element (line 1, column 16)", "root": "rss", "children": [], "doctype": null}],
  ["lead<rss/>", {"error": "there is text outside the main element (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss/><rss/>", {"error": "there is more than one main element (line 1, column 7)", "root": "rss", "children": [], "doctype": null}],
  ["<rss><!-- open </rss>", {"error": "a comment is never closed (line 1, column 6)", "root": "rss", "children": [], "doctype": null}],
  ["<rss><![CDATA[ x </rss>", {"error": "a CDATA section is never closed (line 1, column 6)", "root": "rss", "children": [], "doctype": null}],
  ["<?xml version=\"1.0\"?><rss><?pi </rss>", {"error": "a processing instruction is never closed (line 1, column 27)", "root": "rss", "children": [], "doctype": null}],
  ["<rss><!DOCTYPE x></rss>", {"error": "a declaration appears inside the document (line 1, column 6)", "root": "rss", "children": [], "doctype": null}],
  ["<!DOCTYPE rss [ <!ENTITY a \"b\"> <rss/>", {"error": "the DOCTYPE declaration is never closed (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss a=\"1\"b=\"2\"/>", {"error": "the start tag <rss> is malformed (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss a/>", {"error": "the attribute 'a' of <rss> has no value (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss a=1/>", {"error": "the value of the attribute 'a' of <rss> is not in quotes (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss a=\"1/>", {"error": "the value of the attribute 'a' of <rss> is never closed (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss a=\"<\"/>", {"error": "the value of the attribute 'a' of <rss> contains '<' (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss a=\"&x\"/>", {"error": "the value of the attribute 'a' of <rss> has an '&' not written as '&amp;' (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss a=\"&#x;\"/>", {"error": "the value of the attribute 'a' of <rss> has an '&' not written as '&amp;' (line 1, column 1)", "root": null, "children": [], "doctype": null}],
  ["<rss><item>&#12a;</item></rss>", {"error": "an '&' is not written as '&amp;' (line 1, column 12)", "root": "rss", "children": ["item"], "doctype": null}],
  ["<rss><item>&#x1F600;&amp;&nbsp;&a.b-c:d_e;&#38;</item></rss>", {"error": null, "root": "rss", "children": ["item"], "doctype": null}],
  ["<rss><item></item ></rss>", {"error": null, "root": "rss", "children": ["item"], "doctype": null}],
  ["<rss><item></item x></rss>", {"error": "the end tag </item> is not closed with '>' (line 1, column 12)", "root": "rss", "children": ["item"], "doctype": null}],
  ["<rss>< item/></rss>", {"error": "a '<' is not the start of a tag (write '&lt;' for a literal '<') (line 1, column 6)", "root": "rss", "children": [], "doctype": null}],
  ["<rss><1/></rss>", {"error": "a '<' is not the start of a tag (write '&lt;' for a literal '<') (line 1, column 6)", "root": "rss", "children": [], "doctype": null}],
  ["<r\u00e9ss>\n\n  <\u00e9l\u00b7x>&\u00e9;</\u00e9l\u00b7x></r\u00e9ss>", {"error": "an '&' is not written as '&amp;' (line 3, column 9)", "root": "r\u00e9ss", "children": ["\u00e9l\u00b7x"], "doctype": null}],
  ["<rss>\n<channel>\n<title>Cut", {"error": "the document ends before <title> is closed (it may be cut short) (line 3, column 11)", "root": "rss", "children": ["channel"], "doctype": null}],
  ["<rss><channel", {"error": "the start tag <channel> is never closed (line 1, column 6)", "root": "rss", "children": [], "doctype": null}],
  ["", {"error": "the document has no elements", "root": null, "children": [], "doctype": null}],
  ["   ", {"error": "the document has no elements", "root": null, "children": [], "doctype": null}],
  ["<a:rss xmlns:a=\"u\"><a:x/></a:rss>", {"error": null, "root": "a:rss", "children": ["a:x"], "doctype": null}],
  ["<rss version=\"2.0\">\r\n<channel>\r\n<link>http://x?a=1&b=2</link>\r\n</channel>\r\n</rss>", {"error": "an '&' is not written as '&amp;' (line 3, column 19)", "root": "rss", "children": ["channel"], "doctype": null}],
  ["<!DOCTYPE html><html></html>", {"error": null, "root": "html", "children": [], "doctype": "html"}],
  ["<!DOCTYPE rss [<!ENTITY x \">\">]>\n<rss/>", {"error": null, "root": "rss", "children": [], "doctype": "rss"}],
  ["<?xml version=\"1.0\"?>\n<!-- c --><rss>\u3000</rss>\n", {"error": null, "root": "rss", "children": [], "doctype": null}],
];

describe('scanXml', () => {
  it.each(RECORDED)('%j', (doc, expected) => {
    const scan = scanXml(doc);
    expect({ error: scan.error ?? null, root: scan.root?.name ?? null, children: scan.children.map((c) => c.name), doctype: scan.doctype ?? null }).toEqual({
      error: expected.error ?? null,
      root: expected.root ?? null,
      children: expected.children,
      doctype: expected.doctype ?? null,
    });
  });

  it('keeps the attributes of the root and its children only, as written', () => {
    const scan = scanXml('<rss version="2.0" xml:base="a&amp;b"><channel xml:lang=\'en\'><item x="1"><y z="2"/></item></channel></rss>');
    expect(scan.root).toEqual({ name: 'rss', attrs: { version: '2.0', 'xml:base': 'a&amp;b' } });
    expect(scan.children).toEqual([{ name: 'channel', attrs: { 'xml:lang': 'en' } }]);
  });

  it('reports the position of the first problem in a long document', () => {
    const items = Array.from({ length: 500 }, (_, i) => `<item><title>T ${i} &amp; more</title></item>`).join('\n');
    expect(scanXml(`<rss><channel>\n${items}\n</channel></rss>`).error).toBeUndefined();
    const broken = `<rss><channel>\n${items}\n<item>A & B</item></channel></rss>`;
    expect(scanXml(broken).error).toBe("an '&' is not written as '&amp;' (line 502, column 9)");
  });
});
