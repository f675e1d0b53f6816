export { checkProjectionLaws, type LawOptions, type LawSubject } from './projection-laws.js';
