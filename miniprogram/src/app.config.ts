const isH5 = process.env.TARO_ENV === 'h5';

export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/activity/list',
    'pages/grievance/index',
    'pages/messages/index',
    'pages/me/index',
    'pages/activity/detail',
    'pages/activity/mine',
    ...(isH5 ? ['pages/login/index'] : []),
  ],
  subPackages: [
    {
      root: 'packages/worker',
      name: 'worker',
      pages: [
        // 工作台: today's to-dos with counts, then the tools
        'workbench',
        'publish',
        'participants',
        'grievances',
        'handling',
        'grievance-stats',
        'alliance',
        // 导出 Excel (report function), opened from the pages above and 志愿者管理
        'export',
        // 发送通知 and 未到场名单 (activity function), opened from 报名名单; 未到统计 from the 工作台
        'notice',
        'no-shows',
        // volunteer service (志愿服务) work
        'volunteers',
        'service-publish',
        'checkin-code',
        'attendance',
        'goods',
        'pickup',
        // 数据看板 (report.dashboard)
        'dashboard',
      ],
    },
    {
      root: 'packages/volunteer',
      name: 'volunteer',
      pages: [
        'index',
        'register',
        'services',
        'service',
        'checkin',
        'hours',
        'certificate',
        'verify',
        'mall',
        'redemptions',
        'rankings',
        'my-data',
      ],
    },
    {
      root: 'packages/grievance',
      name: 'grievance',
      pages: ['new', 'detail'],
    },
    {
      // 公示栏 (board function): the community's monthly figures and its notices (公告).
      root: 'packages/board',
      name: 'board',
      pages: ['index', 'notice'],
    },
    {
      // 服务阵地 booking (sites function): sites, a site's free slots, my bookings, managers' approvals.
      root: 'packages/sites',
      name: 'sites',
      pages: ['index', 'detail', 'mine', 'manage', 'setup'],
    },
    {
      // 微心愿 (点单 · 接单 · 评单): residents post, volunteers/members/units take, workers review.
      root: 'packages/service',
      name: 'service',
      pages: ['hall', 'new', 'detail', 'mine', 'queue'],
    },
    {
      root: 'packages/alliance',
      name: 'alliance',
      pages: ['index', 'project', 'my-unit', 'join', 'report', 'unit-record', 'member-record'],
    },
    {
      // Street admin (街道管理员): communities, service sites and workers.
      root: 'packages/admin',
      name: 'admin',
      pages: ['index', 'community', 'staff', 'dashboard'],
    },
    {
      // Party organisation life (issue 16): 我的支部, 会议, 书记工作台, 组织生活达标, 党员责任区
      root: 'packages/branch',
      name: 'branch',
      pages: ['index', 'meeting', 'roster', 'secretary', 'create', 'manage', 'compliance', 'area', 'record'],
    },
    {
      root: 'packages/settings',
      name: 'settings',
      pages: ['notify'],
    },
    // Demo-mode developer tools read the local server (same origin), so they exist only in H5.
    ...(isH5 ? [{ root: 'packages/dev', name: 'dev', pages: ['outbox'] }] : []),
  ],
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#F5F6F8',
    navigationBarBackgroundColor: '#C8161D',
    navigationBarTitleText: '同心圆',
    navigationBarTextStyle: 'white',
    // H5: Taro's navigation bar (title, ← back when there is a page to go back to, ⌂ home on a
    // page opened directly); WeChat draws its own in weapp. utils/a11y names its buttons.
    navigationStyle: 'default',
  },
  tabBar: {
    // weapp: the app's own tab bar (src/custom-tab-bar), which grows in 关怀模式; the list below
    // still declares the tab pages. H5: Taro's tab bar (Taro 4 draws none when custom is set).
    custom: !isH5,
    color: '#666666',
    selectedColor: '#C8161D',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/activity/list',
        text: '活动',
        iconPath: 'assets/tab/activity.png',
        selectedIconPath: 'assets/tab/activity-active.png',
      },
      {
        pagePath: 'pages/grievance/index',
        text: '诉求',
        iconPath: 'assets/tab/grievance.png',
        selectedIconPath: 'assets/tab/grievance-active.png',
      },
      {
        pagePath: 'pages/messages/index',
        text: '消息',
        iconPath: 'assets/tab/message.png',
        selectedIconPath: 'assets/tab/message-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-active.png',
      },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
  // 我要反映 / 发布志愿服务: "使用当前位置" opens WeChat's map picker; 离我最近 and 定位签到 read
  // the position (the check-in is verified on the server against the place).
  ...(isH5
    ? {}
    : {
        requiredPrivateInfos: ['chooseLocation', 'getLocation'],
        permission: {
          'scope.userLocation': { desc: '用于定位签到和查找离你最近的志愿服务' },
        },
      }),
});
