// A strict, small XML 1.0 parser for tests (Bun has no DOMParser): it throws on anything that is not
// well-formed and returns a tree with decoded text, so a test can assert both "this is valid SVG" and
// "the hostile name came out as exactly this text". No DTDs, no namespaces resolution: tests need neither.

export type XmlElement = { name: string; attributes: Record<string, string>; children: XmlNode[] };
export type XmlNode = XmlElement | string;

const NAME = /[A-Za-z_:][A-Za-z0-9._:-]*/y;
const SPACE = /[ \t\r\n]*/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class XmlError extends Error {}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Parses `source` as a complete XML document and returns its root element; throws XmlError if malformed. */
export function parseXml(source: string): XmlElement {
  for (let i = 0; i < source.length; i++) {
    const cp = source.codePointAt(i) ?? 0;
    if (!isXmlChar(cp)) throw new XmlError(`character U+${cp.toString(16)} at ${i} is not allowed in XML`);
    if (cp > 0xffff) i++;
  }
  let pos = 0;

  const fail = (message: string): never => {
    throw new XmlError(`${message} at ${pos}: ${JSON.stringify(source.slice(pos, pos + 30))}`);
  };
  const skipSpace = () => {
    SPACE.lastIndex = pos;
    SPACE.exec(source);
    pos = SPACE.lastIndex;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(source);
    if (!m) fail('expected a name');
    pos = NAME.lastIndex;
    return (m as RegExpExecArray)[0];
  };
  const decode = (raw: string, where: number): string =>
    raw.replace(/&([^;]*);?/g, (match, ref: string) => {
      if (!match.endsWith(';')) throw new XmlError(`unterminated reference near ${where}`);
      if (ref in PREDEFINED) return PREDEFINED[ref] as string;
      const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
      if (!num) throw new XmlError(`unknown entity &${ref}; near ${where}`);
      const cp = num[1] !== undefined ? Number.parseInt(num[1], 16) : Number(num[2]);
      if (!isXmlChar(cp)) throw new XmlError(`reference to a non-XML character near ${where}`);
      return String.fromCodePoint(cp);
    });
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (source.startsWith('<!--', pos)) readComment();
      else if (source.startsWith('<?', pos)) readPi();
      else return;
    }
  };
  const readComment = () => {
    const end = source.indexOf('-->', pos + 4);
    if (end < 0) fail('unterminated comment');
    if (source.slice(pos + 4, end).includes('--')) fail('"--" inside a comment');
    pos = end + 3;
  };
  const readPi = () => {
    const end = source.indexOf('?>', pos + 2);
    if (end < 0) fail('unterminated processing instruction');
    pos = end + 2;
  };

  const readElement = (): XmlElement => {
    if (source[pos] !== '<') fail('expected an element');
    pos++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (source.startsWith('/>', pos)) {
        pos += 2;
        return { name, attributes, children: [] };
      }
      if (source[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) fail('expected whitespace before an attribute');
      const attr = readName();
      skipSpace();
      if (source[pos] !== '=') fail('expected "="');
      pos++;
      skipSpace();
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
      const end = source.indexOf(quote as string, pos + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = source.slice(pos + 1, end);
      if (raw.includes('<')) fail('"<" inside an attribute value');
      if (Object.hasOwn(attributes, attr)) fail(`duplicate attribute ${attr}`);
      Object.defineProperty(attributes, attr, { value: decode(raw, pos), enumerable: true, writable: true });
      pos = end + 1;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (pos >= source.length) fail(`unclosed element <${name}>`);
      if (source.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (source[pos] !== '>') fail('expected ">"');
        pos++;
        return { name, attributes, children };
      }
      if (source.startsWith('<!--', pos)) readComment();
      else if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos);
        if (end < 0) fail('unterminated CDATA');
        children.push(source.slice(pos + 9, end));
        pos = end + 3;
      } else if (source.startsWith('<?', pos)) readPi();
      else if (source[pos] === '<') children.push(readElement());
      else {
        const next = source.indexOf('<', pos);
        const end = next < 0 ? source.length : next;
        const raw = source.slice(pos, end);
        if (raw.includes(']]>')) fail('"]]>" in text');
        children.push(decode(raw, pos));
        pos = end;
      }
    }
  };

  if (source.startsWith('<?xml', 0)) readPi();
  skipMisc();
  if (source.startsWith('<!DOCTYPE', pos)) fail('DOCTYPE is not supported');
  const root = readElement();
  skipMisc();
  if (pos !== source.length) fail('content after the root element');
  return root;
}

/** All descendant elements (and the element itself) with this name, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = element.name === name ? [element] : [];
  for (const child of element.children) if (typeof child !== 'string') found.push(...findAll(child, name));
  return found;
}

/** The decoded text inside an element. */
export function textContent(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}
