export default definePageConfig({ navigationBarTitleText: '会议管理' });
