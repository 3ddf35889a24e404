export default definePageConfig({
  navigationBarTitleText: '我的单位',
  enablePullDownRefresh: true,
  onReachBottomDistance: 120,
});
