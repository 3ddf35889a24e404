import { runPages } from './run-pages';

runPages('worker');
