export default definePageConfig({
  navigationBarTitleText: '党员年度记录',
  enablePullDownRefresh: true,
});
