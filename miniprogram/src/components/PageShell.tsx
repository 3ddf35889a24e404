import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { useSession } from '../store/session';
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
  const { careMode } = useSession();
  return (
    <View
      id={id}
      className={`page ${careMode ? 'care-mode' : ''} ${withFooter ? 'page--with-footer' : ''} ${className}`}
      {...roleProps('main')}
    >
      {children}
    </View>
  );
}
