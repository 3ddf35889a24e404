export default definePageConfig({
  navigationBarTitleText: '共治项目',
  enablePullDownRefresh: true,
  onReachBottomDistance: 120,
});
