import { BIDI } from '../files/names';

/**
 * Text as a report prints it (one text for .docx, PDF, HTML and Markdown): a record's words reach the
 * report through list figures, and the template's through the editor. Control characters other than
 * tab and line feed are dropped (XML 1.0 cannot carry them, and Word refuses a file that does), and so
 * are the bidirectional controls, which would let "发票\u202Efdp.exe" print as "发票exe.pdf" in an
 * official document (GB/T 22239-2019 8.1.4.4). Markup characters stay as text: each writer escapes them.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(BIDI, '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g, '');
}
