export default definePageConfig({ navigationBarTitleText: '阵地预约管理', enablePullDownRefresh: true });
