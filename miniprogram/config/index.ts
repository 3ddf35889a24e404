import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';
import { PrecompressPlugin } from './precompress';

/**
 * Taro's design width is 750 (sizes written in px = rpx); NutUI's styles are written for 375,
 * so files from @nutui are transformed with designWidth 375 (NutUI's Taro guide).
 */
function designWidth(input?: unknown): number {
  const file = (input as { file?: string } | undefined)?.file;
  if (file && file.replace(/\\+/g, '/').includes('@nutui')) return 375;
  return 750;
}

/** Pure domain rules the app uses as they are (Taro compiles only src/ otherwise). */
const SHARED_DOMAIN = {
  include: [path.resolve(__dirname, '..', '..', 'cloudfunctions', 'domain', 'grievance-duplicate.ts')],
};

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'tongxin',
    date: '2025-1-1',
    designWidth,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    outputRoot: process.env.TARO_ENV === 'h5' ? 'dist-h5' : 'dist',
    // plugin-html: NutUI renders HTML tags (div/span/button) that mini-program templates need mapped.
    plugins: ['@tarojs/plugin-html', path.resolve(__dirname, '..', 'plugins', 'weapp-a11y.js')],
    defineConstants: {},
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
    },
    // H5: the favicon (index.html links /favicon.svg).
    copy: {
      patterns:
        process.env.TARO_ENV === 'h5' ? [{ from: 'src/assets/favicon.svg', to: 'dist-h5/favicon.svg' }] : [],
      options: {},
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: SHARED_DOMAIN,
      // Keep vendors/common code used only by subpackages out of the main package.
      optimizeMainPackage: { enable: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      compile: SHARED_DOMAIN,
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      esnextModules: ['nutui-react'],
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      webpackChain(chain) {
        // Pages are lazy chunks; Taro splits only initial chunks, so without a cache group for
        // async chunks each page carries its own copy of NutUI and the Taro web components.
        // Shared code is split by the set of pages that use it (webpack's own algorithm, no
        // forced single chunk): a page loads only the modules it needs, subpackage-only code
        // (qrcode, worker tables) stays out of the home page.
        const current = (chain.optimization.get('splitChunks') || {}) as {
          cacheGroups?: Record<string, unknown>;
          [option: string]: unknown;
        };
        chain.optimization.splitChunks({
          ...current,
          cacheGroups: {
            ...(current.cacheGroups || {}),
            pagesShared: {
              chunks: 'async',
              minChunks: 2,
              minSize: 8000,
              priority: 5,
              reuseExistingChunk: true,
            },
          },
        });
        // No page uses <Swiper>; keep the Swiper library out of the bundle (see stubs/swiper.js).
        chain.resolve.alias.set('swiper/bundle$', path.resolve(__dirname, 'stubs', 'swiper.js'));
        // br + gzip copies of every text asset, served by tools/runtime/static-files.ts.
        chain.plugin('precompress').use(PrecompressPlugin);
      },
      postcss: {
        pxtransform: { enable: true, config: {} },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
