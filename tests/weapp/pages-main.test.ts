import { runPages } from './run-pages';

runPages('main');
