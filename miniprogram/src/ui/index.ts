/**
 * NutUI React Taro, imported on demand: each component from its own ES module with its own CSS,
 * so only what the app uses ends up in the bundle. The theme variables are loaded in app.tsx and
 * overridden in app.scss (primary = 党建红 #C8161D).
 */
import Button from '@nutui/nutui-react-taro/dist/esm/Button';
import '@nutui/nutui-react-taro/dist/esm/Button/style/css';
import Tag from '@nutui/nutui-react-taro/dist/esm/Tag';
import '@nutui/nutui-react-taro/dist/esm/Tag/style/css';
import Skeleton from '@nutui/nutui-react-taro/dist/esm/Skeleton';
import '@nutui/nutui-react-taro/dist/esm/Skeleton/style/css';
import Overlay from '@nutui/nutui-react-taro/dist/esm/Overlay';
import '@nutui/nutui-react-taro/dist/esm/Overlay/style/css';
import Dialog from '@nutui/nutui-react-taro/dist/esm/Dialog';
import '@nutui/nutui-react-taro/dist/esm/Dialog/style/css';
import NoticeBar from '@nutui/nutui-react-taro/dist/esm/NoticeBar';
import '@nutui/nutui-react-taro/dist/esm/NoticeBar/style/css';
import Cell from '@nutui/nutui-react-taro/dist/esm/Cell';
import '@nutui/nutui-react-taro/dist/esm/Cell/style/css';
import CellGroup from '@nutui/nutui-react-taro/dist/esm/CellGroup';
import '@nutui/nutui-react-taro/dist/esm/CellGroup/style/css';
import Switch from '@nutui/nutui-react-taro/dist/esm/Switch';
import '@nutui/nutui-react-taro/dist/esm/Switch/style/css';

export { Button, Tag, Skeleton, Overlay, Dialog, NoticeBar, Cell, CellGroup, Switch };
