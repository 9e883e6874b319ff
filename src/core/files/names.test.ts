import { describe, expect, it } from 'vitest';
import { cleanFileName, maskFileName } from './names';

describe('cleanFileName', () => {
  it('strips bidirectional controls so a name shows what it is', () => {
    expect(cleanFileName('发票\u202Efdp.exe')).toBe('发票fdp.exe');
    expect(cleanFileName('\u2066a\u2069\u200E\u200F\u061Cb.txt')).toBe('ab.txt');
  });
  it('leaves no path to traverse and no control characters', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(cleanFileName('..\\..\\boot.ini')).toBe('.._.._boot.ini');
    expect(cleanFileName('a\r\nb\u0000.txt')).toBe('a__b_.txt');
    expect(cleanFileName('\u202E')).toBe('附件');
    expect(cleanFileName('长'.repeat(300))).toHaveLength(200);
  });
});

describe('maskFileName', () => {
  it('keeps the first character and the extension, and hides the rest', () => {
    expect(maskFileName('张三身份证.pdf')).toBe('张****.pdf');
    expect(maskFileName('信访件')).toBe('信**');
    expect(maskFileName('a.tar.gz')).toBe('a****.gz');
    expect(maskFileName('王.jpg')).toBe('王*.jpg');
    expect(maskFileName('很长很长很长很长的文件名.docx')).toBe('很******.docx');
  });
});
