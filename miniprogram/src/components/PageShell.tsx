import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { useSession } from '../store/session';
import { roleProps } from '../utils/a11y';

/** Page root: background, padding, the large-text class and a main landmark. */
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
  const { largeText } = useSession();
  return (
    <View
      id={id}
      className={`page ${largeText ? 'large-text' : ''} ${withFooter ? 'page--with-footer' : ''} ${className}`}
      {...roleProps('main')}
    >
      {children}
    </View>
  );
}
