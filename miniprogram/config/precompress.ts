/**
 * H5 build: writes `<asset>.br` (brotli quality 11) and `<asset>.gz` (gzip level 9) beside every
 * text asset of at least 1 KB as it is written out (the final, minified bytes), so the local
 * server (tools/runtime/static-files.ts) sends compressed files without compressing per request.
 * No dependency: Node's zlib.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Compiler } from 'webpack';

const TEXT = /\.(js|css|html|svg|json)$/i;
const MIN_BYTES = 1024;

export class PrecompressPlugin {
  apply(compiler: Compiler): void {
    compiler.hooks.assetEmitted.tap('PrecompressPlugin', (file, { content, targetPath }) => {
      if (!TEXT.test(file) || content.length < MIN_BYTES) return;
      const br = zlib.brotliCompressSync(content, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      });
      fs.writeFileSync(`${targetPath}.br`, br);
      fs.writeFileSync(`${targetPath}.gz`, zlib.gzipSync(content, { level: 9 }));
    });
  }
}
