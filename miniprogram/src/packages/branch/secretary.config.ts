export default definePageConfig({ navigationBarTitleText: '书记工作台' });
