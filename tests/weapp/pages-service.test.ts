import { runPages } from './run-pages';

runPages('service');
