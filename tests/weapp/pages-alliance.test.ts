import { runPages } from './run-pages';

runPages('alliance');
