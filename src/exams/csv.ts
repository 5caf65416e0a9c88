/**
 * Small RFC 4180 CSV: fields with the delimiter, a quote or a line break are quoted; a
 * leading =, +, - or @ is prefixed with ' so that a spreadsheet does not run it as a formula.
 */
export function toCsv(rows: readonly (readonly (string | number | boolean | null)[])[], delimiter = ','): string {
  const field = (value: string | number | boolean | null) => {
    let text = value === null ? '' : String(value);
    if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
    return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return rows.map((row) => row.map(field).join(delimiter)).join('\r\n') + '\r\n';
}

export interface CsvLine {
  /** 1-based line number in the file, for error messages. */
  line: number;
  fields: string[];
}

/**
 * Parses CSV text into lines of fields; the delimiter is `;` when the first line has one
 * (as Dutch spreadsheets write it), else `,`. Blank lines are left out; a byte-order mark is dropped.
 */
export function parseCsv(text: string): { delimiter: string; lines: CsvLine[] } {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') ? ';' : ',';
  const lines: CsvLine[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) lines.push({ line: startLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { delimiter, lines };
}
