/**
 * Where a JSON text stops being JSON: the offset of the first character that breaks the grammar
 * (RFC 8259), or null when the text is valid. Node 20's JSON.parse often says only which token was
 * unexpected, and a person fixing a file needs the line. Pure.
 */
const WS = new Set([' ', '\t', '\n', '\r']);

class Bad extends Error {
  constructor(readonly at: number) {
    super('bad json');
  }
}

export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && WS.has(text[i] as string)) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c) throw new Bad(i);
    i++;
  };
  const string = () => {
    expect('"');
    while (text[i] !== '"') {
      if (i >= text.length || text.charCodeAt(i) < 0x20) throw new Bad(i);
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) throw new Bad(i);
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) throw new Bad(i);
      }
      i++;
    }
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect('}');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect(']');
      }
    }
    if (c === '"') return string();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) throw new Bad(i);
    i += m[0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : null;
  } catch (err) {
    if (err instanceof Bad) return err.at;
    throw err;
  }
}
