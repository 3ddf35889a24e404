import { runPages } from './run-pages';

runPages('board');
