export default definePageConfig({
  navigationBarTitleText: '我的承办',
  enablePullDownRefresh: true,
  onReachBottomDistance: 120,
});
