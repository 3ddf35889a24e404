/**
 * H5 stand-in for `swiper/bundle`. Taro's web components register every built-in component,
 * so <Swiper> pulls the whole Swiper library (~160 KB) into the bundle although no page of this
 * app uses it. If a page ever uses <Swiper>, remove the alias in config/index.ts.
 */
export default class SwiperUnavailable {
  constructor() {
    throw new Error('Swiper is not bundled in the H5 build (see miniprogram/config/stubs/swiper.js)');
  }
}
