export default definePageConfig({ navigationBarTitleText: '党员责任区' });
