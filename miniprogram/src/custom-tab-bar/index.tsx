/**
 * weapp custom tab bar (app.config.ts `tabBar.custom`, weapp only): the same five tabs as the
 * native one, drawn by the app so it can grow in 关怀模式 (larger icons and labels, taller items,
 * darker text), which WeChat's native tab bar cannot. Icons are NutUI's (the app's one icon set).
 * Every tab page tells it which tab to mark (state.ts, useTabBarSelected); a tap marks the tab at
 * once and switches with Taro.switchTab. The 消息 tab carries the unread badge (store/unread).
 * H5 keeps Taro's own tab bar (app.scss grows it in 关怀模式).
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Calendar, Comment, Home, Message, User } from '@nutui/icons-react-taro';
import { useSession } from '../store/session';
import { useUnread } from '../store/unread';
import { getSelectedTab, setSelectedTab, TABS, useSelectedTab } from './state';
import './index.scss';

const GLYPHS = { home: Home, calendar: Calendar, comment: Comment, message: Message, user: User } as const;

/** In weapp the accessibility role travels as aria-role (plugins/weapp-a11y.js keeps it). */
const role = (r: string) => (process.env.TARO_ENV === 'h5' ? { role: r } : { 'aria-role': r });

export default function CustomTabBar() {
  const selected = useSelectedTab();
  const { careMode } = useSession();
  const unread = useUnread();

  const go = (index: number) => {
    if (index === getSelectedTab()) return;
    const before = getSelectedTab();
    setSelectedTab(index);
    Taro.switchTab({ url: `/${TABS[index].pagePath}` }).catch(() => setSelectedTab(before));
  };

  return (
    <View className={`tab-bar ${careMode ? 'tab-bar--care' : ''}`} {...role('tablist')}>
      {TABS.map((tab, i) => {
        const on = i === selected;
        const Glyph = GLYPHS[tab.icon];
        const badge = tab.pagePath === 'pages/messages/index' && unread > 0;
        return (
          <View
            key={tab.pagePath}
            id={`tab-${tab.icon}`}
            className={`tab-bar__item ${on ? 'tab-bar__item--on' : ''}`}
            {...role('tab')}
            aria-selected={on}
            aria-label={badge ? `${tab.text}，${unread} 条未读` : tab.text}
            onClick={() => go(i)}
          >
            <View className="tab-bar__icon" aria-hidden="true">
              <Glyph className="tab-bar__glyph" size={careMode ? 30 : 24} />
              {badge ? <Text className="tab-bar__badge">{unread > 99 ? '99+' : String(unread)}</Text> : null}
            </View>
            <Text className="tab-bar__label">{tab.text}</Text>
          </View>
        );
      })}
    </View>
  );
}

// Taro passes these statics to WeChat's Component() (an empty object when absent); WeChat documents
// both as arrays, and miniprogram-simulate requires arrays.
CustomTabBar.behaviors = [] as string[];
CustomTabBar.externalClasses = [] as string[];
