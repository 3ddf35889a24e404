export default definePageConfig({
  navigationBarTitleText: '找志愿服务',
  enablePullDownRefresh: true,
  onReachBottomDistance: 120,
});
