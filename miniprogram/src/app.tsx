import type { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import '@nutui/nutui-react-taro/dist/styles/theme-default.css';
import { initCloud } from './api';
import { makeH5NavigationBarAccessible, makeH5PagesKeyboardScrollable } from './utils/a11y';
import './app.scss';

makeH5PagesKeyboardScrollable();
makeH5NavigationBarAccessible();

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // weapp: identity comes from WeChat through cloud calls.
    initCloud();
  });
  return children;
}

export default App;
