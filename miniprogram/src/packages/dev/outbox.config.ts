export default definePageConfig({
  navigationBarTitleText: '订阅消息记录',
  enablePullDownRefresh: true,
});
