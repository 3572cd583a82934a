// Whole outputs recorded from the parser before it was made faster (publication ids are stored,
// so they must never change): the benchmark's shape of feed, and a feed full of characters XML
// does not allow, whose ids come from the values as read and whose output has none of them.
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../shared/core/parse.ts';
import { publicationFeed } from '../../bench/fixtures.ts';

const FEED_URL = 'https://www.example.org/feed';

/** Same data and the same key order (the order shows in stored and served JSON). */
function expectRecorded(actual: unknown, recorded: unknown): void {
  expect(actual).toStrictEqual(recorded);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(recorded));
}

describe('parseFeed output, as recorded', () => {
  it('is unchanged for an RSS publication feed', () => {
    expectRecorded(parseFeed({ body: Buffer.from(publicationFeed(2, 'rss')), contentType: 'application/xml; charset=utf-8', url: FEED_URL }), RSS);
  });

  it('is unchanged for an Atom publication feed', () => {
    expectRecorded(parseFeed({ body: Buffer.from(publicationFeed(2, 'atom')), contentType: 'application/xml; charset=utf-8', url: FEED_URL }), ATOM);
  });

  it('is unchanged for a feed with XML-illegal characters, ids included', () => {
    expectRecorded(parseFeed({ body: ILLEGAL_DOC, url: 'https://ill.example/feed' }), ILLEGAL);
  });
});

const RSS = {
  "format": "rss",
  "version": "rss 2.0",
  "title": "Member publications",
  "link": "https://www.example.org/",
  "description": "Papers",
  "language": "en",
  "items": [
    {
      "id": "p2aiupao62wfcwnfuo3yb62rfn4",
      "guid": "pub-0",
      "title": "Report 0: trafficking in persons & forced labour in supply chains",
      "link": "https://www.example.org/publications/0",
      "published": {
        "iso": "2026-01-01T00:00:00.000Z",
        "raw": "Thu, 01 Jan 2026 00:00:00 GMT"
      },
      "summary": "<p>A <strong>study</strong> of case 0, with <a href=\"https://www.example.org/cases/0\">annexes</a> and recommendations for prosecutors, labour inspectors and victim services.</p>",
      "text": "A study of case 0, with annexes and recommendations for prosecutors, labour inspectors and victim services.",
      "authors": [],
      "categories": [
        "Research",
        "Forced labour"
      ],
      "enclosures": [
        {
          "url": "https://www.example.org/files/0.pdf",
          "type": "application/pdf",
          "length": 100000
        }
      ],
      "language": "en"
    },
    {
      "id": "poiw2diydk4ehr2cy4q6r4oesmq",
      "guid": "pub-1",
      "title": "Report 1: trafficking in persons & forced labour in supply chains",
      "link": "https://www.example.org/publications/1",
      "published": {
        "iso": "2026-01-01T01:00:00.000Z",
        "raw": "Thu, 01 Jan 2026 01:00:00 GMT"
      },
      "summary": "<p>A <strong>study</strong> of case 1, with <a href=\"https://www.example.org/cases/1\">annexes</a> and recommendations for prosecutors, labour inspectors and victim services.</p>",
      "text": "A study of case 1, with annexes and recommendations for prosecutors, labour inspectors and victim services.",
      "authors": [],
      "categories": [
        "Research",
        "Forced labour"
      ],
      "enclosures": [
        {
          "url": "https://www.example.org/files/1.pdf",
          "type": "application/pdf",
          "length": 100001
        }
      ],
      "language": "en"
    }
  ],
  "warnings": []
};

const ATOM = {
  "format": "atom",
  "version": "atom 1.0",
  "title": "Member publications",
  "items": [
    {
      "id": "p2aiupao62wfcwnfuo3yb62rfn4",
      "guid": "tag:example.org,2026:pub-0",
      "title": "Report 0: trafficking in persons & forced labour in supply chains",
      "link": "https://www.example.org/publications/0",
      "published": {
        "iso": "2026-01-01T00:00:00.000Z",
        "raw": "2026-01-01T00:00:00.000Z"
      },
      "updated": {
        "iso": "2026-01-01T00:00:00.000Z",
        "raw": "2026-01-01T00:00:00.000Z"
      },
      "summary": "<p>A <strong>study</strong> of case 0, with <a href=\"https://www.example.org/cases/0\">annexes</a> and recommendations for prosecutors, labour inspectors and victim services.</p>",
      "text": "A study of case 0, with annexes and recommendations for prosecutors, labour inspectors and victim services.",
      "authors": [],
      "categories": [
        "Research"
      ],
      "enclosures": [
        {
          "url": "https://www.example.org/files/0.pdf",
          "type": "application/pdf",
          "length": 100000
        }
      ]
    },
    {
      "id": "poiw2diydk4ehr2cy4q6r4oesmq",
      "guid": "tag:example.org,2026:pub-1",
      "title": "Report 1: trafficking in persons & forced labour in supply chains",
      "link": "https://www.example.org/publications/1",
      "published": {
        "iso": "2026-01-01T01:00:00.000Z",
        "raw": "2026-01-01T01:00:00.000Z"
      },
      "updated": {
        "iso": "2026-01-01T01:00:00.000Z",
        "raw": "2026-01-01T01:00:00.000Z"
      },
      "summary": "<p>A <strong>study</strong> of case 1, with <a href=\"https://www.example.org/cases/1\">annexes</a> and recommendations for prosecutors, labour inspectors and victim services.</p>",
      "text": "A study of case 1, with annexes and recommendations for prosecutors, labour inspectors and victim services.",
      "authors": [],
      "categories": [
        "Research"
      ],
      "enclosures": [
        {
          "url": "https://www.example.org/files/1.pdf",
          "type": "application/pdf",
          "length": 100001
        }
      ]
    }
  ],
  "warnings": []
};

const ILLEGAL_DOC = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T&#1;itle</title><item><title>\ud83d\ude00 two</title><guid>g2</guid><pubDate>not a date \ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00x</pubDate></item><item><title>One</title><guid>g&#1;1</guid><pubDate>Mon, 04 Mar 2024 09:15:30 EST&#2;</pubDate><description>&lt;p&gt;x&amp;#1;y&lt;/p&gt;</description><enclosure url=\"http://e.example/a.mp3\" type=\"audio/mpeg&#3;\" length=\"12\"/></item></channel></rss>";

const ILLEGAL = {
  "format": "rss",
  "version": "rss 2.0",
  "title": "Title",
  "items": [
    {
      "id": "ppcxiv6jdnx5rwk7zdflsovjhqp",
      "guid": "g2",
      "title": "\ud83d\ude00 two",
      "published": {
        "raw": "not a date \ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00x"
      },
      "authors": [],
      "categories": [],
      "enclosures": []
    },
    {
      "id": "poqx3v7xzixrs7lzj2sguzxbw3f",
      "guid": "g1",
      "title": "One",
      "published": {
        "raw": "Mon, 04 Mar 2024 09:15:30 EST"
      },
      "summary": "<p>xy</p>",
      "text": "xy",
      "authors": [],
      "categories": [],
      "enclosures": [
        {
          "url": "http://e.example/a.mp3",
          "type": "audio/mpeg",
          "length": 12
        }
      ]
    }
  ],
  "warnings": [
    "2 dates could not be read (for example \"not a date \ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\"); dates should follow RFC 822 (RSS) or RFC 3339 (Atom, JSON Feed)."
  ]
};
