/**
 * Field encryption for personal data (phone numbers and the like): AES-256-GCM with a random
 * 12-byte IV per value, tokens `v1.<iv>.<tag>.<ciphertext>` (base64url). Keys are derived from
 * one secret with HKDF-SHA256: one for encryption, a separate one for `keyedHash` (HMAC-SHA256),
 * which lets the server find equal values (duplicates) without storing plaintext.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = 'tongxin/data-cipher/v1';

/** Used only in demo mode when DATA_SECRET is not set. Never protects real data. */
export const DEMO_DATA_SECRET = 'tongxin-DEMO-ONLY-data-secret--not-for-real-data';

export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  keyedHash(value: string): string;
}

const derive = (secret: string, info: string) => Buffer.from(hkdfSync('sha256', secret, SALT, info, 32));

const b64u = (b: Buffer) => b.toString('base64url');

export function createCipher(secret: string): FieldCipher {
  if (!secret) throw new Error('数据加密密钥不能为空');
  const encKey = derive(secret, 'aes-256-gcm field encryption');
  const macKey = derive(secret, 'hmac-sha256 keyed hash');

  return {
    encrypt(plain: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv, { authTagLength: TAG_BYTES });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, b64u(iv), b64u(cipher.getAuthTag()), b64u(body)].join('.');
    },

    decrypt(token: string): string {
      const parts = typeof token === 'string' ? token.split('.') : [];
      if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('密文格式无效');
      const [, ivText, tagText, bodyText] = parts;
      const iv = Buffer.from(ivText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('密文格式无效');
      const decipher = createDecipheriv('aes-256-gcm', encKey, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      try {
        const plain = Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]);
        return plain.toString('utf8');
      } catch {
        throw new Error('密文校验失败：数据被篡改或密钥不符');
      }
    },

    keyedHash(value: string): string {
      return createHmac('sha256', macKey).update(value, 'utf8').digest('hex');
    },
  };
}

const cache = new Map<string, FieldCipher>();

/**
 * The cipher for stored personal data, keyed by env DATA_SECRET. Demo mode without a secret uses
 * DEMO_DATA_SECRET; any other mode without one refuses to run.
 */
export function dataCipher(
  env: Record<string, string | undefined> = process.env,
  { demo }: { demo: boolean },
): FieldCipher {
  const configured = env.DATA_SECRET?.trim();
  if (!configured && !demo) throw new Error('DATA_SECRET 未设置：非演示模式必须配置数据加密密钥');
  const secret = configured || DEMO_DATA_SECRET;
  let cipher = cache.get(secret);
  if (!cipher) {
    cipher = createCipher(secret);
    cache.set(secret, cipher);
  }
  return cipher;
}
