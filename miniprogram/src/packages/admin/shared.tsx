/** Inputs and styles of the street admin pages (kept in this subpackage). */
import './admin.scss';

/** The one-line input shared with the worker pages (components/Form). */
export { TextField as AdminInput } from '../../components/Form';
