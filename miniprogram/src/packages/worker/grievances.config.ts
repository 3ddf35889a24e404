export default definePageConfig({
  navigationBarTitleText: '诉求工作台',
  enablePullDownRefresh: true,
  onReachBottomDistance: 120,
});
