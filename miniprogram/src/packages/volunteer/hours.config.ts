export default definePageConfig({
  navigationBarTitleText: '时长与积分',
  enablePullDownRefresh: true,
  onReachBottomDistance: 120,
});
