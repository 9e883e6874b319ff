/**
 * A small XML reader for the WordprocessingML a .docx holds (well-formed, no DTD), so tests and
 * tools can inspect generated documents without another dependency.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const re = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(xml))) {
    if (m.index !== last) throw new Error(`XML: unexpected content at ${last}`);
    last = re.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) top.children.push(m[1]);
    else if (m[3] !== undefined) {
      if (m[2] === '/') {
        const open = stack.pop();
        if (!open || open.name !== m[3]) throw new Error(`XML: </${m[3]}> does not close <${open?.name}>`);
        continue;
      }
      const attrs: Record<string, string> = {};
      for (const a of (m[4] ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
      const el: XmlElement = { name: m[3], attrs, children: [] };
      top.children.push(el);
      if (m[5] !== '/') stack.push(el);
    } else if (m[6] !== undefined) {
      if (stack.length > 1) top.children.push(decode(m[6]));
    }
  }
  if (last !== xml.length || stack.length !== 1) throw new Error('XML: unclosed elements');
  return root;
}

export function elements(node: XmlElement): XmlElement[] {
  return node.children.filter((c): c is XmlElement => typeof c !== 'string');
}

/** Every descendant element with this name, in document order. */
export function findAll(node: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (n: XmlElement) => {
    for (const c of elements(n)) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

export function find(node: XmlElement, name: string): XmlElement | undefined {
  return findAll(node, name)[0];
}

/** Concatenated text of every `w:t` below the node. */
export function wText(node: XmlElement): string {
  return findAll(node, 'w:t')
    .map((t) => t.children.filter((c): c is string => typeof c === 'string').join(''))
    .join('');
}
