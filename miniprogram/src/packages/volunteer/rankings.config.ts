export default definePageConfig({
  navigationBarTitleText: '服务排行',
  enablePullDownRefresh: true,
});
