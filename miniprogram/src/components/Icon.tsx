/**
 * The app's one icon set: NutUI's (@nutui/icons-react-taro, SVG drawn through a CSS mask, so it
 * works in weapp and H5 and takes the text colour). Icons here are decorative: the element next
 * to them carries the words, so they are hidden from screen readers.
 */
import { View } from '@tarojs/components';
import {
  Calendar,
  Category,
  Checklist,
  Clock,
  Comment,
  Date as DateIcon,
  Edit,
  File,
  Find,
  Flag,
  Gift,
  Heart,
  Image as ImageIcon,
  Order,
  People,
  Service,
  Shop,
  Star,
  Tips,
  Top,
  User,
  Wallet,
  Warning,
} from '@nutui/icons-react-taro';

const ICONS = {
  calendar: Calendar,
  category: Category,
  checklist: Checklist,
  clock: Clock,
  comment: Comment,
  date: DateIcon,
  edit: Edit,
  file: File,
  find: Find,
  flag: Flag,
  gift: Gift,
  heart: Heart,
  image: ImageIcon,
  order: Order,
  people: People,
  service: Service,
  shop: Shop,
  star: Star,
  tips: Tips,
  top: Top,
  user: User,
  wallet: Wallet,
  warning: Warning,
} as const;

export type IconName = keyof typeof ICONS;

export function Icon({ name, className = '' }: { name: IconName; className?: string }) {
  const Glyph = ICONS[name];
  return (
    <View className={`app-icon ${className}`} aria-hidden="true">
      <Glyph className="app-icon__glyph" />
    </View>
  );
}
