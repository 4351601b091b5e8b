/**
 * JSON.parse turns integers above 2^53 into nearby doubles: a Shopify id such as 9007199254740993
 * would silently become …992. This parser first quotes every integer literal outside a string that
 * is not a safe integer, so such ids arrive as exact decimal strings; everything else parses as usual.
 */
export function parseJsonKeepingBigIds(text: string): unknown {
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      // Skip the string, honouring escapes.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      const literal = match?.[0] ?? ch;
      if (match && match[1] === undefined && match[2] === undefined && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(last, i)}"${literal}"`;
        last = i + literal.length;
      }
      i += literal.length;
      continue;
    }
    i++;
  }
  return JSON.parse(out + text.slice(last));
}
