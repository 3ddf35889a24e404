export default definePageConfig({
  navigationBarTitleText: '未到场名单',
  enablePullDownRefresh: true,
  onReachBottomDistance: 120,
});
