export default definePageConfig({
  navigationBarTitleText: '单位档案',
  enablePullDownRefresh: true,
});
