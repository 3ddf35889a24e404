import { runPages } from './run-pages';

runPages('party');
