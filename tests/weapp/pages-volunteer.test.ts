import { runPages } from './run-pages';

runPages('volunteer');
