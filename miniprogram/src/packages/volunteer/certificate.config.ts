export default definePageConfig({
  navigationBarTitleText: '星级与证明',
  enablePullDownRefresh: true,
});
