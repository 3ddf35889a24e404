import { createCipher, dataCipher, DEMO_DATA_SECRET } from '../../cloudfunctions/core/crypto';
import { maskIdNumber, maskMiddle, maskPhone } from '../../cloudfunctions/domain/mask';

describe('masking', () => {
  it('masks a phone number as 3 + 4 stars + 4', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone(' 138-1234-5678 ')).toBe('138****5678');
  });

  it('masks an ID number as 4 + stars + 4', () => {
    expect(maskIdNumber('32010119900101123X')).toBe('3201**********123X');
    expect(maskIdNumber('320101900101123')).toBe('3201*******1123'); // old 15-digit ID
  });

  it.each([
    [null, ''],
    [undefined, ''],
    ['', ''],
    ['1', '****'],
    ['123', '****'],
    ['1234', '****4'],
    ['1234567', '******7'],
    ['12345678', '******78'],
  ])('short or odd phone %p → %p', (input, out) => {
    expect(maskPhone(input)).toBe(out);
  });

  it('never reveals more than the pattern', () => {
    for (let n = 1; n <= 20; n++) {
      const value = 'abcdefghijklmnopqrst'.slice(0, n);
      const masked = maskMiddle(value, 3, 4);
      const shown = masked.replace(/\*/g, '').length;
      // The full pattern needs at least 4 stars in the middle; shorter values show at most a quarter.
      expect(shown).toBeLessThanOrEqual(n >= 11 ? 7 : Math.floor(n / 4));
      expect(masked).toContain('****');
    }
  });
});

describe('field cipher', () => {
  const cipher = createCipher('a-long-random-test-secret-0123456789');

  it('round-trips, including Chinese and empty text', () => {
    for (const plain of ['13812345678', '北京市朝阳区某某小区 3 号楼', '']) {
      const token = cipher.encrypt(plain);
      expect(token).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
      expect(token).not.toContain(plain || '\u0000');
      expect(cipher.decrypt(token)).toBe(plain);
    }
  });

  it('uses a different IV every time', () => {
    const a = cipher.encrypt('13812345678');
    const b = cipher.encrypt('13812345678');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('detects tampering with the ciphertext, tag or IV', () => {
    const token = cipher.encrypt('13812345678');
    const [v, iv, tag, body] = token.split('.');
    const flip = (s: string) => {
      const buf = Buffer.from(s, 'base64url');
      buf[0] ^= 1;
      return buf.toString('base64url');
    };
    for (const bad of [
      [v, iv, tag, flip(body)],
      [v, iv, flip(tag), body],
      [v, flip(iv), tag, body],
    ]) {
      expect(() => cipher.decrypt(bad.join('.'))).toThrow('密文校验失败');
    }
    expect(() => cipher.decrypt('v2.' + token.slice(3))).toThrow('密文格式无效');
    expect(() => cipher.decrypt('not a token')).toThrow('密文格式无效');
    expect(() => cipher.decrypt([v, iv, tag.slice(4), body].join('.'))).toThrow('密文格式无效');
  });

  it('cannot decrypt with another secret', () => {
    const token = cipher.encrypt('13812345678');
    expect(() => createCipher('another-secret-another-secret').decrypt(token)).toThrow('密文校验失败');
  });

  it('keyedHash is stable, keyed, and not the plaintext', () => {
    const h = cipher.keyedHash('13812345678');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.keyedHash('13812345678')).toBe(h);
    expect(createCipher('a-long-random-test-secret-0123456789').keyedHash('13812345678')).toBe(h);
    expect(cipher.keyedHash('13812345679')).not.toBe(h);
    expect(createCipher('another-secret-another-secret').keyedHash('13812345678')).not.toBe(h);
    expect(h).not.toContain('13812345678');
  });

  it('refuses an empty secret', () => {
    expect(() => createCipher('')).toThrow();
  });
});

describe('dataCipher', () => {
  it('uses DATA_SECRET when set', () => {
    const c = dataCipher({ DATA_SECRET: 'c0nfigured+secret/Q2xlYXJseSByYW5kb20gYnl0ZXM=' }, { demo: false });
    expect(createCipher('c0nfigured+secret/Q2xlYXJseSByYW5kb20gYnl0ZXM=').decrypt(c.encrypt('x'))).toBe('x');
  });

  it('falls back to the demo secret only in demo mode', () => {
    const c = dataCipher({}, { demo: true });
    expect(createCipher(DEMO_DATA_SECRET).decrypt(c.encrypt('x'))).toBe('x');
    expect(DEMO_DATA_SECRET).toMatch(/DEMO/);
  });

  it('throws outside demo mode without a secret', () => {
    expect(() => dataCipher({}, { demo: false })).toThrow(
      'DATA_SECRET 未设置：非演示模式必须配置数据加密密钥',
    );
    expect(() => dataCipher({ DATA_SECRET: '  ' }, { demo: false })).toThrow('DATA_SECRET 未设置');
  });
});
