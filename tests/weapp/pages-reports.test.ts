import { runPages } from './run-pages';

runPages('reports');
