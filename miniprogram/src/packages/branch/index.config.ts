export default definePageConfig({ navigationBarTitleText: '我的支部', enablePullDownRefresh: true });
