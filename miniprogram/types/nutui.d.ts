// Types for NutUI's per-component ES modules (imported on demand by src/ui).
declare module '@nutui/nutui-react-taro/dist/esm/Button' {
  export { Button as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/Tag' {
  export { Tag as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/Skeleton' {
  export { Skeleton as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/Overlay' {
  export { Overlay as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/Dialog' {
  export { Dialog as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/NoticeBar' {
  export { NoticeBar as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/Grid' {
  export { Grid as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/GridItem' {
  export { GridItem as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/Cell' {
  export { Cell as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/CellGroup' {
  export { CellGroup as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/Switch' {
  export { Switch as default } from '@nutui/nutui-react-taro';
}
declare module '@nutui/nutui-react-taro/dist/esm/*/style/css';
declare module '@nutui/nutui-react-taro/dist/styles/theme-default.css';
