export default definePageConfig({ navigationBarTitleText: '开放预约' });
