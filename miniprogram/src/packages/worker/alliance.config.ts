export default definePageConfig({
  navigationBarTitleText: '区域化党建工作台',
  enablePullDownRefresh: true,
  onReachBottomDistance: 120,
});
