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

/** How an operator makes a good secret; part of every weak- or missing-secret error. */
export const SECRET_HOWTO =
  "生成方法：node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\" 或 openssl rand -hex 32";

/**
 * The bytes of randomness a secret carries, read as hex (64+ characters) or base64/base64url; 0
 * when it is neither or looks like a repeated pattern (fewer than 8 distinct characters).
 */
export function secretBytes(value: string): number {
  const v = value.trim();
  if (new Set(v).size < 8) return 0;
  if (/^[0-9a-fA-F]+$/.test(v)) return Math.floor(v.length / 2);
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) return Buffer.from(v, 'base64').length;
  return 0;
}

/** Throws a clear error unless `value` is at least 32 random bytes, hex or base64. */
export function assertStrongSecret(name: string, value: string): void {
  if (secretBytes(value) >= 32) return;
  throw new Error(
    `${name} 太弱：需要至少 32 字节的随机密钥（64 位十六进制或 44 位 base64）。${SECRET_HOWTO}`,
  );
}

/**
 * Real secrets are required outside demo mode, and also for a demo under NODE_ENV=production:
 * the source's demo secret is public, and check-in codes, invite hashes and ID hashes derive from it.
 */
export const requiresRealSecrets = (env: Record<string, string | undefined>, demo: boolean): boolean =>
  !demo || env.NODE_ENV === 'production';

const cache = new Map<string, FieldCipher>();

/**
 * The cipher for stored personal data, keyed by env DATA_SECRET (at least 32 random bytes). Demo
 * mode without a secret uses DEMO_DATA_SECRET, except under NODE_ENV=production; any other mode
 * without a strong secret refuses to run.
 */
export function dataCipher(
  env: Record<string, string | undefined> = process.env,
  { demo }: { demo: boolean },
): FieldCipher {
  const configured = env.DATA_SECRET?.trim();
  const strict = requiresRealSecrets(env, demo);
  if (!configured && strict) {
    throw new Error(
      demo
        ? `DATA_SECRET 未设置：NODE_ENV=production 时即使开启演示模式也必须配置数据加密密钥。${SECRET_HOWTO}`
        : `DATA_SECRET 未设置：非演示模式必须配置数据加密密钥。${SECRET_HOWTO}`,
    );
  }
  const secret = configured || DEMO_DATA_SECRET;
  if (strict) assertStrongSecret('DATA_SECRET', secret);
  let cipher = cache.get(secret);
  if (!cipher) {
    cipher = createCipher(secret);
    cache.set(secret, cipher);
  }
  return cipher;
}
