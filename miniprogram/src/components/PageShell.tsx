import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { useSession } from '../store/session';
import { DeskNav, isDeskPath } from './DeskNav';
import { roleProps } from '../utils/a11y';

/** Page root: background, padding, the care-mode class (关怀模式) and a main landmark. */
export function PageShell({
  children,
  className = '',
  id,
  withFooter = false,
}: {
  children: ReactNode;
  className?: string;
  id?: string;
  withFooter?: boolean;
}) {
  const { careMode, me } = useSession();
  // Worker and admin pages in H5 get the desk workbench's side navigation (shown ≥ 1280 px).
  const path = process.env.TARO_ENV === 'h5' ? Taro.getCurrentInstance().router?.path : undefined;
  const desk = isDeskPath(path);
  const page = (
    <View
      id={id}
      className={`page ${careMode ? 'care-mode' : ''} ${withFooter ? 'page--with-footer' : ''} ${desk ? 'page--desk' : ''} ${className}`}
      {...roleProps('main')}
    >
      {children}
    </View>
  );
  if (!desk || !path) return page;
  return (
    <>
      <DeskNav path={path} isAdmin={!!me?.user.roles.some((r) => r.role === 'admin')} />
      {page}
    </>
  );
}
