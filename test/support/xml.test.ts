// The SVG card's tests trust this checker to reject broken XML, so it is tested first.
import { describe, expect, it } from 'bun:test';
import { findAll, parseXml, textContent, XmlError } from './xml.ts';

describe('parseXml (test support)', () => {
  it('parses elements, attributes and decoded text', () => {
    const root = parseXml(`<?xml version="1.0"?><svg a="1 &amp; 2"><!-- c --><text x='3'>&lt;b&gt; &#38; &#x27;</text><g/></svg>`);
    expect(root.name).toBe('svg');
    expect(root.attributes).toEqual({ a: '1 & 2' });
    const [text] = findAll(root, 'text');
    expect(text?.attributes).toEqual({ x: '3' });
    expect(text && textContent(text)).toBe("<b> & '");
    expect(findAll(root, 'g')).toHaveLength(1);
  });

  for (const [what, source] of [
    ['a bare ampersand', '<a>Tom & Jerry</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a "<" in text', '<a>1 < 2</a>'],
    ['a "<" in an attribute', '<a b="<"/>'],
    ['an unquoted attribute', '<a b=1/>'],
    ['a quote closing an attribute early', '<a b="x"y"/>'],
    ['a duplicate attribute', '<a b="1" b="2"/>'],
    ['crossed tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['two roots', '<a/><b/>'],
    ['a control character', '<a>\u0001</a>'],
    ['a reference to a control character', '<a>&#1;</a>'],
    ['a lone surrogate', '<a>\ud800</a>'],
    ['a doctype', '<!DOCTYPE a><a/>'],
    ['text after the root', '<a/>x'],
  ] as const) {
    it(`rejects ${what}`, () => {
      expect(() => parseXml(source)).toThrow(XmlError);
    });
  }
});
